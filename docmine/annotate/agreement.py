"""Agreement between annotators who labelled the same pages, per label.

For span annotation the usual measure is pairwise F1 (positive specific agreement): with A
and B the two annotators' spans of one label, agreement = 2|A ∩ B| / (|A| + |B|), an exact
match needing the same start, end and label. Cohen's kappa needs a count of negatives,
which spans do not have; when almost every token is a negative, kappa approaches this F1
(Hripcsak & Rothschild 2005). Pages with more than two annotators count every pair.
"""

from __future__ import annotations

import collections
import itertools
from dataclasses import dataclass
from typing import Iterable, Sequence

Span = tuple[int, int, str]


@dataclass(frozen=True)
class LabelAgreement:
    label: str  # "all" for every label together
    pages: int
    first: int  # spans of the first annotator of each pair
    second: int
    matched: int

    @property
    def f1(self) -> float:
        total = self.first + self.second
        return 2 * self.matched / total if total else 1.0


def agreement(pages: Iterable[Sequence[tuple[str, Sequence[Span]]]]) -> list[LabelAgreement]:
    """Per label (sorted, then "all"): for each page, `[(annotator, spans), ...]` by two or
    more annotators."""
    first, second, matched = collections.Counter(), collections.Counter(), collections.Counter()
    pages_with = collections.Counter()
    for page in pages:
        seen = set()
        for (_, a), (_, b) in itertools.combinations(page, 2):
            a, b = set(a), set(b)
            for s in a:
                first[s[2]] += 1
            for s in b:
                second[s[2]] += 1
            for s in a & b:
                matched[s[2]] += 1
            seen |= {s[2] for s in a | b}
        for label in seen:
            pages_with[label] += 1
        if len(page) >= 2:
            pages_with["all"] += 1
    labels = sorted(set(first) | set(second))
    rows = [LabelAgreement(label, pages_with[label], first[label], second[label], matched[label]) for label in labels]
    rows.append(
        LabelAgreement("all", pages_with["all"], sum(first.values()), sum(second.values()), sum(matched.values()))
    )
    return rows
