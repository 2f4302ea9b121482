"""A column of a return as codes: the distinct values once, and each row's index into them.

The check judges each distinct value (or combination of values) once and spreads the
verdicts over the rows by array indexing; nothing is done in Python per row. Codes are
numpy arrays; combinations of columns are found with :func:`numpy.unique` on one integer
per row, so no tuple is made per row either.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from jwmetrics.returns.cells import Findings

L = TypeVar("L", bound=Hashable)
T = TypeVar("T")
U = TypeVar("U")
Codes = NDArray[np.intp]


@dataclass(frozen=True)
class Factor(Generic[L]):
    """Distinct ``levels`` and, for each row, the index of its level (``codes``)."""

    levels: list[L]
    codes: Codes

    def where(self, levels: Sequence[int]) -> list[int]:
        """The positions of the rows whose level is one of ``levels`` (by index), in order."""
        if not levels:
            return []
        positions: list[int] = np.flatnonzero(np.isin(self.codes, levels)).tolist()
        return positions


def factor(column: Sequence[L]) -> Factor[L]:
    """The distinct values of ``column`` in order of first appearance, and each row's code."""
    index = {value: number for number, value in enumerate(dict.fromkeys(column))}
    codes = np.fromiter(map(index.__getitem__, column), np.intp, len(column))
    return Factor(list(index), codes)


def combine(*factors: Factor[Any]) -> Factor[tuple[Any, ...]]:
    """The distinct combinations of several columns' values, as tuples, and each row's code."""
    shape = tuple(max(len(f.levels), 1) for f in factors)
    flat = np.ravel_multi_index(tuple(f.codes for f in factors), shape)
    unique, codes = np.unique(flat, return_inverse=True)
    parts = np.unravel_index(unique, shape)
    levels = [
        tuple(f.levels[i] for f, i in zip(factors, combination, strict=True))
        for combination in zip(*(part.tolist() for part in parts), strict=True)
    ]
    return Factor(levels, codes.reshape(-1).astype(np.intp))


def spread(values: Sequence[U], codes: Codes) -> list[U]:
    """``values[code]`` for each row's code (values given once per level)."""
    by_level = np.fromiter(values, dtype=object, count=len(values))
    spread_values: list[U] = by_level[codes].tolist()
    return spread_values


@dataclass
class Judged(Generic[L, T]):
    """One column (or combination of columns) judged: a verdict per level, and the problems
    of the rows that have any."""

    factor: Factor[L]
    verdicts: list[T]
    findings: dict[int, Findings] = field(default_factory=dict)  # by row position

    def column(self, convert: Callable[[T], U]) -> list[U]:
        """``convert`` of each row's verdict, converting each level's verdict once."""
        return spread([convert(v) for v in self.verdicts], self.factor.codes)

    def where(self, test: Callable[[T], bool]) -> list[int]:
        """The positions of the rows whose verdict passes ``test``."""
        return self.factor.where([i for i, verdict in enumerate(self.verdicts) if test(verdict)])

    def refused(self) -> set[int]:
        """Positions of the rows whose verdict is None (each has an error among its findings)."""
        return set(self.where(lambda verdict: verdict is None))


def judge(found: Factor[L], verdict: Callable[[L], tuple[T, Findings]]) -> Judged[L, T]:
    """Judge each level once and note which rows have problems."""
    verdicts = [verdict(level) for level in found.levels]
    bad = [i for i, (_, findings) in enumerate(verdicts) if findings]
    codes = found.codes
    findings = {p: verdicts[codes[p]][1] for p in found.where(bad)}
    return Judged(found, [v for v, _ in verdicts], findings)
