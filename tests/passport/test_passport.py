"""The measure passport: built for every measure with no empty field, filled from the report
with citations, loaded and checked like every catalogue file (both backends)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from returns_support import database_checksum
from sqlalchemy import func, select

from jwmetrics.catalogue.load import load_catalogue_file
from jwmetrics.db.engine import Database
from jwmetrics.db.passport_models import MeasurePassport
from jwmetrics.metrics import Metrics
from jwmetrics.passport.fields import FIELDS, NO_PASSPORT, NOT_IN_FILE, NOT_KNOWN
from jwmetrics.problems import InputError

MEASURE_HEADER = (
    "initiative,slug,name,unit,direction,kind,description,results_expected,too_early_note,source\n"
)
PASSPORT_HEADER = "measure," + ",".join(FIELDS) + ",source\n"
CITED = re.compile(r"(Figure|paragraphs?|footnote) ?\d", re.IGNORECASE)


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def passport_row(measure: str, **changed: str) -> str:
    values = {name: f"{name} text" for name in FIELDS} | {"source": "Paragraph 7"} | changed
    return measure + "," + ",".join(values[n] for n in (*FIELDS, "source")) + "\n"


def test_every_measure_in_the_catalogue_has_a_full_passport(db: Database, tmp_path: Path) -> None:
    synthetic = "business-link,syn-1,[Synthetic] Made-up share,percent,up,output,Made up.,,,bench\n"
    load_catalogue_file(db, write(tmp_path, "synthetic-measures.csv", MEASURE_HEADER + synthetic))
    metrics = Metrics(db)
    slugs = [m["id"] for m in metrics.measures()]
    assert len(slugs) == 15  # the report's 12, the 2 balancing measures and the synthetic one
    for slug in slugs:
        passport = metrics.passport(slug)
        assert passport.empty_fields() == [], slug
        assert list(passport.fields) == list(FIELDS)
        assert passport.direction_text in ("Higher is better", "Lower is better")
        if slug == "syn-1":
            assert passport.synthetic and "Synthetic" in passport.fields["definition"]
            assert "Synthetic" in passport.fields["caveats"]
            assert passport.fields["owner"] == NO_PASSPORT
            continue
        # Filled from the report: the passport and its paragraphs are cited; where the
        # report is silent the field says so, in words.
        assert CITED.search(passport.passport_source), slug
        assert CITED.search(passport.fields["definition"]), slug
        assert NOT_KNOWN in passport.fields["publication_lag"]
    rough = metrics.passport("rough-sleepers-count")
    assert rough.direction_text == "Lower is better"
    assert "footnote 6" in rough.fields["caveats"]


def test_a_blank_field_is_refused_naming_file_row_and_column(db: Database, tmp_path: Path) -> None:
    before = database_checksum(db)
    body = (
        PASSPORT_HEADER
        + passport_row("rough-sleepers-count", owner="")
        + passport_row("no-such-measure")
    )
    with pytest.raises(InputError) as caught:
        load_catalogue_file(db, write(tmp_path, "passports_bad.csv", body))
    found = [(p.file_name, p.row, p.column) for p in caught.value.problems]
    assert found == [("passports_bad.csv", 2, "owner"), ("passports_bad.csv", 3, "measure")]
    assert "Not known" in caught.value.problems[0].message
    assert database_checksum(db) == before


def test_an_older_file_without_the_new_columns_still_loads(db: Database, tmp_path: Path) -> None:
    measures = MEASURE_HEADER + "eydcp,eydcp-new,New places kept open,places,up,output,d,,,s\n"
    kind, count = load_catalogue_file(db, write(tmp_path, "measures_old.csv", measures))
    assert (kind, count) == ("measures", 1)
    assert Metrics(db).passport("eydcp-new").fields["owner"] == NO_PASSPORT
    short = "measure,definition,numerator\neydcp-new,Places open at the end,Places open\n"
    kind, count = load_catalogue_file(db, write(tmp_path, "passports_old.csv", short))
    assert (kind, count) == ("passports", 1)
    passport = Metrics(db).passport("eydcp-new")
    assert passport.fields["definition"] == "Places open at the end"
    assert passport.fields["owner"] == NOT_IN_FILE and passport.empty_fields() == []


def test_a_revised_passport_is_added_beside_the_old_one(db: Database, tmp_path: Path) -> None:
    body = PASSPORT_HEADER + passport_row("rough-sleepers-count", owner="A new owner")
    load_catalogue_file(db, write(tmp_path, "passports_new.csv", body), datetime(2025, 1, 1))
    assert Metrics(db).passport("rough-sleepers-count").fields["owner"] == "A new owner"
    with db.session() as session:
        kept = session.scalar(select(func.count()).select_from(MeasurePassport))
    assert kept == 15  # the report's 14, and the revision beside the old one


def test_the_snapshot_measures_come_with_their_passports(db: Database) -> None:
    from jwmetrics.catalogue.snapshot import load_snapshot

    load_snapshot(db)
    metrics = Metrics(db)
    for slug in ("rough-sleeping-snapshot", "rough-sleeping-rate"):
        passport = metrics.passport(slug)
        assert passport.empty_fields() == [] and "Table" in passport.passport_source
        assert "not comparable" in passport.fields["caveats"]
        (stats,) = passport.revisions  # the figures came as returns from one source
        assert stats.partner == "Official statistics: rough sleeping snapshot in England"
