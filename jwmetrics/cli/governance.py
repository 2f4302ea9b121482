"""Governance on the command line: ``users``, ``approve``, ``reject``, ``audit`` and ``returns``.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers these with
:func:`add_governance_commands` and lists the ``cmd_*`` functions in its ``COMMANDS``.

Who a command acts as (:func:`acting`): on a database with no users (local mode) every
command acts as the local administrator and records the ``--user`` name it is given; once
the database has users, ``--user`` must name one of them and their role and assignments
apply, so a refused command exits 1 with the reason on stderr. The very first user may be
added by anyone (that is how a deployment starts), and must be an admin.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from jwmetrics.cli.args import FORMATS, emit, iso_day
from jwmetrics.db.models import Return, ReturnEvent
from jwmetrics.governance.audit import RECORD_FIELDS, as_record
from jwmetrics.governance.roles import ROLES, Actor
from jwmetrics.governance.users import UserRecord
from jwmetrics.metrics.face import Metrics
from jwmetrics.problems import InputError, Problem
from jwmetrics.returns.commit import NO_APPROVAL_NEEDED


def add_governance_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``users``, ``approve``, ``reject``, ``returns`` and ``audit`` to the command line."""
    users = commands.add_parser("users", help="the users of a signed-in deployment and their roles")
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a user, or change one's role and assignments")
    add.add_argument("email", help="the e-mail the user signs in with")
    add.add_argument("--role", required=True, choices=ROLES, help="the user's role")
    add.add_argument(
        "--partner",
        action="append",
        default=[],
        metavar="NAME",
        help="a partner they send returns for (repeat for several)",
    )
    add.add_argument(
        "--initiative",
        action="append",
        default=[],
        metavar="X",
        help="an initiative (id or name) they upload or approve for (repeat for several)",
    )
    add.add_argument("--user", default="", help="who is making the change (an admin)")
    listing = actions.add_parser("list", help="every user with role and assignments")
    listing.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    remove = actions.add_parser("remove", help="remove a user")
    remove.add_argument("email", help="the user's e-mail")
    remove.add_argument("--user", default="", help="who is making the change (an admin)")

    approve = commands.add_parser(
        "approve", help="approve a submitted return: from now its figures count"
    )
    approve.add_argument("return_id", type=int, help="the return's number (see `returns`)")
    approve.add_argument("--user", required=True, help="who approves (not its uploader)")
    reject = commands.add_parser(
        "reject", help="reject a submitted return with a reason: its figures never count"
    )
    reject.add_argument("return_id", type=int, help="the return's number (see `returns`)")
    reject.add_argument("--user", required=True, help="who rejects it")
    reject.add_argument("--reason", required=True, help="why it is rejected (recorded)")
    returns = commands.add_parser("returns", help="the returns log: every return and its outcome")
    returns.add_argument("--format", choices=FORMATS[:2], default="text", help="output format")

    log = commands.add_parser("audit", help="the audit log: who did what, when")
    log.add_argument(
        "--since", type=iso_day, metavar="DATE", help="only events on or after DATE (YYYY-MM-DD)"
    )
    log.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default text)"
    )


def acting(metrics: Metrics, name: str) -> tuple[Actor, str]:
    """Who a command acts as, and the name it records: the ``--user`` given, or the
    user's stored e-mail once the database has users."""
    actor = metrics.actor(name)
    return actor, (name.strip() if actor.local else actor.email)


# Users --------------------------------------------------------------------------------------


def user_record(user: UserRecord) -> dict[str, Any]:
    """One user as ``users list --format json`` writes it."""
    return {
        "email": user.email,
        "role": user.role,
        "partners": list(user.partners),
        "initiatives": list(user.initiatives),
        "added_by": user.added_by,
        "added_at": user.added_at.isoformat(timespec="seconds"),
    }


def _users_text(users: list[UserRecord], out: TextIO) -> None:
    """One line per user: e-mail, role, assignments."""
    if not users:
        print("No users: the database is in local mode (everyone is the admin).", file=out)
    for user in users:
        scope = "; ".join(
            f"{kind} {', '.join(values)}"
            for kind, values in (("partners", user.partners), ("initiatives", user.initiatives))
            if values
        )
        print(f"{user.email:<40} {user.role:<9} {scope or 'no assignments'}", file=out)


