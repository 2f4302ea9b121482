"""The returns' part of :class:`jwmetrics.metrics.face.Metrics`: check, commit, withdraw,
approve and reject a partner's return, and read the returns log.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.returns`, imported where used.
It builds on the alerts' mixin because a commit or an approval runs the alert rules (a
followed series' status may have changed): see :mod:`jwmetrics.alerts`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.governance.roles import LOCAL_USER, Actor
from jwmetrics.metrics.alerts import AlertMethods
from jwmetrics.steps import Progress, quiet

if TYPE_CHECKING:
    from jwmetrics.db.models import Return, ReturnEvent
    from jwmetrics.returns import CommitOutcome, Limits, RecordedChange, ReturnCheck


class ReturnMethods(AlertMethods):
    """A partner's return from its check to its approval, and the returns log."""

    def check_return(
        self,
        data: bytes,
        file_name: str,
        *,
        sheet: str | None = None,
        partner: str = "",
        limits: Limits | None = None,
        today: date | None = None,
        published_on: date | None = None,
        progress: Progress = quiet,
    ) -> ReturnCheck:
        """Read and check a return; writes nothing (:func:`jwmetrics.returns.check_return`)."""
        from jwmetrics.returns import check_return

        return check_return(
            self.db,
            data,
            file_name,
            sheet=sheet,
            partner=partner,
            limits=limits,
            today=today,
            published_on=published_on,
            progress=progress,
        )

    def commit_return(
        self,
        check: ReturnCheck,
        *,
        uploaded_by: str = "",
        confirm_warnings: bool = False,
        actor: Actor = LOCAL_USER,
        needs_approval: bool | None = None,
        progress: Progress = quiet,
    ) -> CommitOutcome:
        """Record a checked return whole, or refuse it (:func:`jwmetrics.returns.commit_return`);
        its alerts are written in its transaction, then the alert rules run."""
        from jwmetrics.alerts.timed import return_recorded
        from jwmetrics.returns import commit_return

        outcome = commit_return(
            self.db,
            check,
            uploaded_by=uploaded_by,
            confirm_warnings=confirm_warnings,
            actor=actor,
            needs_approval=needs_approval,
            progress=progress,
            on_commit=return_recorded,
        )
        self.refresh_alerts()  # a followed series' status may have changed
        return outcome

    def withdraw_return(self, return_id: int, by: str = "", actor: Actor = LOCAL_USER) -> str:
        """Withdraw a return: its figures stop counting, the ones it replaced come back."""
        from jwmetrics.returns import withdraw_return

        return withdraw_return(self.db, return_id, by=by, actor=actor)

    def approve_return(self, return_id: int, by: str = "", actor: Actor = LOCAL_USER) -> str:
        """Approve a submitted return (:func:`jwmetrics.returns.approval.approve_return`)."""
        from jwmetrics.returns.approval import approve_return

        message = approve_return(self.db, return_id, by=by, actor=actor)
        self.refresh_alerts()  # its figures count now: a followed status may have changed
        return message

    def reject_return(
        self, return_id: int, reason: str, by: str = "", actor: Actor = LOCAL_USER
    ) -> str:
        """Reject a submitted return with a reason; its figures never count."""
        from jwmetrics.returns.approval import reject_return

        return reject_return(self.db, return_id, reason=reason, by=by, actor=actor)

    def returns(self) -> list[Return]:
        """Every return, newest first."""
        from jwmetrics.returns import returns_log

        return returns_log(self.db)

    def return_changes(self, return_id: int) -> list[RecordedChange]:
        """What one return changed, row by row (for a submitted one: what it would change)."""
        from jwmetrics.returns import return_changes

        return return_changes(self.db, return_id)

    def return_events(self) -> dict[int, list[ReturnEvent]]:
        """Every return's moves (state, by, at, reason) by return id, oldest first."""
        from jwmetrics.returns.history import return_events

        return return_events(self.db)

    def may_approve(self, actor: Actor, return_id: int) -> bool:
        """True when ``actor``'s role and initiatives let them approve or reject the return."""
        from jwmetrics.returns.approval import may_approve

        return may_approve(self.db, actor, return_id)
