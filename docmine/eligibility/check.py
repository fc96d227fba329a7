"""`check(...)`: read inputs, group counts by person, decide every count a policy considers.

    results = check(["doj_bulk.csv"], load_policy("statute"), as_of=date(2019, 11, 11))

Inputs are counts JSON Lines (the output contract) or DOJ bulk CSV files, told apart by
their first line. Counts are grouped by person within one input (`group_people`: DOJ by
SUBJECT_ID, contract counts by CII, else name and date of birth); linking people across
documents is issue #7 and plugs in at that function. Only counts in the policy's scope get a
decision and an explanation tree; everything else is counted and passed over.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from docmine.contract import count_from_dict
from docmine.eligibility import doj
from docmine.eligibility.decision import Decision, Relief
from docmine.eligibility.model import CountFacts, History, from_contract_count
from docmine.eligibility.policy import Policy
from docmine.errors import DocmineError
from docmine.records import EventType

DOJ = "doj"
COUNTS = "counts"


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}: line {self.line}: {self.message}"


class Result:
    """One decided count: its `relief`, and its `decision` (the explanation tree).

    The tree is built when `decision` is first read, not before: a run that only tallies
    reliefs never pays for it (`Policy.relief` decides without it where it can). Building it
    checks that it comes to the same relief, so an output can never disagree with a tally."""

    __slots__ = ("count", "history", "relief", "_decision", "_policy", "_as_of")

    def __init__(
        self,
        count: CountFacts,
        history: History,
        decision: Decision | None = None,
        *,
        relief: Relief | None = None,
        policy: Policy | None = None,
        as_of: date | None = None,
    ):
        if decision is None and (relief is None or policy is None or as_of is None):
            raise ValueError("a Result needs its decision, or its relief with the policy and date to explain it")
        self.count, self.history, self._decision = count, history, decision
        self.relief = decision.value if decision is not None else relief
        self._policy, self._as_of = policy, as_of

    @property
    def decision(self) -> Decision:
        if self._decision is None:
            decision = self._policy.decide(self.count, self.history, self._as_of)
            if decision.value is not self.relief:
                raise DocmineError(
                    f"{self.count.key}: internal error: the explanation comes to "
                    f"{decision.value.value}, the tally to {self.relief.value}"
                )
            self._decision = decision
        return self._decision

    def __repr__(self) -> str:
        return f"Result({self.count.key!r}, {self.relief.value})"


@dataclass
class Tally:
    """What a run read and decided (written as summary.json)."""

    people: int = 0
    counts: int = 0
    rows: int = 0
    considered: int = 0
    relief: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def sniff(path: str | Path) -> str:
    """`doj` or `counts` (`docmine.ingest.sniff.kind_of`); a one-line error for anything else."""
    from docmine.errors import DocumentError
    from docmine.ingest.sniff import InputKind, kind_of

    path = Path(path)
    if not path.is_file():
        raise DocmineError(f"{path}: no such file")
    try:
        kind = kind_of(path)
    except DocumentError as error:
        raise DocmineError(f"{path}: {error.problem}") from None
    if kind == InputKind.COUNTS:
        return COUNTS
    if kind == InputKind.DOJ:
        return DOJ
    raise DocmineError(f"{path}: neither counts JSON Lines nor a DOJ bulk CSV ({kind.value} input)")


def read_histories(
    path: str | Path, tally: Tally, keep=None, name: str | None = None, part: doj.Part | None = None
) -> Iterator[History]:
    """The people of one input file, each with all their counts in it. `keep` (a policy's
    `charge_prefilter`) lets the DOJ reader pass over subjects with no charge it could decide;
    `name` is what DOJ sources call a file read from a copy (see `doj.read_doj`)."""
    kind = sniff(path)

    def problem(where: str, line: int, message: str) -> None:
        tally.problems.append(Problem(where, line, message))

    if kind == DOJ:
        yield from doj.read_doj(path, problem, keep, name=name, part=part)
        return
    yield from group_people(_contract_counts(path, problem))


def _contract_counts(path: str | Path, problem) -> Iterator[CountFacts]:
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield from_contract_count(count_from_dict(json.loads(line)), line_number)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                problem(str(path), line_number, f"not a count of the output contract ({exc}): skipped")


def group_people(counts: Iterable[CountFacts]) -> list[History]:
    """Counts grouped by person within one input: CII, else name and date of birth (the key
    `model.person_key_of` made). Each history carries who its counts say the person is (name,
    aliases, every date of birth, CII, race: the first count's, with the others' aliases and
    dates added) for `people.link`, which joins the same person across inputs (issue #7)."""
    people: dict[str, History] = {}
    for c in counts:
        h = people.get(c.person_key)
        person = c.origin.person
        if h is None:
            h = people[c.person_key] = History(
                c.person_key, person.name, person.dob, dob_source=c.source("dob") or f"{c.document} person.dob",
                aliases=tuple(person.aliases), dobs=_dates(person.dob, person.dobs), cii=person.cii,
                race=person.race, kind=c.kind, document=c.document,
            )  # fmt: skip
        else:
            if person.aliases or (person.name and person.name != h.name):
                names = [a for a in (person.name, *person.aliases) if a and a != h.name]
                h.aliases = tuple(dict.fromkeys(h.aliases + tuple(names)))
            if person.dob is not None or person.dobs:
                h.dobs = _dates(h.dob, h.dobs + _dates(person.dob, person.dobs))
            if h.race is None and person.race:
                h.race = person.race
            if h.cii is None and person.cii:
                h.cii = person.cii
        h.counts.append(c)
        if c.event_type is EventType.DECEASED:
            h.deceased = True
    return list(people.values())


def _dates(first, others) -> tuple:
    """Dates of birth, `first` first, each once."""
    return tuple(dict.fromkeys(d for d in (first, *others) if d is not None))


def evaluate_history(history: History, policy: Policy, as_of: date) -> Iterator[Result]:
    """The in-scope counts of one person, decided. Under a policy that is HS 11361.8 alone the
    relief is found without the explanation tree, which is built when read (`Result`)."""
    lazy = policy.statute_only
    for count in history.counts:
        if policy.in_scope(count, history, as_of):
            if lazy:
                yield Result(count, history, relief=policy.relief(count, history, as_of), policy=policy, as_of=as_of)
            else:
                yield Result(count, history, policy.decide(count, history, as_of))


def check(inputs: Iterable[str | Path], policy: Policy, as_of: date, tally: Tally | None = None) -> Iterator[Result]:
    """Every in-scope count of every input, decided under `policy` on `as_of` (streaming)."""
    tally = tally if tally is not None else Tally()
    keep = policy.charge_prefilter()
    for path in inputs:
        for history in read_histories(path, tally, keep):
            tally.people += 1
            tally.counts += len(history.counts) + history.passed_over
            for result in evaluate_history(history, policy, as_of):
                tally.considered += 1
                key = result.relief.value
                tally.relief[key] = tally.relief.get(key, 0) + 1
                yield result
