"""Assessing a series: gather its numbers once, decide its status, say why in words.

One series (a measure in an area, against its target) goes through these modules in order:

- :mod:`~jwmetrics.assess.scales`: the scale a measure moves on (log, logit, linear);
- :mod:`~jwmetrics.assess.progress`: the target resolved to a value, the change it needs,
  the share achieved and the planned trajectory;
- :mod:`~jwmetrics.assess.forecast`: the forecast, its interval and the chance of meeting a
  target (a trend with AR(1) errors and seasonal terms, or the run rate), within the measure's
  natural range;
- :mod:`~jwmetrics.assess.evidence`: the numbers behind a status, gathered once (the figure
  judged, the planned value, the forecast, the figure for the target period);
- :mod:`~jwmetrics.assess.words`: the status words themselves;
- :mod:`~jwmetrics.assess.status`: the rules that pick a word from the evidence;
- :mod:`~jwmetrics.assess.reasons`: the reason, written from the same numbers;
- :mod:`~jwmetrics.assess.quality`: what the status rests on when that is weak (an old,
  provisional or late figure, an overdue return);
- :mod:`~jwmetrics.assess.balancing`: balancing measures that could get worse meanwhile;
- :mod:`~jwmetrics.assess.portfolio`: the status table of every series at once;
- :mod:`~jwmetrics.assess.detail`: one series in full, for the drill-down;
- :mod:`~jwmetrics.assess.track_record`: the calls that would have been made, scored against
  what happened.

The rules are written for analysts in ``docs/status.md``.
"""

from __future__ import annotations

from jwmetrics.assess.balancing import NO_DATA, ONE_FIGURE, WITHIN, WRONG_WAY, BalancingCheck
from jwmetrics.assess.detail import SeriesDetail
from jwmetrics.assess.forecast import Forecast
from jwmetrics.assess.portfolio import Assessment, filter_assessments
from jwmetrics.assess.status import StatusRules
from jwmetrics.assess.track_record import TrackRecord
from jwmetrics.assess.words import Status

__all__ = [
    "NO_DATA",
    "ONE_FIGURE",
    "WITHIN",
    "WRONG_WAY",
    "Assessment",
    "BalancingCheck",
    "Forecast",
    "SeriesDetail",
    "Status",
    "StatusRules",
    "TrackRecord",
    "filter_assessments",
]
