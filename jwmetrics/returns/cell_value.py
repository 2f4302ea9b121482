"""Read one cell of a partner's return: a number, a qualified number, or a statistics marker.

Partners write figures the way they appear in press releases and published tables, so a
cell may hold ``1,850``, ``55.4%``, ``£1.2m``, ``over 50`` or a marker such as ``..``.
:func:`parse_value` turns that text into a :class:`ParsedValue` and refuses anything it
cannot read unambiguously (``1.850,5``, ``1,85``, ``50-60``), because guessing would put a
wrong figure on the dashboard.

Markers follow the Government Statistical Service conventions. They mean "there is no
figure, for this reason", so they are kept as a missing value with its marker, never as 0:

- ``..`` not available (also written ``:``, ``…`` or the newer ``[x]``)
- ``x`` suppressed, for confidentiality or reliability (also ``[c]``)
- ``-`` nil or not applicable (also ``–``, ``—`` or ``[z]``)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

EXPECTED: Final = "expected a number such as 1,850, 55.4% or £650, or a marker (.., x, -)"

QUALIFIERS: Final = ("exact", "over", "under", "around")
STATUSES: Final = ("provisional", "final")

MARKER_MEANINGS: Final[dict[str, str]] = {
    "..": "not available",
    "x": "suppressed (confidential or unreliable)",
    "-": "nil or not applicable",
}

# Every accepted spelling of a marker, lower-cased, to its canonical form.
_MARKERS: Final[dict[str, str]] = {
    "..": "..",
    ":": "..",
    "…": "..",
    "[x]": "..",
    "x": "x",
    "[c]": "x",
    "-": "-",
    "–": "-",
    "—": "-",
    "‒": "-",
    "−": "-",
    "[z]": "-",
}

# Words and symbols for each qualifier, written in front of a number or in the
# ``qualifier`` column. Longer spellings first so that ">=" wins over ">".
_QUALIFIER_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "over": ("more than", "greater than", "at least", "over", "above", ">=", "≥", ">"),
    "under": ("less than", "fewer than", "at most", "up to", "under", "below", "<=", "≤", "<"),
    "around": (
        "approximately",
        "approx.",
        "approx",
        "around",
        "roughly",
        "about",
        "circa",
        "ca.",
        "c.",
        "~",
        "≈",
    ),
}

_QUALIFIER_COLUMN: Final[dict[str, str]] = {
    word.rstrip("."): name for name, words in _QUALIFIER_WORDS.items() for word in words
} | {"": "exact", "exact": "exact", "exactly": "exact", "=": "exact", "c": "around"}
_QUALIFIER_COLUMN.update({name: name for name in QUALIFIERS})

_STATUS_COLUMN: Final[dict[str, str]] = {
    "": "final",
    "final": "final",
    "f": "final",
    "provisional": "provisional",
    "prov": "provisional",
    "p": "provisional",
}


def _word_pattern(word: str) -> str:
    """A qualifier word as a regex; letters need a word boundary, symbols do not."""
    escaped = re.escape(word).replace(r"\ ", r"\s+")
    return escaped + r"\s*" if not word[-1].isalpha() else escaped + r"\b\s*"


_QUALIFIER_PREFIX: Final = re.compile(
    "|".join(
        f"(?P<{name}>{'|'.join(_word_pattern(word) for word in words)})"
        for name, words in _QUALIFIER_WORDS.items()
    )
)

# Exact powers of ten, so that "£1.1m" is 1,100,000 and not 1,100,000.0000000002.
_MULTIPLIERS: Final[dict[str, int]] = {
    "k": 3,
    "thousand": 3,
    "m": 6,
    "mn": 6,
    "million": 6,
    "b": 9,
    "bn": 9,
    "billion": 9,
}

_NUMBER: Final = re.compile(
    r"""
    (?P<sign>[+-])?\s*
    (?P<currency>£)?\s*
    (?P<sign2>-)?\s*
    (?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)
    (?P<exponent>e[+-]?\d{1,3})?
    \s*(?P<suffix>%|per\s*cent|k|thousand|mn|m|million|bn|b|billion)?
    (?P<plus>\s*\+)?
    """,
    re.VERBOSE | re.ASCII,
)

_DASHES: Final = str.maketrans({"−": "-", "–": "-", "—": "-", "‒": "-", "\u00a0": " "})
_TWO_NUMBERS: Final = re.compile(r"\d[\s\-/]+(?:(?:to|and)\s+)?[£-]?\d")
_NOT_FINITE: Final = frozenset({"nan", "inf", "infinity", "-inf", "+inf", "-infinity"})


class ValueParseError(ValueError):
    """A cell that is not a readable figure; the message says what was expected."""


@dataclass(frozen=True)
class ParsedValue:
    """A figure as read from a cell.

    ``value`` is None exactly when ``marker`` is set. ``qualifier`` is one of
    :data:`QUALIFIERS`. ``unit_hint`` is "percent" or "GBP" when the text said so, which
    lets the caller check it against the measure's unit.
    """

    value: float | None
    qualifier: str
    marker: str | None
    unit_hint: str | None


def parse_value(text: str) -> ParsedValue:
    """Read a figure written as partners write them; raise :class:`ValueParseError` if not."""
    original = str(text).strip()
    if not original:
        raise ValueParseError(f"the value is empty; {EXPECTED}")
    lowered = " ".join(original.lower().split())
    marker = _MARKERS.get(lowered)
    if marker is not None:
        return ParsedValue(None, "exact", marker, None)
    cleaned = lowered.translate(_DASHES)
    qualifier, rest = _split_qualifier(cleaned)
    value, unit_hint, plus = _parse_number(rest, original)
    if plus:
        if qualifier != "exact":
            raise ValueParseError(f"{original!r} has two qualifiers; {EXPECTED}")
        qualifier = "over"
    return ParsedValue(value, qualifier, None, unit_hint)


def _split_qualifier(text: str) -> tuple[str, str]:
    """Separate a leading "over", "<", "c." and the like from the number after it."""
    match = _QUALIFIER_PREFIX.match(text)
    if match is None or match.end() == len(text):
        return "exact", text
    return str(match.lastgroup), text[match.end() :]


def _parse_number(text: str, original: str) -> tuple[float, str | None, bool]:
    """The number, its unit hint and whether it ended in "+" (as in "50+")."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise ValueParseError(_explain(text, original))
    if match["sign"] and match["sign2"]:
        raise ValueParseError(f"{original!r} has two signs; {EXPECTED}")
    suffix = " ".join((match["suffix"] or "").split())
    number = _to_float(match["digits"].replace(",", "") + (match["exponent"] or ""), suffix)
    if not math.isfinite(number):
        raise ValueParseError(f"{original!r} is too large; {EXPECTED}")
    if match["sign"] == "-" or match["sign2"]:
        number = -number
    unit_hint = _unit_hint(match["currency"], suffix, original)
    return number + 0.0, unit_hint, bool(match["plus"])


