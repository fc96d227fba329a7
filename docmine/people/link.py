"""One person across every input: the readers' per-input histories joined (issue #7).

The rule (README, "People across documents"), strongest first:

1. the same DOJ SUBJECT_ID (a subject split across a file, or in two extracts);
2. the same CII number, after OCR normalising (`names.norm_cii`), and a name that agrees
   (the same or similar, aliases included), or a date of birth in common where the names are
   related (a last or first name shared) or one entry has no name;
3. the same name (or alias), OCR normalised, and a date of birth in common;
4. a similar name or alias (`names.similar`: one or two edits on last + first name) and a
   date of birth in common;
5. the same name and dates of birth one digit apart (one OCR misread), only with an exact name.

Rules 1-3 are strong; 4 and 5 are weak: a prior that reaches a count only through a weak
link and changes its relief sends the count to hand review (`people.identity`).

Never joined: two different CII numbers, whatever the rest says; two DOJ subjects (different
SUBJECT_IDs: the DOJ has already resolved identity, even where a row of each carries the same
CII); an entry with no name, no date of birth and no CII. A CII shared by entries whose names
are unrelated is an identity conflict: reported on both people (people.csv
`identity_conflicts`), never a link.

Candidate pairs come from dict indexes (blocking keys: CII, SUBJECT_ID, each date of birth,
each exact name), never from comparing everyone with everyone: the document-derived
histories (few) are indexed, and each DOJ subject (possibly a million rows' worth) looks up
its own keys in that index. Pairs are then joined strongest first in a fixed order with a
union-find that refuses a join putting two CII numbers, or (below rule 2) two SUBJECT_IDs,
into one person; the same inputs therefore always give the same people.

A DOJ subject the reader passed over (no charge the policy decides, `History.pending`) is
built in full when it joins a document's person, so priors it holds count; its rows are
released otherwise. Pass documents before DOJ files (`histories_of` does) so that every such
subject meets the index it may join.
"""

from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from docmine.eligibility.model import History, Member
from docmine.people import names

KIND_ORDER = {"doj": 0, "rap_sheet": 1, "docket": 2, "counts": 3}

SUBJECT, CII, EXACT, SIMILAR, DOB_TYPO = range(5)  # rule strength, strongest first
CONFLICT = -1  # a CII shared by entries with unrelated names: never joined, reported
WEAK = (SIMILAR, DOB_TYPO)
RULES = {
    SUBJECT: "the same DOJ SUBJECT_ID",
    CII: "the same CII and an agreeing name or date of birth",
    EXACT: "the same name and date of birth",
    SIMILAR: "a similar name and the same date of birth (weak)",
    DOB_TYPO: "the same name and a date of birth one digit off (weak)",
}


@dataclass(slots=True)
class _Node:
    """One input's history as linking sees it."""

    index: int
    history: History
    member: Member
    doj: bool
    cii: str | None
    names: list[tuple[str, str]]
    dobs: tuple[date, ...]
    parent: int = 0
    ciis: set = field(default_factory=set)  # the component's (kept on its root)
    subjects: set = field(default_factory=set)
    strong: int = 0  # union-find parent over strong links only (`people.identity`)
    rule: int | None = None  # the rule that joined this entry to its person


def identity(history: History) -> tuple[Member, str | None, list[tuple[str, str]], tuple[date, ...]]:
    member = history.as_member()
    parts = []
    for text in (member.name, *member.aliases):
        p = names.name_parts(text)
        if p is not None and p not in parts:
            parts.append(p)
    return member, names.norm_cii(member.cii), parts, member.dobs


class _Index:
    """Blocking keys of the document-derived histories: CII, each date of birth, each exact name."""

    def __init__(self) -> None:
        self.by_cii: dict[str, list[int]] = {}
        self.by_dob: dict[date, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}

    def add(self, node: _Node) -> None:
        if node.cii:
            self.by_cii.setdefault(node.cii, []).append(node.index)
        for d in node.dobs:
            self.by_dob.setdefault(d, []).append(node.index)
        for p in node.names:
            self.by_name.setdefault(names.name_key(p), []).append(node.index)

    def candidates(self, node: _Node) -> set[int]:
        found: set[int] = set()
        if node.cii:
            found.update(self.by_cii.get(node.cii, ()))
        for d in node.dobs:
            found.update(self.by_dob.get(d, ()))
        for p in node.names:
            found.update(self.by_name.get(names.name_key(p), ()))
        found.discard(node.index)
        return found


