"""Where a second look at OCR'd words can change an answer, decided after a first extraction.

`ingest.load` reads each OCR page once. The second look (an unsure fax read with the other
clean-up, then its unsure code-like words read again enlarged: `docmine.ingest.ocr.look_later`)
costs a third of a page's reading, so it is paid for only where relief may turn on it:

* a document is worth it when one of its counts is one relief may turn on: a marijuana section
  (today's or a pre-1973 one), or a charge that could not be read (`worth_a_second_look`);
* in such a document only the words that carry a fact a decision reads are looked at again
  (`where_to_look`): every field of the counts relief may turn on, and of the document's other
  counts that may be prior convictions (the priors that decide them, and the same case) the
  charge, its level, the dates, the case number, the disposition, the updates and the date of
  birth (`docmine.eligibility.statute`: timing, age, same case, priors). Not the count numbers,
  CII, times and heights of the header, nor arrests that never reached a court;
* a count that lacks its charge, its date or its case number has the words of its whole event
  looked at: those that would carry the missing fact have no provenance to point at.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from docmine.records import Box, Count, DispositionKind, Document, EventType, TextSource

# The facts of a prior (or of any count of the document) the rules read.
DECIDING_FIELDS = frozenset(
    {"charge", "severity", "event_date", "offense_date", "arrest_date", "case_number", "disposition", "person.dob"}
)
# A count without one of these has its whole event looked at.
NEEDED = ("charge", "event_date", "case_number")


def turns_on(count) -> bool:
    """Whether relief may turn on this count: a marijuana section or an unreadable charge."""
    from docmine.reference.marijuana import PRE_1973_MARIJUANA, PROP64_SECTIONS

    charge = count.charge
    if charge is None:
        return True
    return charge.code == "HS" and (charge.section in PROP64_SECTIONS or charge.section in PRE_1973_MARIJUANA)


def worth_a_second_look(counts: Iterable) -> bool:
    """Whether relief may turn on these counts: a marijuana section (today's or a pre-1973 one),
    or a charge that could not be read."""
    return any(turns_on(c) for c in counts)


def may_be_prior(count) -> bool:
    """Whether a count may be a prior conviction: convicted, or a court count whose outcome could
    not be read. An arrest that never reached a court is not one."""
    kind = count.disposition
    if kind.is_conviction or kind == DispositionKind.UNRECOGNIZED:
        return True
    return kind == DispositionKind.PENDING and count.event_type != EventType.ARREST


def _deciding(field: str) -> bool:
    return field in DECIDING_FIELDS or field.startswith("updates.")


def where_to_look(counts: Iterable[Count], document: Document) -> dict[int, tuple[Box, ...]]:
    """Per OCR page (1-based number), the boxes (page points) of the words worth a second look."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for count in counts:
        whole = turns_on(count)
        if not whole and not may_be_prior(count):
            continue
        for field, where in count.provenance.items():
            if whole or _deciding(field):
                spans[where.page].append((where.start, where.end))
        if any(count.provenance.get(f) is None for f in NEEDED):
            pages: dict[int, list[int]] = defaultdict(list)
            for field, where in count.provenance.items():
                if not field.startswith("person."):  # the event's own lines, not the header's
                    pages[where.page] += [where.start, where.end]
            for page, offsets in pages.items():
                spans[page].append((min(offsets), max(offsets)))
    boxes: dict[int, tuple[Box, ...]] = {}
    for page in document.pages:
        if page.source != TextSource.OCR or page.number not in spans:
            continue
        wanted = sorted(spans[page.number])
        boxes[page.number] = tuple(w.box for w in page.words if _overlaps(w.start, w.end, wanted))
    return boxes


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
