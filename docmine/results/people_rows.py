"""people.csv rows: `docmine.people.outcomes` (what relief leaves a person) in people.csv's
column order."""

from __future__ import annotations

from typing import Mapping

from docmine.eligibility.model import History
from docmine.results.columns import PEOPLE_COLUMNS


def person_row(history: History, final_relief: Mapping[str, str]) -> list:
    """One people.csv row. `final_relief`: count key -> final relief (reviewers' decisions
    applied; "" where the policy did not consider the count)."""
    from docmine.people import outcomes

    from docmine.people.identity import describe, links_of

    row = outcomes(history, final_relief).to_row()
    # how each entry was joined (`people.link.RULES`), and the CIIs shared under unrelated names
    row["links"] = "; ".join(f"{link['entry']}: {link['rule']}" for link in links_of(history))
    row["identity_conflicts"] = "; ".join(
        f"{why}: {describe(theirs)}" for _, theirs, _, why in history.identity_conflicts or ()
    )
    return [row[name] for name, _ in PEOPLE_COLUMNS]
