"""Cell values: every accepted spelling, every refusal, and the qualifier/status columns."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jwmetrics.returns.cell_value import (
    MARKER_MEANINGS,
    QUALIFIERS,
    ParsedValue,
    ValueParseError,
    parse_qualifier,
    parse_status,
    parse_value,
)

ACCEPTED = [
    # plain numbers, separators, signs and spacing
    ("1850", 1850.0, "exact", None),
    ("1,850", 1850.0, "exact", None),
    ("  1,850  ", 1850.0, "exact", None),
    ("1,850,000", 1_850_000.0, "exact", None),
    ("1,850.5", 1850.5, "exact", None),
    ("55.4", 55.4, "exact", None),
    (".5", 0.5, "exact", None),
    ("0", 0.0, "exact", None),
    ("-0", 0.0, "exact", None),
    ("-5", -5.0, "exact", None),
    ("−5", -5.0, "exact", None),
    ("–5", -5.0, "exact", None),
    ("- 1,850", -1850.0, "exact", None),
    ("+5", 5.0, "exact", None),
    ("1.2E+07", 12_000_000.0, "exact", None),
    ("\u00a01,850\u00a0", 1850.0, "exact", None),
    # percentages
    ("55.4%", 55.4, "exact", "percent"),
    ("55.4 %", 55.4, "exact", "percent"),
    ("55.4 per cent", 55.4, "exact", "percent"),
    ("55.4percent", 55.4, "exact", "percent"),
    ("-2.5%", -2.5, "exact", "percent"),
    # money
    ("£650", 650.0, "exact", "GBP"),
    ("£ 650", 650.0, "exact", "GBP"),
    ("£1,850.50", 1850.5, "exact", "GBP"),
    ("£1.2m", 1_200_000.0, "exact", "GBP"),
    ("£1.1m", 1_100_000.0, "exact", "GBP"),
    ("£1.2 m", 1_200_000.0, "exact", "GBP"),
    ("£1.2mn", 1_200_000.0, "exact", "GBP"),
    ("£200 million", 200_000_000.0, "exact", "GBP"),
    ("£200 Million", 200_000_000.0, "exact", "GBP"),
    ("£3bn", 3_000_000_000.0, "exact", "GBP"),
    ("£3BN", 3_000_000_000.0, "exact", "GBP"),
    ("£3 billion", 3_000_000_000.0, "exact", "GBP"),
    ("£0.3b", 300_000_000.0, "exact", "GBP"),
    ("£26k", 26_000.0, "exact", "GBP"),
    ("£26 thousand", 26_000.0, "exact", "GBP"),
    ("-£650", -650.0, "exact", "GBP"),
    ("£-650", -650.0, "exact", "GBP"),
    ("1.2 million", 1_200_000.0, "exact", None),
    # qualifiers written into the value
    ("over 50", 50.0, "over", None),
    ("Over 50", 50.0, "over", None),
    ("more than 50", 50.0, "over", None),
    ("more  than 50", 50.0, "over", None),
    ("greater than 50", 50.0, "over", None),
    ("above 50", 50.0, "over", None),
    ("at least 50", 50.0, "over", None),
    ("> 50", 50.0, "over", None),
    (">50", 50.0, "over", None),
    (">= 50", 50.0, "over", None),
    ("≥50", 50.0, "over", None),
    ("50+", 50.0, "over", None),
    ("over 1,850", 1850.0, "over", None),
    ("over £3bn", 3_000_000_000.0, "over", "GBP"),
    ("under 50", 50.0, "under", None),
    ("less than 50", 50.0, "under", None),
    ("fewer than 50", 50.0, "under", None),
    ("below 50", 50.0, "under", None),
    ("up to 50", 50.0, "under", None),
    ("< 50", 50.0, "under", None),
    ("<=50", 50.0, "under", None),
    ("under 5%", 5.0, "under", "percent"),
    ("around 50", 50.0, "around", None),
    ("about 50", 50.0, "around", None),
    ("approximately 50", 50.0, "around", None),
    ("approx. 50", 50.0, "around", None),
    ("approx 50", 50.0, "around", None),
    ("roughly 50", 50.0, "around", None),
    ("circa 50", 50.0, "around", None),
    ("c. 50", 50.0, "around", None),
    ("c.50", 50.0, "around", None),
    ("C. 50", 50.0, "around", None),
    ("ca. 50", 50.0, "around", None),
    ("~50", 50.0, "around", None),
    ("~ 50", 50.0, "around", None),
    ("≈50", 50.0, "around", None),
    ("about £1.2m", 1_200_000.0, "around", "GBP"),
    ("around 55.4%", 55.4, "around", "percent"),
]


@pytest.mark.parametrize(("text", "value", "qualifier", "unit_hint"), ACCEPTED)
def test_accepted_spellings(text: str, value: float, qualifier: str, unit_hint: str | None) -> None:
    parsed = parse_value(text)
    assert parsed == ParsedValue(value, qualifier, None, unit_hint)
    assert math.copysign(1.0, parsed.value or 1.0) == math.copysign(1.0, value or 1.0)


def test_scaled_money_has_no_binary_rounding_error() -> None:
    assert parse_value("£1.1m").value == 1_100_000.0
    assert parse_value("£2.3bn").value == 2_300_000_000.0


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("..", ".."),
        (" .. ", ".."),
        (":", ".."),
        ("…", ".."),
        ("[x]", ".."),
        ("x", "x"),
        ("X", "x"),
        ("[c]", "x"),
        ("[C]", "x"),
        ("-", "-"),
        ("–", "-"),
        ("—", "-"),
        ("−", "-"),
        ("[z]", "-"),
    ],
)
def test_markers_are_missing_values_with_meaning(text: str, marker: str) -> None:
    parsed = parse_value(text)
    assert parsed == ParsedValue(None, "exact", marker, None)
    assert marker in MARKER_MEANINGS


def test_marker_meanings_cover_exactly_the_canonical_markers() -> None:
    assert set(MARKER_MEANINGS) == {"..", "x", "-"}
    assert MARKER_MEANINGS[".."] == "not available"
    assert all(MARKER_MEANINGS.values())


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not a number"),
        ("fifty", "not a number"),
        ("nan", "not a finite number"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-inf", "not a finite number"),
        ("Infinity", "not a finite number"),
        ("1e999", "too large"),
        ("1.850,5", "ambiguous separators"),
        ("1,85", "ambiguous separators"),
        ("1,8500", "ambiguous separators"),
        ("1850,5", "ambiguous separators"),
        ("55,4%", "ambiguous separators"),
        ("1.850.000", "ambiguous separators"),
        ("50 60", "two numbers"),
        ("1,850 2,000", "two numbers"),
        ("50-60", "two numbers"),
        ("50 - 60", "two numbers"),
        ("50 to 60", "two numbers"),
        ("£50-£60", "two numbers"),
        ("12/34", "two numbers"),
        ("--5", "two signs"),
        ("-£-5", "two signs"),
        ("£5%", "both money and a percentage"),
        ("over 50+", "two qualifiers"),
        ("over", "not a number"),
        ("over x", "not a number"),
        ("£", "not a number"),
        ("%", "not a number"),
        ("...", "not a number"),
        ("$50", "not a number"),
        ("50 apples", "not a number"),
        ("١٢", "not a number"),
    ],
)
def test_rejections_say_what_was_expected(text: str, says: str) -> None:
    with pytest.raises(ValueParseError) as caught:
        parse_value(text)
    message = str(caught.value)
    assert says in message
    assert "expected a number such as 1,850, 55.4% or £650, or a marker (.., x, -)" in message


def test_value_parse_error_is_a_value_error() -> None:
    assert issubclass(ValueParseError, ValueError)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_integer_written_with_thousands_separators_reads_back(number: int) -> None:
    assert parse_value(f"{number:,}").value == number


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_any_two_place_decimal_reads_back_as_number_money_and_percent(number: object) -> None:
    text = f"{number:,.2f}"
    expected = float(f"{number:.2f}")
    assert parse_value(text).value == expected
    assert parse_value(f"{text}%") == ParsedValue(expected, "exact", None, "percent")
    money = f"-£{text[1:]}" if text.startswith("-") else f"£{text}"
    assert parse_value(money) == ParsedValue(expected, "exact", None, "GBP")


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("", "exact"),
        ("  ", "exact"),
        ("exact", "exact"),
        ("Exact", "exact"),
        ("exactly", "exact"),
        ("=", "exact"),
        ("over", "over"),
        ("OVER", "over"),
        ("more than", "over"),
        ("at least", "over"),
        (">", "over"),
        ("under", "under"),
        ("less than", "under"),
        ("<", "under"),
        ("around", "around"),
        ("about", "around"),
        ("approximately", "around"),
        ("approx.", "around"),
        ("c.", "around"),
        ("c", "around"),
        ("circa", "around"),
        ("~", "around"),
    ],
)
def test_qualifier_column(text: str, qualifier: str) -> None:
    assert parse_qualifier(text) == qualifier
    assert qualifier in QUALIFIERS


@pytest.mark.parametrize("text", ["maybe", "overish", "50", "x", "more"])
def test_qualifier_column_rejects_other_words(text: str) -> None:
    with pytest.raises(ValueParseError, match="expected exact, over, under or around"):
        parse_qualifier(text)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "final"),
        ("  ", "final"),
        ("final", "final"),
        ("Final", "final"),
        ("F", "final"),
        ("provisional", "provisional"),
        ("PROVISIONAL", "provisional"),
        ("prov.", "provisional"),
        ("p", "provisional"),
    ],
)
def test_status_column(text: str, status: str) -> None:
    assert parse_status(text) == status


@pytest.mark.parametrize("text", ["draft", "revised", "estimated", "1"])
def test_status_column_rejects_other_words(text: str) -> None:
    with pytest.raises(ValueParseError, match="expected provisional or final"):
        parse_status(text)


@given(st.text(max_size=30))
def test_any_text_either_reads_consistently_or_raises_value_parse_error(text: str) -> None:
    try:
        parsed = parse_value(text)
    except ValueParseError as error:
        assert "expected" in str(error)
        return
    assert (parsed.value is None) == (parsed.marker is not None)
    assert parsed.value is None or math.isfinite(parsed.value)
    assert parsed.qualifier in QUALIFIERS
    assert parsed.unit_hint in (None, "percent", "GBP")
