"""A document's text as the parsers see it: normalised, joined across pages, and mapped back.

Parsers read one string, `DocText.text`: every page's normalised text (`docmine.normalize`)
joined with a form feed, so a count broken by a `PAGE n OF m` footer is still one run of
text. A span found in it becomes a `Provenance` with `DocText.provenance(start, end)`: the
page it lies on, the offsets in that page's *original* text, the box around the words it
covers and their lowest OCR confidence (1.0 for a text layer).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Callable, Sequence

import regex

from docmine.normalize import Normalized, normalize
from docmine.records import Box, Document, Page, Provenance

PAGE_SEPARATOR = "\f"


@dataclass(frozen=True)
class Entity:
    """A labelled span of `DocText.text` (from the rules or the entity model)."""

    start: int
    end: int
    label: str
    score: float = 1.0
    source: str = "model"  # "model" or "rules"


@dataclass(frozen=True)
class PageText:
    page: Page
    normalized: Normalized
    offset: int  # where this page's normalised text starts in DocText.text
    word_starts: tuple[int, ...]  # page.words' start offsets (sorted), for bisect


class DocText:
    """Normalised text of a whole document with a map back to pages, words and boxes."""

    def __init__(self, name: str, sha256: str, pages: Sequence[Page]):
        self.name = name
        self.sha256 = sha256
        parts: list[str] = []
        page_texts: list[PageText] = []
        offset = 0
        for page in pages:
            normalized = normalize(page.text)
            words = tuple(sorted(page.words, key=lambda w: w.start))
            if words != page.words:
                page = Page(
                    page.number, page.width, page.height, page.text, words, page.source, page.source_reason, page.error
                )
            page_texts.append(PageText(page, normalized, offset, tuple(w.start for w in words)))
            parts.append(normalized.text)
            offset += len(normalized.text) + len(PAGE_SEPARATOR)
        self.pages: tuple[PageText, ...] = tuple(page_texts)
        self.text: str = PAGE_SEPARATOR.join(parts)
        self._page_offsets = [p.offset for p in self.pages]

    @classmethod
    def from_document(cls, document: Document, name: str | None = None) -> "DocText":
        return cls(name or document.path.rsplit("/", 1)[-1], document.sha256, document.pages)

    @classmethod
    def from_texts(cls, name: str, sha256: str, texts: Sequence[str]) -> "DocText":
        """Pages given as plain text only (no words, no boxes): e.g. a RAP sheet's .txt file."""
        return cls(name, sha256, [Page(i + 1, 612.0, 792.0, t) for i, t in enumerate(texts)])

    # --- locating ----------------------------------------------------------------------

    def page_at(self, position: int) -> PageText:
        """The page holding `position` of `text` (a separator belongs to the page before)."""
        index = bisect.bisect_right(self._page_offsets, position) - 1
        return self.pages[max(index, 0)]

    def page_number(self, position: int) -> int:
        return self.page_at(position).page.number

    def provenance(self, start: int, end: int) -> Provenance:
        """Where `text[start:end]` came from; a span crossing a page break is cut at it."""
        page_text = self.page_at(start)
        local_start = start - page_text.offset
        local_end = min(end - page_text.offset, len(page_text.normalized.text))
        local_end = max(local_end, local_start)
        src_start, src_end = page_text.normalized.source_span(local_start, local_end)
        page = page_text.page
        box, confidence = _words_box(page_text, src_start, src_end)
        return Provenance(page.number, src_start, src_end, page.text[src_start:src_end], box, confidence)

    def lines(self, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """(start, end) of every line of `text[start:end]`, page separators included as breaks."""
        end = len(self.text) if end is None else end
        spans = []
        for match in regex.finditer(r"[^\n\f]*", self.text, pos=start, endpos=end):
            if match.start() == match.end() and spans and spans[-1][1] == match.start():
                continue
            spans.append((match.start(), match.end()))
        return spans


def _words_box(page_text: PageText, start: int, end: int) -> tuple[Box | None, float]:
    page = page_text.page
    if not page.words:
        return None, 1.0 if page.source.value == "text_layer" else 0.0
    # Words overlapping [start, end): those starting before `end` and ending after `start`.
    hi = bisect.bisect_left(page_text.word_starts, max(end, start + 1))
    lo = bisect.bisect_right(page_text.word_starts, start) - 1
    covered = [w for w in page.words[max(lo, 0) : hi] if w.end > start and w.start < max(end, start + 1)]
    if not covered:
        return None, 1.0 if page.source.value == "text_layer" else 0.0
    # A span may cover part of a word (`HS` of `HS-SALE/TRANSPORT`): cut the word's box in
    # proportion to its characters, which is exact for fixed-width records.
    boxes = [_part_box(w, start, end) for w in covered]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return box, round(min(w.confidence for w in covered), 4)


def _part_box(word, start: int, end: int) -> Box:
    x0, y0, x1, y1 = word.box
    length = max(word.end - word.start, 1)
    first = max(start, word.start) - word.start
    last = min(end, word.end) - word.start
    if first <= 0 and last >= length:
        return word.box
    width = (x1 - x0) / length
    return (round(x0 + first * width, 3), y0, round(x0 + last * width, 3), y1)


# --- dates -------------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)
}
_MONTH_WORD = r"(?:JAN|FEB|MAR|APR|MAY|JUNE?|JULY?|AUG|SEPT?|OCT|NOV|DEC)[A-Z]*\.?"
DATE_PATTERN = regex.compile(
    r"(?<![0-9])(?:"
    r"(?P<ymd>(?:19|20)[0-9]{2}[01][0-9][0-3][0-9])"  # 19890314
    r"|(?P<mdy>[01]?[0-9])[/-](?P<mdy_d>[0-3]?[0-9])[/-](?P<mdy_y>(?:19|20)?[0-9]{2})"  # 03/14/1989, 3-14-89
    r"|(?P<dmy>[0-3]?[0-9])-(?P<dmy_m>" + _MONTH_WORD + r")-(?P<dmy_y>(?:19|20)?[0-9]{2})"  # 14-MAR-1989
    r"|(?P<mdy_w>" + _MONTH_WORD + r")\s+(?P<mdy_wd>[0-3]?[0-9]),?\s+(?P<mdy_wy>(?:19|20)[0-9]{2})"  # MARCH 14, 1989
    r")(?![0-9])",
    regex.IGNORECASE,
)


