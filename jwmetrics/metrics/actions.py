"""The joint-working lens's part of :class:`jwmetrics.metrics.face.Metrics`: remedial actions and
balancing measures.

A mixin, so ``Metrics`` stays one face while each concern's methods are listed in a file of
their own; each method is a thin call into :mod:`jwmetrics.briefing.actions` or
:mod:`jwmetrics.assess.balancing`, imported where used.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from jwmetrics.db.engine import Database
from jwmetrics.governance.roles import LOCAL_USER, Actor

if TYPE_CHECKING:
    from jwmetrics.assess.balancing import BalancingCheck
    from jwmetrics.briefing.actions import ActionRecord


class ActionMethods:
    """Who does what by when about a measure; what to watch beside a target."""

    db: Database

    def add_action(
        self,
        measure: str,
        area_code: str,
        owner: str,
        due: date | str,
        text: str,
        by: str = "",
        actor: Actor = LOCAL_USER,
    ) -> ActionRecord:
        """Record an open remedial action (:func:`jwmetrics.briefing.actions.add_action`)."""
        from jwmetrics.briefing.actions import add_action

        return add_action(self.db, measure, area_code, owner, due, text, actor=actor, by=by)

    def close_action(
        self, action_id: int, state: str = "done", by: str = "", actor: Actor = LOCAL_USER
    ) -> ActionRecord:
        """Close an open action as done or dropped
        (:func:`jwmetrics.briefing.actions.close_action`)."""
        from jwmetrics.briefing.actions import close_action

        return close_action(self.db, action_id, state, actor=actor, by=by)

    def actions(
        self,
        open_only: bool = False,
        measure: str | None = None,
        area_code: str | None = None,
        today: date | None = None,
    ) -> list[ActionRecord]:
        """Remedial actions by due date, all or the open ones, optionally of one series;
        ``overdue`` against ``today`` (default the real today)."""
        from jwmetrics.briefing.actions import list_actions

        return list_actions(
            self.db, open_only=open_only, measure=measure, area_code=area_code, today=today
        )

    def balancing(
        self, measure: str, area_code: str, as_of: date | None = None
    ) -> list[BalancingCheck]:
        """Each balancing measure of one series, its figures and whether it moved the wrong
        way by more than its threshold (:func:`jwmetrics.assess.balancing.balancing_checks`)."""
        from jwmetrics.assess.balancing import balancing_checks

        return balancing_checks(self.db, measure, area_code, as_of)
