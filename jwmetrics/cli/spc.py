"""Commands about how far to trust a status: ``spc``, ``change-point`` and ``track-record``.

Kept apart so :mod:`jwmetrics.cli.main` stays short: it registers them with
:func:`add_spc_commands` and lists them in its ``COMMANDS``; they run like every other
command (exit 1 on an unknown measure, area or initiative).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TextIO

from jwmetrics.briefing.judgement_record import CALL_FIELDS, JudgementRecord
from jwmetrics.cli.args import emit
from jwmetrics.cli.governance import acting
from jwmetrics.metrics.face import Metrics
from jwmetrics.periods import Period, PeriodError, parse_period
from jwmetrics.spc.xmr import SpcResult
from jwmetrics.store.lookup import ENGLAND


def _date_type(pick: Callable[[Period], date]) -> Callable[[str], date]:
    """An argparse type reading any period spelling and picking one of its dates."""

    def read(text: str) -> date:
        try:
            return pick(parse_period(text))
        except PeriodError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return read


def add_spc_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``spc``, ``change-point`` and ``track-record`` to the command line."""
    chart = commands.add_parser(
        "spc", help="SPC (XmR chart) of one measure in one area: limits, special causes, icons"
    )
    chart.add_argument("measure", help="measure id or name")
    chart.add_argument("--area", default=ENGLAND, help="area code or name (default England)")
    chart.add_argument(
        "--as-of",
        type=_date_type(lambda p: p.end),
        metavar="DATE",
        help="use the data known on DATE (e.g. 2001-12-07)",
    )
    chart.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    change = commands.add_parser(
        "change-point", help="record that a series' process changed: SPC limits restart there"
    )
    change.add_argument("measure", help="measure id or name")
    change.add_argument(
        "date",
        type=_date_type(lambda p: p.start),
        help="when the new process starts (a period means its first day)",
    )
    change.add_argument("--area", default=ENGLAND, help="area code or name (default England)")
    change.add_argument("--note", default="", help="why the process changed")
    cause = change.add_mutually_exclusive_group()
    cause.add_argument(
        "--event", type=int, metavar="ID", help="the dated event that caused it (see events)"
    )
    cause.add_argument(
        "--no-known-cause", action="store_true", help="say outright that no cause is known"
    )
    change.add_argument("--user", default="", help="who is recording it (an admin)")
    record = commands.add_parser(
        "track-record",
        help="the calls the dashboard would have made before each known outcome, and how many "
        "proved right",
    )
    record.add_argument("--initiative", help="only this initiative (id or name)")
    record.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="output format (default text; csv: one row per call, rule and judgement)",
    )
    record.add_argument(
        "--as-recorded",
        action="store_true",
        help="count a delivery confidence rating on a day only if it was recorded by then",
    )


def _number(value: float | None) -> str:
    """A statistic for the text output: four significant figures, "-" when there is none."""
    return "-" if value is None else f"{value:,.4g}"


def spc_text(result: SpcResult, out: TextIO) -> None:
    """Mean, limits, icons and warning, then one line per point with its rules."""
    print(f"SPC of {result.measure} in {result.area_code}, as known on {result.as_of}", file=out)
    latest = result.latest
    low, high = (latest.lower_shown, latest.upper_shown) if latest else (None, None)
    print(
        f"Mean {_number(result.mean)}, process limits {_number(low)} to "
        f"{_number(high)} ({len(result.segments)} segment(s))",
        file=out,
    )
    if result.limit_note:
        print(result.limit_note, file=out)
    print(f"Variation: {result.variation or '-'}", file=out)
    if result.charted:
        print(result.summary, file=out)
    print(f"Assurance: {result.assurance or 'no target'}", file=out)
    for cause in result.causes:
        print(f"Limits restart {cause}", file=out)
    if result.warning:
        print(f"Warning: {result.warning}", file=out)
    for point in result.points:
        rules = f"  {point.signal}: {', '.join(point.rules)}" if point.rules else ""
        print(f"  {point.period_label:<20} {_number(point.value):>10}{rules}", file=out)


def cmd_spc(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the XmR chart of one series as text or JSON."""
    result = metrics.spc(args.measure, args.area, args.as_of)
    emit(result.as_record(), args.format, out, text=lambda o: spc_text(result, o))
    return 0


def cmd_change_point(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Record a change point."""
    actor, by = acting(metrics, args.user)
    row = metrics.add_change_point(
        args.measure,
        args.area,
        args.date,
        args.note,
        by,
        actor,
        event=args.event,
        no_known_cause=args.no_known_cause,
    )
    print(
        f"Recorded a change point from {row.starts_on.isoformat()} for {args.measure} in "
        f"{row.area_code}.",
        file=out,
    )
    return 0


def _share(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def cmd_track_record(metrics: Metrics, args: argparse.Namespace, out: TextIO) -> int:
    """Print the track record, the rule's and the judgement's, as text, JSON or CSV."""
    both = metrics.judgement_record(args.initiative, as_recorded=args.as_recorded)
    data = both.call_rows() if args.format == "csv" else both.as_record()
    emit(data, args.format, out, text=lambda o: track_record_text(both, o), fields=CALL_FIELDS)
    return 0


def track_record_text(both: JudgementRecord, out: TextIO) -> None:
    """The share of decisive calls right, the judgement's beside the rule's, then each
    target's outcome and the calls before it."""
    record = both.rule
    print(
        f"Decisive calls right: {_share(record.share_right)} ({record.right_calls} of "
        f"{record.decisive_calls}); hedged (Amber): {_share(record.share_hedged)} "
        f"({record.hedged_calls} calls)",
        file=out,
    )
    print(judgement_summary(both), file=out)
    if not record.targets:
        print("No target has both passed its date and a known outcome yet.", file=out)
    verdicts = {True: "right", False: "wrong", None: "hedge"}
    for target in both.targets:
        settled = target.target
        print(
            f"{settled.measure} in {settled.area_code}: {settled.outcome}, known on "
            f"{settled.outcome_known_on.isoformat()}",
            file=out,
        )
        for call, judged in zip(settled.calls, target.calls, strict=True):
            shown = call.status if call.status == call.call else f"{call.status} ({call.call})"
            line = f"  {call.as_of.isoformat()}  {shown:<20} {verdicts[call.right]:<6}"
            if judged.rating is not None:
                later = ", recorded later" if judged.recorded_later else ""
                line += f"  judged {judged.rating:<11} {verdicts[judged.judged_right]}{later}"
            print(line.rstrip(), file=out)


def judgement_summary(both: JudgementRecord) -> str:
    """The judgement's record against the rule's, in a sentence or two."""
    if not both.rated_calls:
        return "Judgement: no delivery confidence rating was in force on any of these days."
    said = (
        f"Judgement: {both.rated_calls} calls rated; decisive ratings right: "
        f"{both.judged_right_calls} of {both.judged_decisive}. Both decisive on "
        f"{both.compared} calls: rule right {both.rule_right_compared}, judgement right "
        f"{both.judged_right_compared}; they disagreed on {both.disagreed} (judgement right "
        f"where the rule was wrong: {both.judgement_right_rule_wrong}; rule right where "
        f"judgement was wrong: {both.rule_right_judgement_wrong}). Where the rule hedged "
        f"(Amber), the judgement called {both.judged_where_rule_hedged} and was right on "
        f"{both.judged_right_where_rule_hedged}."
    )
    if both.recorded_later:
        said += (
            f" {both.recorded_later} of the rated calls rest on ratings recorded after their "
            "day, with hindsight (--as-recorded leaves them out)."
        )
    return said
