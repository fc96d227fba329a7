"""Decisions that rest on who a person is: weak links and identity conflicts (issue #17).

A wrong link carries one person's priors into another person's decision. `people.link` joins
entries by strong rules (the same SUBJECT_ID; the same CII with an agreeing name; the same
name and date of birth) and by weak ones (a similar name, a date of birth one digit off), and
never joins entries that share a CII under unrelated names: it reports them as a conflict.

`recheck` decides each count again on the other reading of the person — only the entries the
strong rules joined to the count's own entry, or the conflicting entry's record added — and
where the relief differs, sends the count to hand review (`identity`) naming both entries and
where each was read. Where it does not differ, the identity question cannot change the answer
and the decision stands.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Iterable

from docmine.eligibility.check import Result
from docmine.eligibility.decision import Decision, Fact, Relief
from docmine.eligibility.model import History, Member
from docmine.eligibility.policy import Policy


def describe(member: Member) -> str:
    """An entry as a reviewer finds it: its name, date of birth, CII and where it was read."""
    parts = [member.name or "(no name)"]
    if member.dob:
        parts.append(f"born {member.dob.isoformat()}")
    if member.cii:
        parts.append(f"CII {member.cii}")
    if member.kind == "doj":
        parts.append(f"DOJ SUBJECT_ID {member.key[4:]} in {member.document}")
    else:
        parts.append(f"read from {member.document}")
    return ", ".join(parts)


def links_of(history: History) -> list[dict]:
    """How each entry of a linked person was joined: [{entry, rule}] (people.csv `links`, the explanation)."""
    if not history.links:
        return []
    return [{"entry": describe(m), "rule": history.links[m.key]} for m in history.members if m.key in history.links]


def recheck(history: History, results: Iterable[Result], policy: Policy, as_of: date) -> list[Result]:
    """`results` of one person, with each count whose relief turns on a weak link or an
    identity conflict sent to hand review (module docstring)."""
    results = list(results)
    if not history.strong_parts and not history.identity_conflicts:
        return results
    out = []
    for result in results:
        out.append(_checked(history, result, policy, as_of))
    return out


def _readings(history: History, result: Result) -> list[tuple[History, str, tuple[Fact, ...]]]:
    """The other readings of the person for one count: (history, why, facts naming the entries)."""
    readings = []
    for members, counts in history.strong_parts or ():
        if any(c is result.count for c in counts):
            others = [m for m in history.members if m not in members]
            if not others:
                break
            alone = replace(history, counts=list(counts), _convictions=None, strong_parts=None, identity_conflicts=None)
            why = (
                "joined only by a weak link ("
                + "; ".join(history.links.get(m.key, "") for m in others if history.links)
                + ")"
            )
            facts = tuple(Fact("entry", describe(m)) for m in members) + tuple(
                Fact("weakly linked entry", describe(m)) for m in others
            )
            readings.append((alone, why, facts))
            break
    for other, theirs, ours, why in history.identity_conflicts or ():
        together = replace(
            history,
            counts=list(history.counts) + list(other.counts),
            _convictions=None,
            strong_parts=None,
            identity_conflicts=None,
        )
        readings.append((together, why, (Fact("entry", describe(ours)), Fact("conflicting entry", describe(theirs)))))
    return readings


def _checked(history: History, result: Result, policy: Policy, as_of: date) -> Result:
    for other, why, facts in _readings(history, result):
        alternative = policy.decide(result.count, other, as_of)
        if alternative.value is result.relief:
            continue
        reasoning = (
            f"Whether these entries are one person decides the relief: {why}. Read as linked "
            f"the count comes to {_name(result.relief)}; read the other way, to "
            f"{_name(alternative.value)}. A person must decide who this is."
        )
        decision = Decision("identity", Relief.HAND_REVIEW, reasoning, "", facts, (result.decision, alternative))
        return Result(result.count, history, decision)
    return result


def _name(relief) -> str:
    return getattr(relief, "value", str(relief))
