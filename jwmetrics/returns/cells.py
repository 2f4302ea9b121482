"""Verdicts on the cells of a return, one per distinct text.

A return repeats itself down its columns: the same measure and initiative, a few hundred
area codes, a few dozen periods, the same statuses and many of the same values. Each
method of :class:`CellJudge` reads one distinct text (or combination of texts) and gives
what it means plus the problems with it (:data:`Findings`); the check applies the verdict
to every row holding that text. Each text is therefore parsed, and each "did you mean"
worked out, once per file however many rows repeat it; the "did you mean" against an index
of the catalogue built once per file (:class:`~jwmetrics.problems.Suggestions`), so 20,000
distinct unknown codes take seconds, not minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

from jwmetrics.periods import Period, PeriodError, parse_period
from jwmetrics.problems import Suggestions, did_you_mean
from jwmetrics.returns.cell_value import (
    ParsedValue,
    ValueParseError,
    parse_qualifier,
    parse_status,
    parse_value,
)
from jwmetrics.returns.lookups import Catalogue, MeasureRef

MAX_PARTNER_CHARS: Final = 200  # a partner's name, on the form or in a row's partner column
COUNT_UNITS: Final = frozenset({"people", "places", "GBP", "count", "number"})

Finding = tuple[str | None, str, str]  # column, message, severity ("error" or "warning")
Findings = tuple[Finding, ...]
Figure = tuple[float | None, str, str | None]  # value, qualifier, marker
NONE: Final[Findings] = ()


def error(column: str | None, message: str) -> Finding:
    """A finding that blocks the commit."""
    return (column, message, "error")


def warning(column: str | None, message: str) -> Finding:
    """A finding the user confirms before the commit."""
    return (column, message, "warning")


def partner_too_long(partner: str) -> str | None:
    """Why a partner's name is refused (over :data:`MAX_PARTNER_CHARS`), or None."""
    if len(partner) <= MAX_PARTNER_CHARS:
        return None
    return (
        f"the partner's name is {len(partner):,} characters long, over the limit of "
        f"{MAX_PARTNER_CHARS}"
    )