def _to_float(digits: str, suffix: str) -> float:
    """The number, scaled by "k", "m" or "bn" in decimal so no binary rounding creeps in."""
    power = _MULTIPLIERS.get(suffix)
    if power is None:
        return float(digits)
    return float(Decimal(digits).scaleb(power))


def _unit_hint(currency: str | None, suffix: str, original: str) -> str | None:
    """ "GBP" for a £ amount, "percent" for a percentage; refuse "£5%"."""
    percent = suffix == "%" or suffix.startswith("per")
    if currency and percent:
        raise ValueParseError(f"{original!r} is both money and a percentage; {EXPECTED}")
    if currency:
        return "GBP"
    return "percent" if percent else None


def _explain(text: str, original: str) -> str:
    """Why a cell is not a number, as specifically as we can tell."""
    if text.lstrip("+-") in _NOT_FINITE:
        return f"{original!r} is not a finite number; {EXPECTED}"
    if _TWO_NUMBERS.search(text):
        return f"{original!r} looks like two numbers or a range; write one figure; {EXPECTED}"
    if (text.count(",") or text.count(".") > 1) and any(ch.isdigit() for ch in text):
        return (
            f"{original!r} has ambiguous separators: use commas only between groups of "
            f"three digits and a point for decimals (1,850.5); {EXPECTED}"
        )
    return f"{original!r} is not a number; {EXPECTED}"


def parse_qualifier(text: str) -> str:
    """Read the optional ``qualifier`` column: exact, over, under or around (blank is exact)."""
    key = " ".join(str(text).lower().split()).rstrip(".")
    try:
        return _QUALIFIER_COLUMN[key]
    except KeyError:
        raise ValueParseError(
            f"{str(text).strip()!r} is not a qualifier; expected exact, over, under or "
            "around (or blank for exact)"
        ) from None


def parse_status(text: str) -> str:
    """Read the optional ``status`` column: provisional or final (blank is final)."""
    key = " ".join(str(text).lower().split()).rstrip(".")
    try:
        return _STATUS_COLUMN[key]
    except KeyError:
        raise ValueParseError(
            f"{str(text).strip()!r} is not a status; expected provisional or final "
            "(or blank for final)"
        ) from None
