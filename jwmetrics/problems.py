"""Problems found in input: where (file, row, column), what was there and what was expected.

Every loader collects all its problems before writing anything, so a user sees every
mistake at once and a file with any error changes nothing.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

SHOWN_VALUE_CHARS = 80  # a cell quoted in a problem is cut here, with "…" and its length
MAX_PROBLEMS = 1_000  # problems a check lists one by one; beyond that one line says how many
SHORTLIST = 10  # choices compared in full with an unknown text: those sharing most letter pairs


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of an input file."""

    file_name: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # "error" blocks a load; "warning" asks for confirmation

    def __post_init__(self) -> None:
        """Never carry a whole oversized cell into a message: keep its start and its length."""
        if self.value is not None and len(self.value) > SHOWN_VALUE_CHARS:
            shown = f"{self.value[:SHOWN_VALUE_CHARS]}… ({len(self.value):,} characters)"
            object.__setattr__(self, "value", shown)

    def __str__(self) -> str:
        where = [self.file_name]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        shown = f": {self.value!r}" if self.value not in (None, "") else ""
        return f"{', '.join(where)}{shown} — {self.message}"


class InputError(ValueError):
    """Input was refused; ``problems`` lists the reasons (at most :data:`MAX_PROBLEMS`, then
    one saying how many more, :func:`listed`). Nothing was written."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = listed(list(problems))
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s), nothing was changed:\n{lines}")


def listed(problems: list[Problem]) -> list[Problem]:
    """The first :data:`MAX_PROBLEMS` problems and, past them, one that says how many more
    there were: a file of 20,000 bad rows must not make a message (or page) of 20,000."""
    if len(problems) <= MAX_PROBLEMS + 1:
        return problems
    rest = problems[MAX_PROBLEMS:]
    errors = sum(problem.severity == "error" for problem in rest)
    message = (
        f"{len(rest):,} more problem(s) not listed ({errors:,} error(s), "
        f"{len(rest) - errors:,} warning(s)): only the first {MAX_PROBLEMS:,} are shown; fix "
        "these and try again"
    )
    severity = "error" if errors else "warning"
    summary = Problem(rest[0].file_name, None, None, None, message, severity)
    return [*problems[:MAX_PROBLEMS], summary]


def did_you_mean(value: str, choices: Iterable[str], limit: int = 3) -> str:
    """Suffix naming the nearest valid choices, e.g. " (did you mean 'sure-start'?)".

    Compared as written first, then (if nothing is near) without regard to case; the second
    comparison is skipped when no letter appears in both cases, as it would find the same.
    """
    options = list(choices)
    close = difflib.get_close_matches(value, options, n=limit, cutoff=0.5)
    if not close and _mixed_case(value, options):
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(value.lower(), list(lowered), n=limit, cutoff=0.5)
        close = [lowered[c] for c in close]
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def _mixed_case(value: str, options: list[str]) -> bool:
    """Whether ``value`` and ``options`` hold both a capital and a small letter between them
    (only then can comparing them in lower case find anything new)."""
    text = value + "".join(options)
    return text.lower() != text and text.upper() != text


def _pairs(text: str) -> Counter[str]:
    """The pairs of adjacent letters of ``text`` in lower case, with a space at either end
    (so "E09" gives " e", "e0", "09", "9 "), each with how often it occurs."""
    padded = f" {text.lower()} "
    return Counter(padded[i : i + 2] for i in range(len(padded) - 1))


class Suggestions:
    """The "did you mean" suffix of each unknown text against one fixed set of choices.

    Why: :func:`did_you_mean` compares a text with every choice (difflib), about a
    millisecond for 300 area codes, so a file of 20,000 distinct unknown codes took minutes.
    Here the choices are indexed once by their letter pairs; each distinct text is matched
    once (the answer is kept), and compared in full by :func:`did_you_mean` only with the
    :data:`SHORTLIST` choices sharing most letter pairs with it. The nearest choice is
    nearly always among them; a suggestion may differ from the full comparison's only
    between choices that are about as near.
    """

    def __init__(
        self,
        choices: Iterable[str],
        match: Callable[[str, list[str], int], str] | None = None,
        *,
        limit: int = 3,
    ) -> None:
        """Index ``choices`` (duplicates dropped, order kept); suggest at most ``limit``,
        chosen by ``match`` (default :func:`did_you_mean`; a caller passes its own name for
        it, so a test can count the matches through that module)."""
        self.options = list(dict.fromkeys(choices))
        self.match = match or did_you_mean
        self.limit = limit
        self.known: dict[str, str] = {}  # text -> its suffix, worked out once
        self.pairs: dict[str, int] = {}  # letter pair -> its row in counts
        cells = [
            (self.pairs.setdefault(pair, len(self.pairs)), column, count)
            for column, option in enumerate(self.options)
            for pair, count in _pairs(option).items()
        ]
        self.counts = np.zeros((len(self.pairs), len(self.options)), dtype=np.int32)
        for row, column, count in cells:
            self.counts[row, column] = count
        self.sizes = np.array([len(option) + 1 for option in self.options], dtype=np.float64)

    def __call__(self, value: str) -> str:
        """The suffix for ``value`` (" (did you mean 'E09000033'?)", or ""), matched once."""
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = self.match(value, self.shortlist(value), self.limit)
        return found

    def shortlist(self, value: str) -> list[str]:
        """The :data:`SHORTLIST` choices sharing the most letter pairs with ``value`` (by the
        Dice coefficient, so a long choice does not win by length), nearest first."""
        if len(self.options) <= SHORTLIST:
            return self.options
        pairs = _pairs(value)
        rows = [(self.pairs[pair], count) for pair, count in pairs.items() if pair in self.pairs]
        if not rows:
            return []
        index, counts = np.array(rows, dtype=np.int64).T
        shared = np.minimum(self.counts[index], counts[:, None]).sum(axis=0)
        score = shared / (self.sizes + sum(pairs.values()))
        nearest = np.argsort(-score, kind="stable")[:SHORTLIST]
        return [self.options[i] for i in nearest if shared[i]]
