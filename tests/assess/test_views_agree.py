"""One measure, one call, in every view: the status table (overview), the drill-down
(initiative page), the briefing pack's content and the command line judge the same series on
the same day alike, on the same figure for the target period.

The series are synthetic (seeded random monthly and quarterly series, labelled synthetic in
their source), long enough that the target period falls well outside the newest eight
figures, which is where the status table used to judge another figure.
"""

from __future__ import annotations

import io
import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.portfolio import status_table
from jwmetrics.briefing.content import PackRequest, build_content
from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database
from jwmetrics.db.models import CurrentValue, Measure, Observation
from jwmetrics.periods import month, quarter
from jwmetrics.store.lookup import ENGLAND
from jwmetrics.store.writes import ObservationInput, add_observations

MEASURES = (
    "initiative,slug,name,unit,direction,kind,source\n"
    "rough-sleepers-unit,syn-monthly,[Synthetic] monthly count,people,down,outcome,synthetic\n"
    "rough-sleepers-unit,syn-quarterly,[Synthetic] quarterly share,percent,up,outcome,synthetic\n"
)
TARGETS = (
    "measure,area_code,baseline_value,baseline_period,target_value,target_change,target_date,"
    "wording,value_qualifier,milestones,source,recorded_at\n"
    "syn-monthly,E92000001,1000,December 1999,700,,June 2002,cut to 700,exact,,synthetic,"
    "1999-12-31\n"
    "syn-quarterly,E92000001,50,1999 Q4,60,,2002 Q2,raise to 60%,exact,,synthetic,1999-12-31\n"
)


@pytest.fixture
def synthetic(db: Database, tmp_path: Path) -> Database:
    for name, body in (("measures.csv", MEASURES), ("targets.csv", TARGETS)):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        load_catalogue_file(db, path)
    return db


def store_series(db: Database, slug: str, rng: random.Random) -> None:
    """Replace the synthetic series with a new random walk, each figure published a month
    after its period ends."""
    monthly = slug == "syn-monthly"
    with db.session() as session, session.begin():
        measure_id = session.scalar(select(Measure.id).where(Measure.slug == slug))
        assert measure_id is not None
        stored = select(Observation.id).where(Observation.measure_id == measure_id)
        session.execute(delete(CurrentValue).where(CurrentValue.measure_id == measure_id))
        session.execute(delete(Observation).where(Observation.id.in_(stored)))
        value, items = (1000.0 if monthly else 50.0), []
        for step in range(84 if monthly else 40):
            value *= 1 + rng.gauss(-0.01 if monthly else 0.01, 0.04)
            if monthly:
                period = month(2000 + step // 12, step % 12 + 1)
            else:
                period = quarter(2000 + step // 4, step % 4 + 1)
            shown = round(min(value, 100.0) if not monthly else value, 1)
            published = date.fromordinal(period.end.toordinal() + 31)
            items.append(
                ObservationInput(
                    measure_id, ENGLAND, period, shown, "synthetic", published_on=published
                )
            )
        add_observations(session, items, recorded_at=datetime(2000, 1, 1))


def cli_status(db: Database, day: date) -> list[dict[str, object]]:
    out, err = io.StringIO(), io.StringIO()
    url = db.engine.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "status", "--format", "json", "--as-of",
                 day.isoformat()], out=out, err=err) == 0, err.getvalue()  # fmt: skip
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_every_view_gives_the_same_call_on_the_same_figure(synthetic: Database) -> None:
    """For random series and days (before, around and long after the target date), the
    status table equals the drill-down, the pack's content and the CLI, row for row."""
    rng = random.Random(19)
    for case in range(12):
        slug = "syn-monthly" if case % 2 == 0 else "syn-quarterly"
        store_series(synthetic, slug, rng)
        day = date(2001, 1, 1).fromordinal(date(2001, 1, 1).toordinal() + rng.randint(0, 9 * 365))
        table = [r for r in status_table(synthetic, as_of=day) if r.measure == slug]
        assert len(table) == 1
        row = table[0]
        detail = series_detail(synthetic, slug, ENGLAND, as_of=day).assessment
        content = build_content(
            synthetic, PackRequest("rough-sleepers-unit", day, None, "test", datetime.now())
        )
        pack = [
            brief.detail.assessment
            for section in content.initiatives
            for brief in section.measures
            if brief.detail.measure_slug == slug
        ]
        cli = [r for r in cli_status(synthetic, day) if r["measure"] == slug]
        seen = {
            "table": (row.status, row.target_period, row.reason),
            "detail": (detail.status, detail.target_period, detail.reason),
            "pack": (pack[0].status, pack[0].target_period, pack[0].reason),
            "cli": (cli[0]["status"], cli[0]["target_period"], cli[0]["reason"]),
        }
        assert len(set(seen.values())) == 1, (case, day, seen)
        if day > date(2003, 6, 30):  # long after: a verdict on the target period's own figure
            assert row.status in ("Achieved", "Missed")
            assert row.target_period in ("June 2002", "2002 Q2")


def test_two_targets_on_one_series_are_each_judged(synthetic: Database, tmp_path: Path) -> None:
    """An interim and a final target set together: a row each, the interim settled first."""
    path = tmp_path / "final.csv"
    path.write_text(
        TARGETS.splitlines()[0] + "\n"
        "syn-monthly,E92000001,1000,December 1999,400,,June 2004,cut to 400,exact,,synthetic,"
        "1999-12-31\n",
        encoding="utf-8",
    )
    load_catalogue_file(synthetic, path)
    store_series(synthetic, "syn-monthly", random.Random(3))
    rows = [
        r for r in status_table(synthetic, as_of=date(2003, 6, 1)) if r.measure == "syn-monthly"
    ]
    assert [r.target_value for r in rows] == [400, 700]  # the open one first, then settled
    assert rows[0].status in ("Green", "Amber", "Red")
    assert rows[1].status in ("Achieved", "Missed") and rows[1].target_period == "June 2002"
    assert len({r.target_id for r in rows}) == 2
    detail = series_detail(synthetic, "syn-monthly", ENGLAND, as_of=date(2003, 6, 1))
    assert detail.target is not None and detail.target.value == 400
    assert [a.target_value for a in detail.other_targets] == [700]
    cli = [r for r in cli_status(synthetic, date(2003, 6, 1)) if r["measure"] == "syn-monthly"]
    assert [r["target_id"] for r in cli] == [r.target_id for r in rows]
