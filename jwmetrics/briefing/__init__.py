"""Briefing: commentary, remedial actions, what changed, and the packs sent to ministers.

- :mod:`~jwmetrics.briefing.commentary`: analysts' commentary, every version kept;
- :mod:`~jwmetrics.briefing.actions`: remedial actions, who does what by when;
- :mod:`~jwmetrics.briefing.ratings`: delivery confidence ratings judged beside the status;
  :mod:`~jwmetrics.briefing.judgement_record`: the track record of those ratings scored
  beside the rule's calls, day by day;
- :mod:`~jwmetrics.briefing.changes`: what changed between two days, whole or a page at a
  time; :mod:`~jwmetrics.briefing.change_record` is one change, a count and a page of them;
  :mod:`~jwmetrics.briefing.figure_changes` walks the figures published, newest first;
- :mod:`~jwmetrics.briefing.content`: a pack's content as the database stood at its moment;
- :mod:`~jwmetrics.briefing.packs`: packs made, recorded with their checksum, and rebuilt
  exactly (the rendering is :mod:`jwmetrics.present.pack.document`'s, passed in by the face).
"""

from __future__ import annotations

from jwmetrics.briefing.actions import CLOSED_STATES, ActionRecord, unactioned
from jwmetrics.briefing.changes import PAGE, ChangeCount, ChangePage, ChangeRecord
from jwmetrics.briefing.commentary import Comment
from jwmetrics.briefing.content import PackContent, PackRequest
from jwmetrics.briefing.figure_changes import COUNT_CAP
from jwmetrics.briefing.judgement_record import JudgementRecord
from jwmetrics.briefing.packs import PackFile
from jwmetrics.briefing.ratings import DIVERGENT_STEPS, MEANINGS, RATINGS, Rating, steps_apart

__all__ = [
    "CLOSED_STATES",
    "COUNT_CAP",
    "DIVERGENT_STEPS",
    "MEANINGS",
    "PAGE",
    "RATINGS",
    "ActionRecord",
    "ChangeCount",
    "ChangePage",
    "ChangeRecord",
    "Comment",
    "JudgementRecord",
    "PackContent",
    "PackFile",
    "PackRequest",
    "Rating",
    "steps_apart",
    "unactioned",
]