class CellJudge:
    """Reads distinct cell texts against the catalogue; remembers its "did you mean"s."""

    def __init__(self, catalogue: Catalogue, partner: str) -> None:
        """A judge for one file: its catalogue, and the partner named for the whole file."""
        self.catalogue = catalogue
        self.partner = partner  # the file's partner, for rows that name none
        self.area_codes = list(catalogue.areas)
        self.suggestions: dict[str, Suggestions] = {}  # kind ("area") -> its choices indexed
        self.values: dict[str, ParsedValue | str] = {}  # value text -> reading, or why not

    def hint(self, kind: str, text: str, choices: Callable[[], list[str]]) -> str:
        """The "did you mean" suffix for ``text`` among the ``choices`` of ``kind``: the
        choices indexed on the first unknown text of that kind, each text matched once."""
        suggest = self.suggestions.get(kind)
        if suggest is None:
            suggest = self.suggestions[kind] = Suggestions(choices(), did_you_mean)
        return suggest(text)

    def measure(self, cells: tuple[str, str]) -> tuple[MeasureRef | None, Findings]:
        """The measure named by a (measure, initiative) pair of cells."""
        measures, initiatives = self.catalogue.measures, self.catalogue.initiatives
        text = cells[0].strip()
        measure = measures.get(text) or measures.get(text.lower())
        if measure is None:
            slugs = lambda: sorted({m.slug for m in measures.values()})  # noqa: E731
            return None, (error("measure", f"unknown measure{self.hint('measure', text, slugs)}"),)
        initiative_text = cells[1].strip()
        initiative = initiatives.get(initiative_text) or initiatives.get(initiative_text.lower())
        if initiative is None:
            names = lambda: sorted(set(initiatives.values()))  # noqa: E731
            hint = self.hint("initiative", initiative_text, names)
            return None, (error("initiative", f"unknown initiative{hint}"),)
        if initiative != measure.initiative_slug:
            message = f"measure {measure.slug!r} belongs to initiative {measure.initiative_slug!r}"
            return None, (error("measure", message),)
        return measure, NONE

    def area(self, cells: tuple[str, str]) -> tuple[str | None, Findings]:
        """The area code of an (area_code, area_name) pair; a name that does not match warns."""
        areas = self.catalogue.areas
        code = cells[0].strip().upper()
        if code not in areas:
            hint = self.hint("area", code, lambda: self.area_codes)
            message = f"unknown area code; expected an ONS code such as E92000001{hint}"
            return None, (error("area_code", message),)
        name = cells[1].strip()
        if name and name.lower() != areas[code].lower():
            message = f"area name does not match {code}, which is {areas[code]!r}"
            return code, (warning("area_name", message),)
        return code, NONE

    def period(self, text: str) -> tuple[Period | None, Findings]:
        """The period a cell names."""
        try:
            return parse_period(text.strip()), NONE
        except PeriodError as exc:
            return None, (error("period", str(exc)),)

    def value(self, cells: tuple[str, str | None, str]) -> tuple[Figure | None, Findings]:
        """The figure of a (value, measure's unit, qualifier) triple: refused in the wrong
        unit, impossible for the measure, or contradicting the qualifier column."""
        text, unit, qualifier_text = cells
        parsed = self.parsed(text)
        if isinstance(parsed, str):
            return None, (error("value", parsed),)
        refusal = _unit_refusal(parsed, unit)
        if refusal is not None:
            return None, (error("value", refusal),)
        findings: list[Finding] = []
        qualifier = parsed.qualifier
        column = qualifier_text.strip()
        if column:
            try:
                qualifier = parse_qualifier(column)
            except ValueParseError as exc:
                findings.append(error("qualifier", str(exc)))
            if parsed.qualifier not in ("exact", qualifier):
                message = f"says {qualifier!r} but the value says {parsed.qualifier!r}"
                findings.append(error("qualifier", message))
        return (parsed.value, qualifier, parsed.marker), tuple(findings)

    def parsed(self, text: str) -> ParsedValue | str:
        """A value cell read by :func:`~jwmetrics.returns.cell_value.parse_value` (or why it
        cannot be),
        once per text: the same text may meet measures in different units."""
        found = self.values.get(text)
        if found is None:
            try:
                found = parse_value(text)
            except ValueParseError as exc:
                found = str(exc)
            self.values[text] = found
        return found

    def status(self, text: str) -> tuple[str, Findings]:
        """The status a cell names; "final" (with the problem) when it names none."""
        try:
            return parse_status(text), NONE
        except ValueParseError as exc:
            return "final", (error("status", str(exc)),)

    def row_partner(self, text: str) -> tuple[str | None, Findings]:
        """Who supplied a row: its partner cell, else the file's partner."""
        partner = text.strip()
        refusal = partner_too_long(partner)
        if refusal is not None:
            return None, (error("partner", refusal),)
        return partner or self.partner, NONE


def _unit_refusal(parsed: ParsedValue, unit: str | None) -> str | None:
    """Why a value cannot be a figure of a measure in ``unit``, or None."""
    if unit is None:
        return None
    hint = parsed.unit_hint
    if hint is not None and hint != _hint_for(unit):
        written = {"percent": "a percentage", "GBP": "an amount in pounds"}[hint]
        return f"{written}, but this measure is in {unit}"
    if parsed.value is not None and not _possible(parsed.value, unit):
        expected = "0 to 100 per cent" if unit == "percent" else "a count of zero or more"
        return f"impossible value for this measure; expected {expected}"
    return None


def _hint_for(unit: str) -> str | None:
    """The unit a value's own sign (% or £) must match for a measure in ``unit``."""
    return {"percent": "percent", "GBP": "GBP"}.get(unit)


def _possible(value: float, unit: str) -> bool:
    """False for values a measure cannot take: negative counts, percentages outside 0-100."""
    if not math.isfinite(value):
        return False
    if unit == "percent":
        return 0 <= value <= 100
    return value >= 0 if unit in COUNT_UNITS else True