def strength(a: _Node, b: _Node) -> int | None:
    """The strongest rule that joins two entries, CONFLICT, or None (see the module docstring)."""
    if a.doj and b.doj:
        return None  # two DOJ subjects are two people: SUBJECT_ID only
    common = set(a.dobs) & set(b.dobs)
    exact = bool(set(a.names) & set(b.names))
    if a.cii and b.cii:
        if a.cii != b.cii:
            return None  # never two different CIIs
        if exact or any(names.similar(x, y) for x in a.names for y in b.names):
            return CII
        # A date of birth in common joins them unless the names are unrelated (no last or first
        # name shared: a married name keeps the first); an entry with no name has none to differ.
        related = not (a.names and b.names) or any(
            x[0] == y[0] or (x[1] and x[1] == y[1]) for x in a.names for y in b.names
        )
        if common and related:
            return CII
        return CONFLICT
    if common and exact:
        return EXACT
    if common and any(names.similar(x, y) for x in a.names for y in b.names):
        return SIMILAR
    if exact and any(names.one_digit_apart(x, y) for x in a.dobs for y in b.dobs):
        return DOB_TYPO
    return None


def link(histories: Iterable[History]) -> Iterator[History]:
    """One `History` per person across every input, sorted by person_id (see the module
    docstring for the rule). A person's history has `key` = the person_id, `members` = the
    entries joined, every count of every entry, and name/aliases/dobs/CII/race gathered;
    each count keeps its `person_key`, the entry it came from."""
    # Every history is held until all are read (the output is sorted), and the cyclic garbage
    # collector would rescan that growing heap again and again (reading a DOJ file took twice
    # as long). Nothing built here makes cycles, so it is paused while reading and linking.
    paused = gc.isenabled()
    gc.disable()
    try:
        people = _link(histories)
    finally:
        if paused:
            gc.enable()
    yield from people


def _link(histories: Iterable[History]) -> list[History]:
    nodes: list[_Node] = []
    docs, dojs = _Index(), _Index()  # blocking keys of the documents' entries and of the DOJ subjects'
    pairs: list[tuple[int, int, int]] = []
    by_subject: dict[str, int] = {}
    for history in histories:
        member, cii, parts, dobs = identity(history)
        node = _Node(len(nodes), history, member, member.kind == "doj", cii, parts, dobs)
        node.parent = node.strong = node.index
        node.ciis = {cii} if cii else set()
        nodes.append(node)
        if node.doj:
            node.subjects = {member.key}
            first = by_subject.setdefault(member.key, node.index)
            if first != node.index:
                pairs.append((SUBJECT, first, node.index))
            found = [(s, i) for i in docs.candidates(node) if (s := strength(nodes[i], node)) is not None]
            if found and history.pending is not None and not history.counts:
                node.history = _built(history)
            history.pending = None  # a passed-over subject's rows are not kept
            pairs += [(s, i, node.index) for s, i in found]
            dojs.add(node)
        else:
            for i in docs.candidates(node) | dojs.candidates(node):
                s = strength(nodes[i], node)
                if s is not None:
                    pairs.append((s, i, node.index))
            docs.add(node)
    conflicts = sorted({(i, j) for s, i, j in pairs if s == CONFLICT})
    order = sorted({p for p in pairs if p[0] != CONFLICT}, key=lambda p: (p[0], _rank(nodes[p[1]]), _rank(nodes[p[2]])))
    for s, i, j in order:
        if _union(nodes, i, j, s) and s not in WEAK:
            _join_strong(nodes, i, j)
    groups: dict[int, list[_Node]] = {}
    for node in nodes:
        groups.setdefault(_find(nodes, node.index), []).append(node)
    by_root = {root: _person(nodes, group) for root, group in groups.items()}
    for i, j in conflicts:
        a, b = by_root[_find(nodes, i)], by_root[_find(nodes, j)]
        if a is b:
            continue  # other evidence joined them after all
        why = f"CII {nodes[i].cii} is on both entries, under unrelated names"
        a.identity_conflicts = (a.identity_conflicts or []) + [(b, nodes[j].member, nodes[i].member, why)]
        b.identity_conflicts = (b.identity_conflicts or []) + [(a, nodes[i].member, nodes[j].member, why)]
    people = list(by_root.values())
    people.sort(key=lambda h: h.key)
    return people


def _strong_root(nodes: list[_Node], i: int) -> int:
    while nodes[i].strong != i:
        nodes[i].strong = nodes[nodes[i].strong].strong
        i = nodes[i].strong
    return i


def _join_strong(nodes: list[_Node], i: int, j: int) -> None:
    a, b = _strong_root(nodes, i), _strong_root(nodes, j)
    if a != b:
        nodes[max(a, b)].strong = min(a, b)


def _rank(node: _Node) -> tuple:
    return node.member.key, node.index


