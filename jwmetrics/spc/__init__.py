"""Statistical process control: is a change signal or noise? (XmR, "Making Data Count")

- :mod:`~jwmetrics.spc.types`: what a calculation returns (points, segments, the result);
- :mod:`~jwmetrics.spc.rules`: the four special-cause rules, each a small pure function;
- :mod:`~jwmetrics.spc.xmr`: the XmR chart of one series, split at its change points;
- :mod:`~jwmetrics.spc.series`: the same for a stored series, and the change points
  analysts record against it.

The rules are written for analysts in ``docs/spc.md``.
"""

from __future__ import annotations

from jwmetrics.spc.types import SpcPoint, SpcPointResult, SpcResult, SpcSegment

__all__ = ["SpcPoint", "SpcPointResult", "SpcResult", "SpcSegment"]
