"""The synthetic dataset generator (``bench/synthetic.py``) at a small scale.

Why: the benchmarks trust the generator to load labelled data through the real import path,
with revisions and targets that give a mix of statuses. These tests run it at about 5,000
observations on each backend and check exactly that, plus that the committed catalogue CSVs
are the ones the generator's model writes (the data are made to fit those targets).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jwmetrics.assess.portfolio import status_table
from jwmetrics.catalogue.seed import open_seeded
from jwmetrics.db.models import Measure, Observation, Return

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import synthetic  # noqa: E402

OBSERVATIONS = 5_000
REPORT_MEASURES = 14  # the report's 12 and the rough sleeping count's 2 balancing measures
LOCAL_PREFIXES = ("E06", "E07", "E08", "E09")


def test_catalogue_files_match_the_model() -> None:
    """The CSVs in bench/synthetic_catalogue/ are what ``--write-catalogue`` writes now."""
    expected = synthetic.catalogue_files(synthetic.read_areas())
    for name, text in expected.items():
        path = synthetic.CATALOGUE_DIR / name
        assert path.read_text(encoding="utf-8") == text, f"rerun --write-catalogue ({name})"


def test_catalogue_is_labelled_and_spread_over_the_initiatives() -> None:
    """28 measures named "[Synthetic] ...", every initiative has some, targets at all levels."""
    measures, original, renewed = synthetic.catalogue_rows(synthetic.read_areas())
    assert len(measures) == 28
    assert all(m["name"].startswith("[Synthetic] ") for m in measures)
    assert all("synthetic benchmark data" in m["source"] for m in measures)
    assert len({m["initiative"] for m in measures}) == 5
    assert {m["unit"] for m in measures} == {"people", "places", "percent", "GBP"}
    levels = Counter(row["area_code"][:3] for row in original + renewed)
    assert levels["E92"] >= 28 and levels["E12"] >= 9 and levels["E07"] > 100
    assert any(row["target_change"] for row in original)


def test_scaling_down_keeps_every_measure_and_some_local_series() -> None:
    """Small runs still cover every measure for England and include local authorities."""
    areas = synthetic.read_areas()
    full = synthetic.choose_series(areas, 1_000_000)
    assert len(full) == len(synthetic.MEASURES) * len(areas)
    small = synthetic.choose_series(areas, OBSERVATIONS)
    assert {m for m, _ in small} == set(range(len(synthetic.MEASURES)))
    assert any(areas[a].code.startswith(LOCAL_PREFIXES) for _, a in small)


def test_generated_dataset(db_url: str, tmp_path: Path) -> None:
    """~5,000 labelled observations land through returns, with revisions and mixed statuses."""
    db = open_seeded(db_url)
    try:
        lines: list[str] = []
        report = synthetic.generate(
            db, observations=OBSERVATIONS, seed=1, workdir=tmp_path, log=lines.append
        )
        assert abs(report.observations - OBSERVATIONS) <= OBSERVATIONS * 0.1
        assert report.revised > 0 and report.new + report.revised == report.observations
        assert any(f"{report.observations:,} observations recorded" in line for line in lines)
        assert all(path.name.startswith("synthetic-") for path in tmp_path.glob("*.csv"))

        with db.session() as session:
            measures = list(session.scalars(select(Measure)))
            synthetic_measures = [m for m in measures if m.slug.startswith("syn-")]
            assert len(measures) == REPORT_MEASURES + 28
            assert all(m.name.startswith("[Synthetic] ") for m in synthetic_measures)
            assert all("synthetic benchmark data" in m.source for m in synthetic_measures)

            from_returns = select(func.count()).where(Observation.return_id.is_not(None))
            assert session.scalar(from_returns) == report.observations
            notes = set(session.scalars(select(Observation.note).where(Observation.return_id > 0)))
            assert notes and all(note.startswith("synthetic benchmark data") for note in notes)
            markers = set(session.scalars(select(Observation.marker).distinct()))
            assert {"..", "x"} & markers

            returns = list(session.scalars(select(Return)))
            assert len(returns) == len(report.returns)
            assert all(r.file_name.startswith("synthetic-") for r in returns)
            assert all(r.outcome == "committed" for r in returns)
            assert sum(r.rows_new + r.rows_revised for r in returns) == report.observations
            assert any("revisions" in r.file_name and r.rows_revised > 0 for r in returns)

            versions = (
                select(func.count())
                .select_from(Observation)
                .group_by(
                    Observation.measure_id,
                    Observation.area_code,
                    Observation.period_start,
                    Observation.period_end,
                )
                .having(func.count() == 2)
            )
            assert len(session.execute(versions).all()) == report.revised

        rows = status_table(db)
        local = Counter(r.status for r in rows if r.area_code.startswith(LOCAL_PREFIXES))
        assert len(local) >= 3, local
        statuses = {r.status for r in rows}
        assert {"Achieved", "Missed"} <= statuses
        assert statuses & {"Green", "Amber", "Red"}
    finally:
        db.engine.dispose()


def test_generator_refuses_a_database_that_has_the_synthetic_data(tmp_path: Path) -> None:
    """A second run would pile revisions onto the first: it is refused before writing."""
    db = open_seeded(f"sqlite:///{tmp_path / 'twice.sqlite'}")
    try:
        synthetic.generate(db, observations=500, seed=1, workdir=tmp_path, log=lambda _: None)
        with pytest.raises(RuntimeError, match="already holds"):
            synthetic.generate(db, observations=500, seed=1, log=lambda _: None)
    finally:
        db.engine.dispose()
