"""What eligibility decides for one count, and why: the relief and its explanation tree.

A `Decision` is one rule applied: its `name`, the `value` it came to, the `reasoning` in
words, the `clause` it cites (a statute subdivision or a policy's own clause) and the
`facts` it used, each with where it came from (a page and offsets, or a DOJ row and column)
and whether it is a fact of the record or a presumption in the person's favour (HS 11361.8(b)
and (f): the court presumes eligibility unless the opposing party proves otherwise by clear
and convincing evidence). `children` are the rules consulted on the way.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple


class Relief(str, enum.Enum):
    """The outcomes a count can have (HS 11361.8(a), (e), (f); county policies add `refer`)."""

    DISMISS_AND_SEAL = "dismiss_and_seal"  # 11361.8(e)-(f): no offence under Prop 64 today
    REDESIGNATE_MISDEMEANOR = "redesignate_misdemeanor"  # 11361.8(e)-(f): a lesser offence today
    REDESIGNATE_INFRACTION = "redesignate_infraction"  # 11361.8(e)-(f)
    RECALL_AND_RESENTENCE = "recall_and_resentence"  # 11361.8(a)-(b): a sentence still being served
    NOT_ELIGIBLE = "not_eligible"
    HAND_REVIEW = "hand_review"  # a person must look: the decision names the fact
    REFER = "refer"  # another office decides (e.g. a city attorney's misdemeanors)


class Fact(NamedTuple):
    """One fact a rule used. `source` says where it was read (`row 12 OFFENSE_DESCR`,
    `page 3 [120:135] "11357(B) HS"`); `presumed` marks a value the record does not show,
    taken in the person's favour. (An immutable named tuple rather than a frozen dataclass:
    a tenth of the cost to build, and a decided count builds a dozen.)"""

    name: str
    value: Any
    source: str = ""
    presumed: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": _plain(self.value)}
        if self.source:
            data["source"] = self.source
        if self.presumed:
            data["presumed"] = True
        return data


class Decision(NamedTuple):
    """One rule applied (see the module docstring); the root's `value` is the count's relief.
    Immutable (a named tuple, cheap to build: see `Fact`)."""

    name: str
    value: Any
    reasoning: str
    clause: str = ""
    facts: tuple[Fact, ...] = ()
    children: tuple = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "value": _plain(self.value), "reasoning": self.reasoning}
        if self.clause:
            data["clause"] = self.clause
        if self.facts:
            data["facts"] = [f.to_dict() for f in self.facts]
        if self.children:
            data["children"] = [c.to_dict() for c in self.children]
        return data

    def walk(self):
        """This decision and every decision below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def all_facts(self) -> tuple[Fact, ...]:
        seen: dict[tuple[str, str], Fact] = {}
        for decision in self.walk():
            for fact in decision.facts:
                seen.setdefault((fact.name, repr(fact.value)), fact)
        return tuple(seen.values())

    def compact(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The tree as `to_dict` gives it, but each node's facts as positions in the list of the
        tree's distinct facts (returned beside it, in `all_facts`' order; a value read in two places
        is two facts): a fact is written once, where the full tree repeats it, with where it was
        read, at every rule that used it. `expand(tree, facts)` gives the full tree back."""
        index: dict[tuple, int] = {}
        facts: list[dict[str, Any]] = []

        def node(d: "Decision") -> dict[str, Any]:
            data: dict[str, Any] = {"name": d.name, "value": _plain(d.value), "reasoning": d.reasoning}
            if d.clause:
                data["clause"] = d.clause
            if d.facts:
                refs = []
                for fact in d.facts:
                    key = (fact.name, repr(fact.value), fact.source, fact.presumed)
                    if key not in index:
                        index[key] = len(facts)
                        facts.append(fact.to_dict())
                    refs.append(index[key])
                data["facts"] = refs
            if d.children:
                data["children"] = [node(c) for c in d.children]
            return data

        return node(self), facts


def expand(tree: Any, facts: list) -> Any:
    """A tree written by `Decision.compact` with its facts in place (a full tree as it is)."""
    if not isinstance(tree, dict):
        return tree
    out = dict(tree)
    refs = tree.get("facts")
    if refs:
        out["facts"] = [facts[r] if isinstance(r, int) and 0 <= r < len(facts) else r for r in refs]
    if tree.get("children"):
        out["children"] = [expand(c, facts) for c in tree["children"]]
    return out


_AS_IS = (str, int, float, bool, type(None))  # exactly these types (a str enum is not one)


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
