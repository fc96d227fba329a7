"""People across documents and sources (issue #7).

Three plain functions, in the order a run uses them:

    histories = link(histories)            # one History per person, across every input
    history = merge_sources(history)       # DOJ rows and court dockets of one case, matched
    outcome = outcomes(history, results)   # what an office reports for the person

`link` takes the per-input histories the readers make (`eligibility.check.read_histories`:
DOJ subjects, and contract counts grouped by CII / name and date of birth within one file)
and yields merged ones in a deterministic order. Until the linking module lands these are
the identity, so the rest of the run works unchanged.
"""

from __future__ import annotations

from typing import Iterable, Iterator


def link(histories: Iterable) -> Iterator:
    yield from histories


def merge_sources(history):
    return history
