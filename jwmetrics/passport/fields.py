"""The measure passport's fields, and the catalogue file that fills them (``data/passports.csv``).

A passport says what a measure means and how it is made (issue 23, item 4): its definition,
numerator and denominator with their sources, how often it is published and how late,
whether it is revised, how it is rounded and disclosed, who owns it, and its caveats. The
fields are text and never blank: where the source is silent the file says so in words
("Not known (the report does not say)"), so a reader sees the gap rather than nothing.

A passports file has a ``measure`` column (the measure's id) and the field columns. It is
checked like every catalogue file: an unknown measure, or a field column present but blank
in a row, is a problem naming the file, row and column, and nothing is written. A field
column the file lacks altogether (a file written before the column existed) is filled with
:data:`NOT_IN_FILE`, so older files still load. A revised passport is a new row beside the
old one (the newest ``recorded_at`` counts).
"""

from __future__ import annotations

from jwmetrics.db.models import Measure
from jwmetrics.db.passport_models import MeasurePassport
from jwmetrics.tabular.csv_rows import CsvRow, Loader

# The passport's text fields, in the order they are shown, with their headings.
FIELDS: dict[str, str] = {
    "definition": "Definition",
    "numerator": "Numerator",
    "numerator_source": "Numerator's source",
    "denominator": "Denominator",
    "denominator_source": "Denominator's source",
    "frequency": "Frequency",
    "publication_lag": "Usual publication lag",
    "revisions_policy": "Revisions policy",
    "rounding": "Rounding",
    "disclosure": "Disclosure",
    "owner": "Owner",
    "caveats": "Caveats",
}
REQUIRED = tuple(FIELDS)
"""Every field is required: present and non-blank in a built passport."""

FILE_COLUMNS = frozenset({"measure", "definition", "numerator"})
"""The columns that identify a passports file (the others may be missing from older files)."""

NOT_KNOWN = "Not known (the report does not say)"
"""What a passport says where the report is silent (written out in ``data/passports.csv``)."""

NOT_IN_FILE = "Not known (not given in the catalogue file)"
"""What a field says when the file loaded has no column for it."""

NO_PASSPORT = "Not known (no passport has been loaded for this measure)"
"""What every field says for a measure without a passport row."""

SYNTHETIC = (
    "Synthetic: a made-up measure for tests and benchmarks (bench/synthetic.py); its "
    "figures are not real."
)
"""What a synthetic measure's passport says (its name starts ``[Synthetic]``)."""


def is_synthetic(name: str) -> bool:
    """True for a measure made up by ``bench/synthetic.py`` (named ``[Synthetic] ...``)."""
    return name.startswith("[Synthetic]")


def add_passport(loader: Loader, row: CsvRow) -> None:
    """Check one row of a passports file and stage it as a new :class:`MeasurePassport`."""
    measure = loader.require(row, "measure", loader.known(Measure, "slug"))
    values: dict[str, str] = {}
    for name in (*FIELDS, "source"):
        if name not in row.cells:
            values[name] = NOT_IN_FILE if name != "source" else ""
            continue
        values[name] = row.get(name)
        if not values[name] and name != "source":
            message = f"the {FIELDS[name].lower()} is required; write '{NOT_KNOWN}' if unknown"
            loader.problems.append(row.problem(name, message))
    if not isinstance(measure, Measure):
        return
    loader.add_if_clean(
        row, MeasurePassport(measure_id=measure.id, recorded_at=loader.recorded_at, **values)
    )