def parse_date(text: str, *, pivot: int = 30) -> dt.date | None:
    """The date `text` holds in any form California records print, or None.

    Two-digit years are read as 19xx unless they fall at or below `pivot` (records here
    run from 1961 to the present, so `03/14/89` is 1989 and `01/02/05` is 2005).
    """
    match = DATE_PATTERN.fullmatch(text.strip())
    return date_from_match(match, pivot=pivot) if match else None


def date_from_match(match: regex.Match, *, pivot: int = 30) -> dt.date | None:
    groups = match.groupdict()
    try:
        if groups["ymd"]:
            s = groups["ymd"]
            return dt.date(int(s[:4]), int(s[4:6]), int(s[6:]))
        if groups["mdy"]:
            return dt.date(_year(groups["mdy_y"], pivot), int(groups["mdy"]), int(groups["mdy_d"]))
        if groups["dmy"]:
            return dt.date(_year(groups["dmy_y"], pivot), _MONTHS[groups["dmy_m"][:3].upper()], int(groups["dmy"]))
        if groups["mdy_w"]:
            return dt.date(int(groups["mdy_wy"]), _MONTHS[groups["mdy_w"][:3].upper()], int(groups["mdy_wd"]))
    except (ValueError, KeyError):
        return None
    return None


def _year(text: str, pivot: int) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= pivot else 1900
    return year


def best_by_line(
    text: str, entities: Sequence[Entity], label: str, accept: Callable[[str, str], bool]
) -> dict[int, Entity]:
    """The highest-scoring `label` entity of each line, by the line's start, among those
    `accept(before, value)` takes (`before`: the line's text up to the entity)."""
    out: dict[int, Entity] = {}
    for e in entities:
        if e.label != label:
            continue
        line_start = max(text.rfind("\n", 0, e.start), text.rfind("\f", 0, e.start)) + 1
        if not accept(text[line_start : e.start], text[e.start : e.end]):
            continue
        if line_start not in out or e.score > out[line_start].score:
            out[line_start] = e
    return out
