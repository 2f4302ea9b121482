"""Time of refusing files full of unknown area codes, each with its "did you mean".

Run: ``.venv/bin/python bench/suggestions_bench.py`` (``--rows 20000 --answers 2000``).
Prints, for a partner's return and for a self-assessment, the seconds (wall and CPU) to check
a file whose every row names a different unknown area code, beside a baseline measured in
the same run on the same machine: the same file with known codes instead (a return of the
same size checked, a self-assessment of the same size recorded). The ratio of the two is the
figure to compare between commits; the goal (issue 21) is a return of 20,000 distinct
unknown codes refused in under 10 seconds. Tests never assert on time (project rule).

The unknown codes are half typing slips of real codes (one character changed, so most have a
suggestion) and half strangers ("X" and eight digits); every one is distinct.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from jwmetrics.catalogue.seed import open_seeded  # noqa: E402
from jwmetrics.db.engine import Database  # noqa: E402
from jwmetrics.problems import InputError  # noqa: E402
from jwmetrics.returns import check_return  # noqa: E402
from jwmetrics.self_assessment.answers import import_self_assessment  # noqa: E402
from jwmetrics.self_assessment.partnerships import template_rows  # noqa: E402

HEADER = "initiative,measure,area_code,period,value\n"
FIRST_DAY = date(1990, 1, 1)  # self-assessment answers: one day per round of questions
CODES = [r["area_code"] for r in csv.DictReader((ROOT / "data/areas_england.csv").open())]


def unknown_codes(count: int, seed: int = 21) -> list[str]:
    """``count`` distinct codes in no catalogue: slips of real codes, then strangers."""
    rng = random.Random(seed)
    known, found = set(CODES), set[str]()
    while len(found) < count // 2:
        code = rng.choice(CODES)
        place = rng.randrange(1, len(code))
        slip = code[:place] + rng.choice("0123456789OIZ") + code[place + 1 :]
        if slip not in known:
            found.add(slip)
    strangers = {f"X{n:08d}" for n in rng.sample(range(10**8), count - len(found))}
    return sorted(found) + sorted(strangers)


def return_file(codes: list[str]) -> bytes:
    """One row per code: each code with its own quarter, so no two rows collide."""
    lines = []
    for number, code in enumerate(codes):
        year, quarter = 1990 + (number // len(CODES)) // 4, (number // len(CODES)) % 4 + 1
        period = f"{year} Q{quarter}"
        lines.append(f"rough-sleepers-unit,rough-sleepers-count,{code},{period},{number}\n")
    return (HEADER + "".join(lines)).encode()


def answers_file(db: Database, codes: list[str] | None, count: int) -> bytes:
    """``count`` answered rows of the self-assessment template (England's questions over
    many days), each with its own unknown code from ``codes`` when given."""
    template = template_rows(db, "rough-sleepers-unit")
    rows = []
    for number in range(count):
        row = dict(template[number % len(template)])
        day = 1 + number // len(template)
        answered_on = (FIRST_DAY + timedelta(days=day)).isoformat()  # a day apart
        row.update(score="2", answered_on=answered_on, answered_by="bench")
        if codes is not None:
            row["area_code"] = codes[number]
        rows.append(row)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(template[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def timed(run: Callable[[], object]) -> tuple[float, float, object]:
    """Wall seconds, CPU seconds and the result of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def refused(db: Database, data: bytes) -> Callable[[], int]:
    """A self-assessment import expected to be refused: the number of problems listed."""

    def run() -> int:
        try:
            import_self_assessment(db, data, "answers.csv")
        except InputError as exc:
            return len(exc.problems)
        raise AssertionError("the file was recorded")

    return run


def line(name: str, wall: float, cpu: float, base: tuple[float, float] | None = None) -> str:
    """One printed line: seconds, and the ratio to the baseline when given."""
    ratio = f"  {wall / base[0]:5.1f} x the baseline (CPU {cpu / base[1]:.1f} x)" if base else ""
    return f"{name:<58} {wall:7.2f} s wall {cpu:7.2f} s CPU{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the return")
    parser.add_argument("--answers", type=int, default=2_000, help="rows of the self-assessment")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_seeded(f"sqlite:///{folder}/bench.sqlite")
        known = [CODES[n % len(CODES)] for n in range(args.rows)]
        wall, cpu, check = timed(lambda: check_return(db, return_file(known), "known.csv"))
        print(line(f"return, {args.rows:,} rows of known codes (baseline)", wall, cpu))
        print(f"  {len(check.errors):,} errors, {len(check.warnings):,} warnings")  # type: ignore[attr-defined]
        base = (wall, cpu)
        codes = unknown_codes(args.rows)
        wall, cpu, check = timed(lambda: check_return(db, return_file(codes), "unknown.csv"))
        listed = len(check.problems)  # type: ignore[attr-defined]
        print(line(f"return, {args.rows:,} distinct unknown codes", wall, cpu, base))
        print(f"  {listed:,} problems listed; the last: {check.problems[-1].message}")  # type: ignore[attr-defined]

        data = answers_file(db, None, args.answers)
        wall, cpu, _ = timed(lambda: import_self_assessment(db, data, "known.csv"))
        print(line(f"self-assessment, {args.answers:,} rows recorded (baseline)", wall, cpu))
        base = (wall, cpu)
        data = answers_file(db, unknown_codes(args.answers), args.answers)
        wall, cpu, listed = timed(refused(db, data))
        print(line(f"self-assessment, {args.answers:,} distinct unknown codes", wall, cpu, base))
        print(f"  {listed:,} problems listed")
        db.engine.dispose()


if __name__ == "__main__":
    main()
