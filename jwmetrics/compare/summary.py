"""The comparison of areas in words: how many lie outside each limit, and how many would by
chance alone.

Kept apart from :mod:`jwmetrics.compare.areas` so the sentences can be read and tested on their
own; every page, the CLI and an export say the same thing.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from jwmetrics.compare import funnel

if TYPE_CHECKING:
    from jwmetrics.compare.types import ComparedArea, Comparison


def number(value: float, decimals: int) -> str:
    """A number the British way with ``decimals`` places: 4266 -> "4,266", 7.579 -> "7.58".
    (Here, not in the presentation layer, so the library's sentences need no UI module.)"""
    return f"{value:,.{decimals}f}"


def rate_text(rate: float, unit: str) -> str:
    """A rate in its unit: "7.58 per 100,000 residents", "62.5%"."""
    return f"{number(rate, 1)}%" if unit == "%" else f"{number(rate, 2)} {unit}"


def _areas(count: int) -> str:
    return "1 area" if count == 1 else f"{number(count, 0)} areas"


def _about(expected: float) -> str:
    return number(expected, 0) if expected >= 1 else f"{expected:.1g}"


def _split(verdicts: Counter[str], above: tuple[str, ...], below: tuple[str, ...]) -> str:
    high = sum(verdicts[v] for v in above)
    low = sum(verdicts[v] for v in below)
    return f"{high + low} ({high} above, {low} below)"


def limits_sentence(verdicts: Counter[str], rated: int) -> str:
    """How many areas lie outside the 95% and the 99.8% limits, and how many chance puts
    there: with no real difference, about 1 in 20 and 1 in 500."""
    above, below = (funnel.ABOVE_95, funnel.ABOVE_998), (funnel.BELOW_95, funnel.BELOW_998)
    out_95 = _split(verdicts, above, below)
    out_998 = _split(verdicts, above[1:], below[1:])
    return (
        f"outside the 95% limits: {out_95}; outside the 99.8% limits: {out_998}. "
        f"Chance alone would put at most about {_about(rated * 0.05)} outside the 95% limits and "
        f"{_about(rated * 0.002)} outside the 99.8% limits."
    )


NAMES_LISTED = 20  # areas named in the headline; beyond that, "and N more"


def _named(rows: list[ComparedArea]) -> str:
    """The first :data:`NAMES_LISTED` areas' names; separated by semicolons when a name has a
    comma of its own (the official "Bristol, City of"), so no name reads as two."""
    names = [row.area_name for row in rows[:NAMES_LISTED]]
    more = len(rows) - len(names)
    sep = "; " if any("," in name for name in names) else ", "
    return sep.join(names) + (f" and {more} more" if more else "")


def headline_text(comparison: Comparison) -> str:
    """The comparison in one or two plain sentences, from the verdict in use: how many areas
    lie beyond the 99.8% limits, named, and how many more beyond the 95% limits only."""
    rated = comparison.rated
    if comparison.benchmark is None or not rated:
        return ""
    adjusted = comparison.verdict_basis == funnel.ADJUSTED
    lead = "Allowing for over-dispersion" if adjusted else "Against the funnel's limits"
    verdicts = Counter(row.verdict for row in rated)
    parts = []
    for side, far, near in (
        ("above", funnel.ABOVE_998, funnel.ABOVE_95),
        ("below", funnel.BELOW_998, funnel.BELOW_95),
    ):
        beyond = [row for row in rated if row.verdict == far]  # highest rate first
        if side == "below":
            beyond.reverse()  # lowest first
        if not beyond and not verdicts[near]:
            parts.append(f"none lies {side} the limits")
            continue
        verb = "lies" if len(beyond) == 1 else "lie"
        said = f"{_areas(len(beyond))} {verb} {side} the 99.8% limit"
        if beyond:
            said += f" ({_named(beyond)})"
        parts.append(f"{said} and {verdicts[near]} more {side} the 95% limit only")
    within = verdicts[funnel.WITHIN]
    return (
        f"{lead}, {parts[0]}; {parts[1]}. {_areas(within)} of {len(rated)} are within the "
        "limits: no different from England beyond what chance allows."
    )


def summary_text(comparison: Comparison) -> str:
    """The comparison in words: the areas compared, the headline, the plain limits' counts
    against chance, and the over-dispersion test with the adjusted counts."""
    rated, unrated = comparison.rated, comparison.unrated
    total = len(comparison.rows)
    where = f"{comparison.within_name}, {comparison.period.label}"
    benchmark = comparison.benchmark
    if benchmark is None or not rated:
        reasons = _reasons(unrated)
        return (
            f"No area of {total} ({where}) has both a figure and a denominator, so none can "
            f"be compared.{reasons}"
        )
    against = "England's" if benchmark.basis == "England" else f"the pooled ({benchmark.basis})"
    parts = [
        f"{_areas(len(rated))} of {total} ({where}) have a rate to compare with {against} "
        f"{rate_text(benchmark.rate, comparison.unit)}.",
        headline_text(comparison),
        "Against the plain limits, "
        + limits_sentence(Counter(row.verdict_plain or row.verdict for row in rated), len(rated)),
    ]
    spread = comparison.dispersion
    if spread is not None and spread.over_dispersed:
        adjusted = Counter(row.verdict_adjusted or "" for row in rated)
        above, below = (funnel.ABOVE_95, funnel.ABOVE_998), (funnel.BELOW_95, funnel.BELOW_998)
        parts.append(
            f"The areas differ more than chance allows (phi {number(spread.phi, 2)}; "
            f"{spread.test_text}), so the verdict in use allows for it "
            f"({spread.method}): outside the 95% limits {_split(adjusted, above, below)}, "
            f"outside the 99.8% limits {_split(adjusted, above[1:], below[1:])}."
        )
    elif spread is not None:
        parts.append(
            f"The areas differ no more than chance allows (phi {number(spread.phi, 2)}; "
            f"{spread.test_text}), so the verdict in use is against the plain limits."
        )
    text = " ".join(parts) + _reasons(unrated)
    return f"{text} {comparison.note}".strip()


def _reasons(unrated: list[ComparedArea]) -> str:
    if not unrated:
        return ""
    why = Counter(row.why for row in unrated)
    listed = "; ".join(f"{reason} ({count})" for reason, count in why.most_common())
    return f" {_areas(len(unrated))} have no rate, each listed with why: {listed}."