def _find(nodes: list[_Node], i: int) -> int:
    root = i
    while nodes[root].parent != root:
        root = nodes[root].parent
    while nodes[i].parent != root:  # path compression
        nodes[i].parent, i = root, nodes[i].parent
    return root


def _union(nodes: list[_Node], i: int, j: int, s: int) -> bool:
    a, b = nodes[_find(nodes, i)], nodes[_find(nodes, j)]
    if a is b:
        return True
    if a.ciis and b.ciis and a.ciis != b.ciis:
        return False  # two CII numbers are two people
    if a.subjects and b.subjects and a.subjects != b.subjects:
        return False  # two DOJ subjects are two people
    for k in (i, j):  # the first rule that joined each entry, for people.csv and the explanation
        if nodes[k].rule is None:
            nodes[k].rule = s
    if _rank(b) < _rank(a):
        a, b = b, a
    b.parent = a.index
    a.ciis |= b.ciis
    a.subjects |= b.subjects
    return True


def _built(history: History) -> History:
    """A passed-over DOJ subject's counts, built after all (`doj._passed_over`)."""
    built = history.pending()
    built.pending = None
    return built


def person_id(member_keys: Iterable[str]) -> str:
    """`P` + 12 hex digits of the SHA-256 of the sorted entry keys: the same entries, the
    same id in every run (DOJ SUBJECT_IDs and content-hashed count ids, not file paths)."""
    text = "\n".join(sorted(member_keys))
    return "P" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _person(nodes: list[_Node], group: list[_Node]) -> History:
    """The joined history of one person's entries (a lone entry's own history, re-keyed)."""
    group = sorted(group, key=lambda n: (KIND_ORDER.get(n.member.kind, 9), n.member.key, n.index))
    members = tuple(n.member for n in group)
    pid = person_id(m.key for m in members)
    links = strong_parts = None
    if len(group) > 1:  # a lone entry (most DOJ subjects) has no links and no parts
        links = {n.member.key: RULES[n.rule] for n in group if n.rule is not None}
        parts: dict[int, tuple[list, list]] = {}  # strong root -> (its members, their counts)
        for n in group:
            members_, counts_ = parts.setdefault(_strong_root(nodes, n.index), ([], []))
            members_.append(n.member)
            counts_.extend(n.history.counts)
        strong_parts = [(tuple(m), c) for m, c in parts.values()] if len(parts) > 1 else None
    primary = next((m for m in members if m.name or m.dob), members[0])
    dob_sources: dict[date, str] = {}
    for m in members:
        for d in m.dobs:
            dob_sources.setdefault(d, m.dob_source if d == m.dob else f"{m.document} (a date of birth on record)")
    aliases = _aliases(primary, members)
    if len(group) == 1:
        h = group[0].history
        h.key, h.members, h.aliases, h.dob_sources = pid, members, aliases, dob_sources
        h.links, h.strong_parts = links, strong_parts
        return h
    dobs = tuple(dict.fromkeys(([primary.dob] if primary.dob else []) + sorted(dob_sources)))
    counts = [c for n in group for c in n.history.counts]
    return History(
        key=pid, name=primary.name, dob=primary.dob, deceased=any(n.history.deceased for n in group),
        counts=counts, dob_source=primary.dob_source, passed_over=sum(n.history.passed_over for n in group),
        aliases=aliases, dobs=dobs, cii=next((m.cii for m in members if m.cii), None),
        race=next((m.race for m in members if m.race), None), kind=primary.kind, document=primary.document,
        members=members, dob_sources=dob_sources, links=links, strong_parts=strong_parts,
    )  # fmt: skip


def _aliases(primary: Member, members: tuple[Member, ...]) -> tuple[str, ...]:
    """Every other name on record, as first written, once per name (`LOPEZ,ROSA M` is
    `LOPEZ,ROSA`: the same last and first name)."""
    seen = {names.name_parts(primary.name)} if primary.name else set()
    out: list[str] = []
    for m in members:
        for text in (m.name, *m.aliases):
            parts = names.name_parts(text)
            if text and parts is not None and parts not in seen:
                seen.add(parts)
                out.append(text)
    return tuple(out)


def histories_of(paths: Iterable[str | Path], tally, keep=None) -> Iterator[History]:
    """Every input's histories, counts files before DOJ files (so a DOJ subject the reader passes
    over meets the documents it may join: see the module docstring)."""
    from docmine.eligibility.check import DOJ, read_histories, sniff

    paths = list(paths)
    kinds = [sniff(p) for p in paths]
    for wanted in (False, True):
        for path, kind in zip(paths, kinds):
            if (kind == DOJ) == wanted:
                yield from read_histories(path, tally, keep)