def cmd_users(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """``users add``, ``users list`` and ``users remove``."""
    if args.users_command == "list":
        users = metrics.users()
        records = [user_record(u) for u in users]
        emit(records, args.format, out, text=lambda o: _users_text(users, o))
        return 0
    actor, by = acting(metrics, args.user)
    if args.users_command == "remove":
        metrics.remove_user(args.email, by=by, actor=actor)
        print(f"Removed {args.email.strip()}.", file=out)
        return 0
    refusal = metrics.first_user_refusal(args.role)
    if refusal is not None:
        raise InputError([Problem("users", None, "role", args.role, refusal)])
    user = metrics.add_user(
        args.email,
        args.role,
        tuple(args.partner),
        tuple(args.initiative),
        by=by,
        actor=actor,
    )
    print(f"{user.email} is now {user.role}.", file=out)
    return 0


# Approval -----------------------------------------------------------------------------------


def cmd_approve(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Approve a submitted return; four eyes and a wrong state exit 1."""
    actor, by = acting(metrics, args.user)
    print(metrics.approve_return(args.return_id, by=by, actor=actor), file=out)
    return 0


def cmd_reject(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Reject a submitted return with a reason."""
    actor, by = acting(metrics, args.user)
    print(metrics.reject_return(args.return_id, args.reason, by=by, actor=actor), file=out)
    return 0


# The returns log ----------------------------------------------------------------------------


def _moment(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def event_record(event: ReturnEvent) -> dict[str, Any]:
    """One move of a return: into which state, by whom, when, why."""
    return {"state": event.state, "by": event.by, "at": _moment(event.at), "reason": event.reason}


def return_record(record: Return, events: list[ReturnEvent]) -> dict[str, Any]:
    """One return as ``returns --format json`` writes it, with its state and its moves."""
    return {
        "id": record.id,
        "file_name": record.file_name,
        "sha256": record.sha256,
        "partner": record.partner,
        "uploaded_by": record.uploaded_by,
        "uploaded_at": _moment(record.uploaded_at),
        "rows_read": record.rows_read,
        "rows_new": record.rows_new,
        "rows_revised": record.rows_revised,
        "rows_unchanged": record.rows_unchanged,
        "outcome": record.outcome,
        "withdrawn_at": _moment(record.withdrawn_at),
        "state": record.state,
        "events": [event_record(e) for e in events],
        "published_on": record.published_on.isoformat() if record.published_on else None,
    }


def cmd_returns(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """The returns log, each return with its state and who moved it there."""
    moves = metrics.return_events()
    records = [return_record(r, moves.get(r.id, [])) for r in metrics.returns()]
    emit(records, args.format, out, text=lambda o: returns_text(records, o))
    return 0


def returns_text(records: list[dict[str, Any]], out: TextIO) -> None:
    """One line per return: number, upload, outcome, counts, state and its last move, then
    the partner who sent it and who uploaded it. A return that counted on its commit (no
    approval needed) says so, never "approved by" its uploader."""
    for r in records:
        last = r["events"][-1] if r["events"] else None
        state, moved = r["state"], f" by {last['by']} {last['at']}" if last else ""
        if last is not None and state == "approved" and last["reason"] == NO_APPROVAL_NEEDED:
            state, moved = "counts (no approval needed)", f" since {last['at']}"
        print(
            f"{r['id']:>5} {r['uploaded_at']} {r['outcome']:<10} {r['file_name']} (new "
            f"{r['rows_new']}, revised {r['rows_revised']}, unchanged {r['rows_unchanged']}) "
            f"{state}{moved}; partner {r['partner'] or 'not recorded'}, uploaded by "
            f"{r['uploaded_by'] or 'not recorded'}",
            file=out,
        )


# The audit log ------------------------------------------------------------------------------


def cmd_audit(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """The audit log as text, JSON or CSV (every cell formula-safe)."""
    records = [as_record(event) for event in metrics.audit_events(args.since)]
    emit(records, args.format, out, text=lambda o: audit_text(records, o), fields=RECORD_FIELDS)
    return 0


def audit_text(records: list[dict[str, Any]], out: TextIO) -> None:
    """One line per event: when, who, what, about what, and the detail."""
    if not records:
        print("No audit events.", file=out)
    for r in records:
        about = f" {r['subject']}" if r["subject"] else ""
        detail = f": {r['detail']}" if r["detail"] else ""
        print(f"{r['at']} {r['actor']:<30} {r['action']:<12}{about}{detail}", file=out)
