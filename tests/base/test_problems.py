""" "Did you mean": each distinct unknown text matched once, against an index of the choices.

Why: a file of 20,000 distinct unknown area codes compared each with every code and took
minutes. Tests count matches, never time (``bench/suggestions_bench.py`` times them).
"""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

import pytest

from jwmetrics.problems import SHORTLIST, Suggestions, did_you_mean

ROOT = Path(__file__).resolve().parents[2]
CODES = [r["area_code"] for r in csv.DictReader((ROOT / "data/areas_england.csv").open())]


class Counted:
    """:func:`did_you_mean`, remembering each text it was asked about and its choices."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def __call__(self, value: str, options: list[str], limit: int) -> str:
        self.calls.append((value, list(options)))
        return did_you_mean(value, options, limit)


def test_a_slip_of_a_real_code_is_matched_to_it_from_a_short_list() -> None:
    match = Counted()
    suggest = Suggestions(CODES, match)
    assert "'E09000033'" in suggest("E09000O33")  # O for 0
    assert "'E92000001'" in suggest("e92000001x")  # any case, a character too many
    assert len(CODES) > SHORTLIST and all(len(options) <= SHORTLIST for _, options in match.calls)


def nearness(text: str, suffix: str) -> float:
    """How near ``text`` is to the first choice ``suffix`` suggests (difflib's ratio)."""
    return difflib.SequenceMatcher(None, text.lower(), suffix.split("'")[1].lower()).ratio()


@pytest.mark.parametrize("slip", ["E0800002I", "E1200000Z", "W06000015", "E0900003", "e06000001"])
def test_the_short_list_suggests_one_as_near_as_comparing_every_code_does(slip: str) -> None:
    assert nearness(slip, Suggestions(CODES)(slip)) == nearness(slip, did_you_mean(slip, CODES))


def test_each_distinct_text_is_matched_once() -> None:
    match = Counted()
    suggest = Suggestions(CODES, match)
    answers = [suggest(text) for text in ["X1", "E09000O33", "X1", "E09000O33", "X1"]]
    assert [value for value, _ in match.calls] == ["X1", "E09000O33"]
    assert answers[0] == answers[2] == answers[4] and answers[1] == answers[3]


def test_nothing_near_suggests_nothing_and_few_choices_are_all_compared() -> None:
    assert Suggestions(CODES)("zzzz") == ""
    assert Suggestions(["sure-start", "eydcp"])("Sure-Strat") == " (did you mean 'sure-start'?)"


def test_case_is_still_ignored_when_it_differs() -> None:
    assert did_you_mean("SURE-START", ["sure-start"]) == " (did you mean 'sure-start'?)"
