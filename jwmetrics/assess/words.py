"""The status words, in one small module that every part of the assessment can import.

:mod:`~jwmetrics.assess.status` decides which word a series gets and
:mod:`~jwmetrics.assess.reasons` says why; both need the words, so they live below both.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """The status categories, from best to least known."""

    ACHIEVED = "Achieved"
    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"
    MISSED = "Missed"
    AWAITING = "Awaiting"
    GREY = "Grey"
    NO_TARGET = "No target"
