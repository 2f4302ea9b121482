"""The command line: each command, each output format, exit codes, and help on everything."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from jwmetrics.cli.main import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def run(url: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--database-url", url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_init_is_idempotent(db_url: str) -> None:
    assert run(db_url, "init")[0] == 0
    code, out, _ = run(db_url, "init")
    assert code == 0 and "5 initiatives" in out


def test_status_json_has_the_documented_fields(db_url: str) -> None:
    code, out, _ = run(db_url, "status", "--format", "json")
    records = json.loads(out)
    assert code == 0 and len(records) == 14  # 12 from the report, 2 balancing measures
    required = {
        "initiative", "measure", "area_code", "latest_value", "latest_period", "baseline_value",
        "target_value", "target_date", "progress", "status", "reason",
    }  # fmt: skip
    assert required <= set(records[0])
    rough = next(r for r in records if r["measure"] == "rough-sleepers-count")
    assert (rough["status"], rough["latest_value"], rough["target_date"]) == (
        "Amber",
        700,
        "2002-04-30",
    )
    assert 0.5 < rough["probability_met"] < 0.7 and rough["probability_note"] == ""
    assert rough["target_id"] == 1
    childcare = next(r for r in records if r["measure"] == "new-childcare-places")
    assert (childcare["status"], childcare["probability_met"]) == ("Achieved", 1.0)
    grey = next(r for r in records if r["status"] == "Grey")
    assert grey["probability_met"] is None and grey["probability_note"]


def test_status_csv_and_as_of(db_url: str) -> None:
    code, out, _ = run(db_url, "status", "--format", "csv", "--as-of", "2002-06-01")
    rows = list(csv.DictReader(io.StringIO(out)))
    rough = next(r for r in rows if r["measure"] == "rough-sleepers-count")
    # The target date (April 2002) has passed but no figure for its period is published yet.
    assert code == 0 and rough["status"] == "Awaiting" and rough["as_of"] == "2002-06-01"
    assert rough["trend_status"] == "Amber"


def test_status_text(db_url: str) -> None:
    code, out, _ = run(db_url, "status")
    assert code == 0
    assert out.startswith("Status as known on 7 December 2001")
    assert "[Amber] Rough Sleepers Unit / People counted sleeping rough in England" in out


@pytest.mark.parametrize("command", ["initiatives", "measures"])
def test_listings(db_url: str, command: str) -> None:
    code, out, _ = run(db_url, command, "--format", "json")
    assert code == 0 and len(json.loads(out)) == (5 if command == "initiatives" else 14)
    assert "rough-sleepers" in run(db_url, command)[1]


def test_unknown_initiative_exits_1_with_nearest_names(db_url: str) -> None:
    code, out, err = run(db_url, "status", "--initiative", "Sure Strat")
    assert (code, out) == (1, "")
    assert "unknown initiative" in err and "'Sure Start'" in err


def test_bad_date_is_a_usage_error(db_url: str) -> None:
    with pytest.raises(SystemExit) as caught:
        run(db_url, "status", "--as-of", "31/02/2001")
    assert caught.value.code == 2


def test_unreachable_database_exits_1_without_password() -> None:
    code, _, err = run("postgresql+psycopg://user:s3cret@127.0.0.1:9/none", "status")
    assert code == 1
    assert "cannot open PostgreSQL database none on 127.0.0.1:9" in err
    assert "s3cret" not in err


def test_missing_catalogue_file_exits_1(db_url: str, tmp_path: Path) -> None:
    code, _, err = run(db_url, "catalogue", str(tmp_path / "nope.csv"))
    assert code == 1 and "no such file" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    for name in COMMANDS:
        assert subparsers.choices[name].format_help()
        assert f"python -m jwmetrics {name}" in readme, f"{name} is not documented in README.md"


def test_module_entry_point_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    done = subprocess.run(
        [sys.executable, "-m", "jwmetrics", "--database-url", url, "status", "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 14  # with the 2 balancing measures
