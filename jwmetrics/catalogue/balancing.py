"""Balancing measures as a catalogue file: which measure to watch beside a target measure,
and how far it may move the wrong way before the target's status says so
(``data/balancing_measures.csv``; paragraph 16: a target defined too narrowly can be met at
the expense of something else).

One row is checked by :func:`add_balancing` as the catalogue loader
(:mod:`jwmetrics.catalogue.load`) reads it; every problem names its row and column. The rule
that reads the pairs is in :mod:`jwmetrics.assess.balancing` and ``docs/status.md``.
"""

from __future__ import annotations

from jwmetrics.db.joint_models import BalancingMeasure
from jwmetrics.db.models import Measure
from jwmetrics.tabular.csv_rows import CsvRow, Loader, row_recorded_at

SOURCE_CHARS = 300  # the width of balancing_measure.source
WHY_CHARS = 2000  # a few sentences: what could get worse, and why this threshold


def add_balancing(loader: Loader, row: CsvRow) -> None:
    """One pairing: ``measure`` (the target's) is watched with ``balancing_measure``, which
    may move the wrong way by up to ``threshold`` (in its own unit) unremarked."""
    measures = loader.known(Measure, "slug")
    target = loader.require(row, "measure", measures)
    balancing = loader.require(row, "balancing_measure", measures)
    if isinstance(target, Measure) and target is balancing:
        message = "a measure cannot balance itself; name a different measure"
        loader.problems.append(row.problem("balancing_measure", message))
    threshold = loader.number(row, "threshold", required=True)
    if threshold is not None and threshold < 0:
        message = "expected 0 or more: how far (in the balancing measure's unit) it may move"
        loader.problems.append(row.problem("threshold", message))
    why = row.get("why")
    if not why or len(why) > WHY_CHARS:
        message = (
            f"say what could get worse and why this threshold ({WHY_CHARS:,} characters at most)"
        )
        loader.problems.append(row.problem("why", message))
    source = row.get("source")
    if not source or len(source) > SOURCE_CHARS:
        message = f"say where the pairing comes from, in at most {SOURCE_CHARS} characters"
        loader.problems.append(row.problem("source", message))
    if not isinstance(target, Measure) or not isinstance(balancing, Measure):
        return
    if _paired(loader, target, balancing):
        message = f"{balancing.slug} is already a balancing measure of {target.slug}"
        loader.problems.append(row.problem("balancing_measure", message))
    if threshold is None:
        return
    loader.add_if_clean(
        row,
        BalancingMeasure(
            measure_id=target.id,
            balancing_measure_id=balancing.id,
            threshold=threshold,
            why=why,
            source=source,
            recorded_at=row_recorded_at(loader, row),
        ),
    )


def _paired(loader: Loader, target: Measure, balancing: Measure) -> bool:
    """True when the pair is stored already, or added earlier in this file."""
    pairs = loader.known(BalancingMeasure, "id").values()
    return any(
        isinstance(p, BalancingMeasure)
        and (p.measure_id, p.balancing_measure_id) == (target.id, balancing.id)
        for p in pairs
    )
