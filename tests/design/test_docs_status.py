"""docs/status.md must agree with the code: status words, symbols, thresholds, examples."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

from jwmetrics.assess.detail import series_detail
from jwmetrics.assess.forecast import MIN_FIGURES_FOR_INTERVAL, MIN_FIGURES_FOR_LINE
from jwmetrics.assess.status import StatusRules
from jwmetrics.db.engine import Database
from jwmetrics.periods import NEARBY_MONTHS
from jwmetrics.present.status import STYLES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "status.md").read_text()


def test_every_status_word_and_symbol_is_documented() -> None:
    for status, style in STYLES.items():
        assert f"| {status} | {style.symbol} |" in DOC
        assert style.colour in DOC


def test_thresholds_are_documented_with_their_defaults() -> None:
    defaults = StatusRules()
    for item in fields(StatusRules):
        value = getattr(defaults, item.name)
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        assert f"| `{item.name}` | {shown} |" in DOC
    assert f"| line minimum | {MIN_FIGURES_FOR_LINE} |" in DOC
    assert f"| interval minimum | {MIN_FIGURES_FOR_INTERVAL} |" in DOC
    assert f"| nearby | {NEARBY_MONTHS} months |" in DOC


def test_the_reports_worked_examples_are_what_the_code_says(seeded_db: Database) -> None:
    green = series_detail(seeded_db, "rough-sleepers-count").assessment.reason
    awaiting = series_detail(seeded_db, "rough-sleepers-count", as_of=date(2002, 6, 1))
    flat = " ".join(DOC.split())
    assert f'"{green}"' in flat
    assert awaiting.assessment.reason.split(" …")[0][:150] in flat


def test_the_readme_names_every_status_word() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = " ".join(readme.split("## Status rules", 1)[1].split("\n## ", 1)[0].split())
    listed = section.split("The status words (", 1)[1].split(")", 1)[0]
    assert listed.split(", ") == [str(status) for status in STYLES]
    for status in STYLES:
        assert f"**{status}**" in section  # and each has its rule in the summary
