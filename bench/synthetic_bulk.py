"""Bulk synthetic figures on PostgreSQL with ``COPY``: synthetic wards, to reach 10 million.

``python bench/synthetic_bulk.py --database-url URL --observations 10000000``

Why: :mod:`synthetic` sends every figure through the one import path (check + commit), which
is what a real team does, and tops out at every measure in every local authority (about
1,000,000 figures). A 10,000,000-figure store needs more series, and the import path at a few
thousand rows a second on a shared machine would take close to an hour. So, once
``synthetic.py`` has built its database through the real path, this adds **synthetic wards**
(``[Synthetic] ward N of <authority>``, codes ``X`` + the authority's digits + ``NN``, type
``ward``, parent the authority) and their figures for every synthetic measure, 1998 Q1-2024 Q4,
from the same series model (each ward a share of its authority), written straight into
``observation`` with PostgreSQL ``COPY`` under one approved return per initiative
(``synthetic-bulk-wards-<initiative>``, labelled like the rest), then their ``current_value``
rows in one ``INSERT … SELECT`` (every bulk figure has one version, so each is current). The
foreign keys and indexes stay in place while it loads. Only for PostgreSQL, only on a
database that ``synthetic.py`` has filled, never twice.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
for folder in (REPO_ROOT, REPO_ROOT / "bench"):  # run as a script
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import synthetic  # noqa: E402
from sqlalchemy import Engine, create_engine, text  # noqa: E402

from jwmetrics.periods import quarter  # noqa: E402

WARD_TYPE = "ward"
SERIES_FIGURES = len(synthetic.QUARTERS)
BLOCK_SERIES = 2_000  # series per COPY block: about 200,000 rows of text at a time


def ward_areas(areas: Sequence[synthetic.AreaInfo], per_authority: int) -> list[synthetic.AreaInfo]:
    """``per_authority`` synthetic wards under each local authority, each an equal share of it.

    The series model sees a ward as a small local authority (its noise, markers and spread)."""
    wards = []
    for la in areas:
        if la.area_type != "local authority":
            continue
        for number in range(1, per_authority + 1):
            code = f"X{la.code[1:]}{number:02d}"
            name = f"{synthetic.NAME_PREFIX}ward {number} of {la.name}"
            wards.append(
                synthetic.AreaInfo(
                    code, name, "local authority", la.code, la.weight / per_authority
                )
            )
    return wards


def wards_needed(observations: int, existing: int) -> int:
    """Wards per authority to bring the store to about ``observations`` figures."""
    authorities = sum(1 for a in synthetic.read_areas() if a.area_type == "local authority")
    per_ward = len(synthetic.MEASURES) * SERIES_FIGURES
    return max(1, round((observations - existing) / (authorities * per_ward)))


def _number(value: float, spec: synthetic.MeasureSpec) -> str:
    """A value as COPY text: one decimal for percentages, whole numbers otherwise."""
    return f"{value:.1f}" if spec.unit == "percent" else f"{value:.0f}"


def copy_lines(
    series_keys: Sequence[tuple[int, int]],
    wards: Sequence[synthetic.AreaInfo],
    measure_ids: dict[str, int],
    returns: dict[str, int],
    partners: dict[str, str],
    published: date,
    recorded: datetime,
    seed: int,
) -> Iterator[str]:
    """COPY text lines (tab-separated, ``\\N`` for NULL) of the series ``(measure, ward)``."""
    periods = [(p.start, p.end) for p in (quarter(y, q) for y, q in synthetic.QUARTERS)]
    for m, w in series_keys:
        spec, ward = synthetic.MEASURES[m], wards[w]
        figures = synthetic.generate_series(spec, ward, (m, 100_000 + w), seed)
        return_id = returns[spec.initiative]
        head = f"{measure_ids[spec.slug]}\t{ward.code}\t"
        tail = (
            f"\t{partners[spec.initiative]}\t{synthetic.NOTE}\t"
            f"return {return_id} (synthetic-bulk-wards-{spec.initiative})\t{return_id}\t"
        )
        for i, (start, end) in enumerate(periods):
            marker = figures.markers[i]
            value = "\\N" if marker else _number(float(figures.values[i]), spec)
            status = (
                "provisional" if synthetic.QUARTERS[i][0] == synthetic.PROVISIONAL_YEAR else "final"
            )
            yield (
                f"{head}{start}\t{end}\tquarter\t{value}\texact\t{marker or chr(92) + 'N'}\t"
                f"{status}{tail}{i + 2}\t{published}\t{recorded}\n"
            )


COLUMNS = (
    "measure_id, area_code, period_start, period_end, period_kind, value, qualifier, marker, "
    "data_status, partner, note, source, return_id, row_number, published_on, recorded_at"
)


def bulk_load(
    url: str,
    observations: int,
    seed: int = 1,
    log: Callable[[str], object] = print,
    authorities: int | None = None,
) -> dict[str, float]:
    """Add synthetic wards and their figures until the store holds about ``observations``
    (``authorities``: under only the first N local authorities, one ward each: for tests)."""
    engine = create_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            raise RuntimeError("bulk loading uses PostgreSQL COPY: give a postgresql URL")
        if conn.scalar(text("SELECT count(*) FROM area WHERE area_type = :t"), {"t": WARD_TYPE}):
            raise RuntimeError("the database already holds the synthetic wards")
        existing = int(conn.scalar(text("SELECT count(*) FROM observation")) or 0)
        published = conn.scalar(
            text("SELECT max(published_on) FROM data_return WHERE file_name LIKE 'synthetic-%'")
        )
        if published is None:
            raise RuntimeError("run bench/synthetic.py on this database first")
        measure_ids: dict[str, int] = dict(
            conn.execute(text("SELECT slug, id FROM measure WHERE slug LIKE 'syn-%'")).all()
        )
    per = 1 if authorities else wards_needed(observations, existing)
    wards = ward_areas(synthetic.read_areas(), per)[: authorities or None]
    keys = [(m, w) for w in range(len(wards)) for m in range(len(synthetic.MEASURES))]
    log(
        f"{existing:,} figures stored; adding {len(wards):,} wards ({per} per authority) x "
        f"{len(synthetic.MEASURES)} measures x {SERIES_FIGURES} quarters = "
        f"{len(keys) * SERIES_FIGURES:,}"
    )
    recorded = datetime.now()
    returns, partners = _returns(engine, wards, keys, published, recorded)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        restore = _drop_keys(cursor, ("observation", "current_value"))
        raw.commit()
        for first in range(0, len(keys), BLOCK_SERIES):
            block = keys[first : first + BLOCK_SERIES]
            buffer = io.StringIO()
            buffer.writelines(
                copy_lines(block, wards, measure_ids, returns, partners, published, recorded, seed)
            )
            with cursor.copy(f"COPY observation ({COLUMNS}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            raw.commit()
            done = min(first + BLOCK_SERIES, len(keys)) * SERIES_FIGURES
            log(f"  {done:,} figures copied in {time.perf_counter() - started:.0f} s")
        copied = time.perf_counter() - started
        cursor.execute(
            "INSERT INTO current_value (measure_id, area_code, period_end, period_start, "
            "observation_id, published_on, recorded_at) SELECT measure_id, area_code, "
            "period_end, period_start, id, published_on, recorded_at FROM observation "
            "WHERE return_id = ANY(%s)",
            (list(returns.values()),),
        )
        raw.commit()
        for statement in restore:  # indexes built once, foreign keys checked in one pass each
            cursor.execute(statement)
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    total = time.perf_counter() - started
    rows = len(keys) * SERIES_FIGURES
    log(
        f"{rows:,} figures by COPY in {copied:.0f} s ({rows / copied:,.0f} rows/s); current "
        f"values, indexes, foreign keys and ANALYZE {total - copied:.0f} s; total {total:.0f} s"
    )
    return {"rows": rows, "copy_seconds": copied, "total_seconds": total, "wards": len(wards)}


def _drop_keys(cursor: Any, tables: Sequence[str]) -> list[str]:
    """Drop the foreign keys and secondary indexes of ``tables`` (primary keys stay); return
    the statements that put them back. A foreign key checked row by row is most of a COPY's
    time; checked once afterwards (``ADD CONSTRAINT`` validates every row) it is a join."""
    restore_indexes, restore_keys = [], []
    for table in tables:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            (table,),
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            restore_keys.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND "
            "i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))",
            (table,),
        )
        for name, definition in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
            restore_indexes.append(definition)
    return restore_indexes + restore_keys


def _returns(
    engine: Engine,
    wards: Sequence[synthetic.AreaInfo],
    keys: Sequence[tuple[int, int]],
    published: date,
    recorded: datetime,
) -> tuple[dict[str, int], dict[str, str]]:
    """The wards as areas, and one approved return per initiative for their figures."""
    returns: dict[str, int] = {}
    partners: dict[str, str] = {}
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO area (code, name, area_type, parent_code) VALUES (:c, :n, :t, :p)"),
            [{"c": w.code, "n": w.name, "t": WARD_TYPE, "p": w.parent} for w in wards],
        )
        for initiative in synthetic.INITIATIVES:
            rows = SERIES_FIGURES * sum(
                1 for m, _ in keys if synthetic.MEASURES[m].initiative == initiative
            )
            name = f"synthetic-bulk-wards-{initiative}"
            partners[initiative] = f"Synthetic benchmark partner ({initiative})"
            returns[initiative] = conn.scalar(
                text(
                    "INSERT INTO data_return (file_name, sha256, partner, uploaded_by, "
                    "uploaded_at, rows_read, rows_new, rows_revised, rows_unchanged, outcome, "
                    "published_on, "
                    "withdrawn_by, state, counts_from) VALUES (:f, :s, :p, :u, :at, :n, :n, 0, 0, "
                    "'committed', :pub, '', 'approved', :at) RETURNING id"
                ),
                {
                    "f": name,
                    "s": hashlib.sha256(name.encode()).hexdigest(),
                    "p": partners[initiative],
                    "u": synthetic.UPLOADED_BY,
                    "at": recorded,
                    "n": rows,
                    "pub": published,
                },
            )
            conn.execute(
                text(
                    "INSERT INTO return_event (return_id, state, by, at, reason) "
                    "VALUES (:r, 'approved', :u, :at, 'no approval needed')"
                ),
                {"r": returns[initiative], "u": synthetic.UPLOADED_BY, "at": recorded},
            )
    return returns, partners


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: bulk-load wards into ``--database-url`` up to ``--observations``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--observations", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--authorities", type=int, help="one ward under each of the first N only")
    args = parser.parse_args(argv)
    try:
        bulk_load(args.database_url, args.observations, args.seed, authorities=args.authorities)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
