"""The passport on the command line (JSON and Markdown), in the briefing pack's annex (linked
from each chart, rebuilt to the same bytes), and migration 0017 over a database with data
(both backends)."""

from __future__ import annotations

import io
import json
from datetime import date

from migrations import engine_at
from sqlalchemy import text

from jwmetrics.briefing.packs import make_pack, rebuild_pack
from jwmetrics.cli.main import main
from jwmetrics.db.engine import Database, migrate
from jwmetrics.passport.fields import FIELDS
from jwmetrics.present.pack.document import pack_file
from jwmetrics.returns import check_return, commit_return


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_gives_the_passport_as_json_and_markdown(db: Database, db_url: str) -> None:
    code, out, _ = run(db_url, "passport", "rough-sleepers-count", "--format", "json")
    record = json.loads(out)
    assert code == 0
    assert record["measure"] == "rough-sleepers-count" and record["direction"] == "down"
    assert record["direction_text"] == "Lower is better" and record["synthetic"] is False
    assert all(record[name] for name in FIELDS)
    assert record["owner"] == "Rough Sleepers Unit (Figure 4)"
    assert [m["name"] for m in record["methods"]] == [
        "Status", "Forecast", "SPC", "Comparison", "Revisions",
    ]  # fmt: skip
    assert record["revisions"] == [
        {
            "partner": "", "first_figures": 2, "revised": 0, "share_revised": 0.0,
            "mean_revision": 0.0, "mean_abs_revision": 0.0, "mean_revision_pct": 0.0,
            "mean_abs_revision_pct": 0.0,
        }
    ]  # fmt: skip
    code, out, _ = run(
        db_url, "passport", "People counted sleeping rough in England", "--format", "md"
    )
    assert code == 0
    assert out.startswith("# Measure passport: People counted sleeping rough in England\n")
    assert "| Which direction is good | Lower is better |" in out
    assert "| Usual publication lag | Not known (the report does not say) |" in out
    assert "[docs/spc.md#the-chart-and-its-limits](docs/spc.md#the-chart-and-its-limits)" in out
    code, _, err = run(db_url, "passport", "rough-sleeper-count")
    assert code == 1 and "unknown measure" in err and "rough-sleepers-count" in err


def test_the_pack_has_an_annex_of_passports_each_chart_links_to(db: Database) -> None:
    made = make_pack(db, "rough-sleepers-unit", date(2002, 6, 1), pack_file, by="analyst")
    page = made.data.decode()
    assert '<h2 id="annex">Annex: measure passports</h2>' in page
    for slug in ("rough-sleepers-count", "rough-sleeping-cost-per-person"):
        assert f'<article class="measure" id="passport-{slug}">' in page
        assert f'<a href="#passport-{slug}">measure passport</a>' in page  # under its chart
    assert "Rough Sleepers Unit (Figure 4)" in page
    # A figure revised later does not change the rebuilt pack: its annex is as it stood.
    check = check_return(
        db,
        b"initiative,measure,area_code,period,value\n"
        b"rough-sleepers-unit,rough-sleepers-count,E92000001,June 2001,710\n",
        "later.csv",
        published_on=date(2002, 1, 1),
    )
    commit_return(db, check, confirm_warnings=True)
    rebuilt = rebuild_pack(db, made.pack_id, pack_file)
    assert rebuilt.data == made.data
    again = make_pack(db, "rough-sleepers-unit", date(2002, 6, 1), pack_file, by="analyst")
    assert (  # 700 revised to 710: +1.43%, over 2 first figures ±0.71% on average
        "The report (no partner named): figures revised by about ±0.71% on average, mostly "
        "upward (1 of 2 first figures revised since)."
    ) in again.data.decode()


def test_migration_0017_adds_the_passport_table_to_a_database_with_data(db_url: str) -> None:
    engine = engine_at(db_url, "0015")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO client_group (slug, name, description, source) "
                "VALUES ('g', 'G', '', 's')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO initiative (slug, name, client_group_slug, purpose, "
                "joint_working_form, lead_departments, key_features, performance_measurement, "
                "satisfaction_assessment, impact, source) "
                "VALUES ('i', 'I', 'g', 'p', 'f', 'd', '', '', '', '', 's')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO measure (id, slug, initiative_slug, name, unit, direction, kind, "
                "description, results_expected, too_early_note, source, recorded_at) VALUES "
                "(1, 'm', 'i', 'M', 'people', 'down', 'outcome', '', '', '', 's', "
                "'2003-01-01 00:00:00')"
            )
        )
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO measure_passport (measure_id, definition, numerator, "
                "numerator_source, denominator, denominator_source, frequency, "
                "publication_lag, revisions_policy, rounding, disclosure, owner, caveats, "
                "source, recorded_at) VALUES (1, 'd', 'n', 'ns', 'de', 'ds', 'f', 'l', 'r', "
                "'ro', 'di', 'o', 'c', 's', '2003-01-02 00:00:00')"
            )
        )
        kept = connection.execute(text("SELECT slug FROM measure")).scalars().all()
        owners = connection.execute(text("SELECT owner FROM measure_passport")).scalars().all()
    engine.dispose()
    assert (kept, owners) == (["m"], ["o"])
