"""review.csv: the counts a person must still decide, each with what is in doubt and where.

For a count whose final relief is `hand_review` (the policy sent it there and no reviewer has
decided it), the row names the facts in doubt (those of the rule that sent it to review,
`name=value` joined by `;`), the page and the words they were read from, and a crop of that
page's image around them (`crops.py`), so the reviewer can check the record without opening
the whole document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docmine.eligibility.check import Result
from docmine.eligibility.decision import Decision, Fact, Relief
from docmine.records import Box, Count

# `model._provenance_text`: 'rap.pdf page 3 [120:135] "11357(B) HS"'; DOJ: 'doj.csv line 12 OFFENSE_DESCR'
_PAGE_SOURCE = re.compile(r' page (\d+)(?: \[(\d+):(\d+)\] "(.*)")?$', re.S)
_LINE_SOURCE = re.compile(r" line (\d+) (\S+)$")


@dataclass(frozen=True)
class Doubt:
    facts: tuple[Fact, ...]
    page: int | None  # the page the doubtful words are on (documents)
    text: str  # those words ("" where unknown)
    box: Box | None  # around them, in PDF points, top-left origin


def deciding_nodes(decision: Decision) -> list[Decision]:
    """The rules that sent the count to review: hand_review nodes with no hand_review child."""
    found = []
    for node in decision.walk():
        if node.value is Relief.HAND_REVIEW and not any(ch.value is Relief.HAND_REVIEW for ch in node.children):
            found.append(node)
    return found or [decision]


def _value(value) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return str(value.value)
    return "" if value is None else str(value)


def doubt_text(facts: tuple[Fact, ...]) -> str:
    return ";".join(f"{f.name}={_value(f.value)}" for f in facts)


def _union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _box_at(result: Result, document: str, page: int, start: int, end: int) -> Box | None:
    """The box of the words at [start:end] of a page of `document`: a fact may have been read
    from another count of the same record (a registration, a prior), so all are searched."""
    own = result.count.origin
    others = [c.origin for c in result.history.counts if c.origin is not own]
    for origin in [own, *others]:
        if not isinstance(origin, Count) or origin.document != document:
            continue
        for p in origin.provenance.values():
            if p.page == page and p.start == start and p.end == end and p.box is not None:
                return p.box
    return None


def _doj_row(result: Result, line: int):
    """The DOJ row on a physical line of the file: the count's own, or another count's of the
    same person (a prior the rule cites)."""
    for c in (result.count, *result.history.counts):
        if isinstance(c.origin, list):
            for row_line, row in zip(c.lines, c.origin):
                if row_line == line:
                    return row
    return None


def doubt_of(result: Result, doj_cell=None) -> Doubt:
    """What is in doubt for a hand-review count, and where it was read. `doj_cell(row, column)`
    reads a DOJ row's cell by column name (for the text of DOJ facts)."""
    facts: dict[tuple[str, str], Fact] = {}
    for node in deciding_nodes(result.decision):
        for fact in node.facts:
            facts.setdefault((fact.name, repr(fact.value)), fact)
    chosen = tuple(facts.values())
    count = result.count
    origin = count.origin
    pages: list[int] = []
    texts: list[str] = []
    boxes: dict[int, list[Box]] = {}
    for fact in chosen:
        m = _PAGE_SOURCE.search(fact.source or "")
        if m and isinstance(origin, Count):
            page = int(m.group(1))
            pages.append(page)
            if m.group(4) is not None:
                texts.append(m.group(4))
                box = _box_at(result, fact.source[: m.start()], page, int(m.group(2)), int(m.group(3)))
                if box is not None:
                    boxes.setdefault(page, []).append(box)
            continue
        m = _LINE_SOURCE.search(fact.source or "")
        if m and isinstance(origin, list) and doj_cell is not None:
            row = _doj_row(result, int(m.group(1)))
            if row is not None:
                columns = m.group(2).split("/")
                value = " ".join(f"{c}={doj_cell(row, c).strip()}" for c in columns if doj_cell(row, c).strip())
                if value:
                    texts.append(value)
    if isinstance(origin, Count):
        page = pages[0] if pages else origin.page
        box = _union(boxes.get(page, []))
        if box is None:  # no box for the doubtful words: the count's own line, then its charge
            for key in ("count", "charge"):
                p = origin.provenance.get(key)
                if p is not None and p.box is not None and p.page == page:
                    box = p.box
                    break
        return Doubt(chosen, page, " | ".join(dict.fromkeys(texts)), box)
    return Doubt(chosen, None, " | ".join(dict.fromkeys(texts)), None)
