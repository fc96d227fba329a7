"""People across documents and sources (issue #7).

Three plain functions, in the order a run uses them:

    histories = link(histories)            # one History per person, across every input
    history = merge_sources(history)       # DOJ rows and court dockets of one case, matched
    outcome = outcomes(history, results)   # what an office reports for the person

`link` (`link.py`) takes the per-input histories the readers make
(`eligibility.check.read_histories`: DOJ subjects, and contract counts grouped by CII / name
and date of birth within one file) and yields one history per person, sorted by person_id.
`merge_sources` (`merge.py`) folds a count two sources tell (DOJ rows and a docket of the same
case) into one, recording where they disagree. `outcomes` (`outcomes.py`) applies the final
reliefs and counts what is left for the person (people.csv). Names, CII and case numbers are
compared through `names.py`.
"""

from __future__ import annotations

from docmine.people.link import histories_of, link, person_id
from docmine.people.merge import merge_sources
from docmine.people.outcomes import PersonOutcome, level_after, outcomes

__all__ = ["PersonOutcome", "histories_of", "level_after", "link", "merge_sources", "outcomes", "person_id"]
