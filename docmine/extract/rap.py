"""DOJ RAP sheets: the rule layer and the record builder.

A RAP sheet is rigid text: a subject block (`CII/`, `DOB/`, `SEX/ RAC/`, `NAM/01` and
aliases), then arrest cycles split by `* * * *`, events inside a cycle split by `- - - -`,
each event a header (`ARR/DET/CITE:`, `COURT:`, `CUSTODY:CDC`, ...), a date + agency line
and `CNT:` blocks. A count block holds its charge line (or `SEE COMMENT FOR CHARGE` and
`COM: CHRG ...`), an optional date line and `DISPO:`, `CONV STATUS:`, `SEN:` with its
continuation lines, then dated later updates. `PAGE n OF m` footers and the repeated page
header can fall anywhere, even inside a count: they are dropped before anything is read.

`parse_rap` reads lines in one pass (no backtracking across the document), so a count's
disposition, dates and sentence can only come from its own block and its own event.
Conventions follow the synthetic truth (`docmine/synth/corpus.py`): events and counts are
numbered in document order, a range `CNT:001-004` is four counts, disposition dates
default to the event date, severity is only what `CONV STATUS:` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Sequence

import regex

from docmine import labels as L
from docmine.charges import Charge, ChargeParseError
from docmine.contract import count_id
from docmine.reference.agencies import kind_of_agency
from docmine.extract.dispositions import rap_disposition as disposition_kind
from docmine.extract.rap_values import county_of, sentence_terms, update_kind
from docmine.extract.ocr_charge import read_charge
from docmine.doctext import DocText, Entity, best_by_line, parse_date
from docmine.records import Count, DispositionKind, DocType, EventType, Person, Provenance, Sentence, Severity
from docmine.records import TermKind, Update

# --- line patterns (on normalised text; OCR slot repairs are already done) ----------------

_X = regex.IGNORECASE
_DATE8 = r"(?:19|20)[0-9]{6}"
_LEAD = r"^[ \t]*(?:[_'*.,:;!|~\-¥\u201c\u2018\"][ \t]*){0,3}"  # indentation and the specks a scan leaves before a word
PAGE_MARK = regex.compile(r"(?:PAGE){e<=1}\s*[0-9]{1,3}\s*[:.]?\s*(?:OF){e<=1}\s*[0-9]{1,3}", _X)
LONE_PAGE_NUMBER = regex.compile(r"^[ \t]*(?:PAGE|PG\.?)[ \t]*[0-9]{1,3}[ \t]*$", _X)  # a footer without its `OF m`
REPEATED_HEADER = regex.compile(r"^\s*(?:(?:RE:\s*QHY){e<=2}|C[I1lX|][I1l|]/[A-Z0-9]{6,})", _X)
HEADER_INSIDE = regex.compile(r"(?:RE:\s*QHY){e<=1}|C[I1lX|][I1l|]/[A-Z0-9]{6,}", _X)
CYCLE_SEPARATOR = regex.compile(r"^[ \t]*\*(?:[ \t]*\*){2,6}[ \t]*$")
EVENT_SEPARATOR = regex.compile(r"^[ \t]*[-–—_~](?:[ \t]*[-–—_~.]){2,7}[ \t]*$")
EVENT_HEADER = regex.compile(
    _LEAD + r"(?:"
    r"(?P<arrest>(?:ARR/DET/CITE){e<=3})"
    r"|(?P<supplemental>(?:SUPPLEMENTAL){e<=2}\s*ARR\w*)"
    r"|(?P<court>(?:COURT){e<=1})"
    r"|(?P<registration>(?:REGISTRATION){e<=2})"
    r"|(?P<custody>(?:CUSTODY){e<=1})"
    r"|(?P<probation>(?:PROBATION){e<=1})"
    r"|(?P<deceased>(?:DECEASED){e<=1})"
    r"|(?P<applicant>(?:APPLICANT){e<=1})"
    r")(?P<tail>(?:[ \t]|[:;!.]|$)[^\n\f]*)$",
    _X | regex.BESTMATCH,
)
# Events DOJ prints that docmine has no type for (`MENTAL HLTH CUS/SUPV`, `INTERST COMP PAROLEE`).
OTHER_EVENT_HEADER = regex.compile(r"^[ \t]{0,3}[A-Z][A-Z/&. ]{3,40}?[ \t]+NAME?:[0-9]{2}", _X)
_DATE_LEAD = (
    r"^[ \t]*[_'*.,:;!|\u201c\u201d\u2018\u2019\"]{0,2}[ \t]*(?P<date>" + _DATE8 + r")(?![0-9])[^\sA-Z0-9]{0,2}"
)
# The type of charge (`TOC:F`) may stand at the right of the date line: it is not the agency's.
_TOC_TAIL = r"(?:[ \t]+TOC[ \t]*[:;][ \t]*[A-Z]?)?"
DATE_AGENCY = regex.compile(
    _DATE_LEAD + r"[ \t]+[^\sA-Z0-9]{0,2}(?P<agency>[A-Z][A-Z0-9 ,.&'/-]*?[A-Z0-9])" + _TOC_TAIL + r"[^A-Z0-9\n\f]*$",
    _X,
)
DATE_ONLY = regex.compile(_DATE_LEAD + _TOC_TAIL + r"[ \t]*$")
# The subject's name number on its own line under an event header (`ARR/DET/CITE:` / `NAM:02`).
_NAME_NUMBER = r"NAME?[ \t]*[:;]?[ \t]*[0-9OIl]{1,3}(?:[ \t]+DOB[ \t]*[:;][ \t]*[0-9]{8})?"
NAME_NUMBER_LINE = regex.compile(r"^[ \t]*" + _NAME_NUMBER + r"[^A-Z0-9\n\f]*$", _X)
# A header with its date line on the same line (`COURT: NAM:01 19960718 CASC SAN FRANCISCO CO`).
HEADER_DATE = regex.compile(r"[ \t]*[:;!.]?(?:[ \t]*" + _NAME_NUMBER + r")?[ \t]+(?=(?:19|20)[0-9]{6}(?![0-9]))", _X)
# A case number on its own line under `CNT:001` (`#65131`).
CASE_LINE = regex.compile(r"^[ \t]*#[ \t]*(?P<case>[A-Z0-9][A-Z0-9.,\-]*?)[.,]?[ \t]*$", _X)
# A sentencing provision printed like a charge (`.1170 (H) PC-SENTENCING`): not the offence.
SENTENCING_LINE = regex.compile(
    _LEAD + r"(?:1170(?:\.[0-9]{1,2})?[ \t]*(?:\([ \t]?[A-Z0-9][ \t]?\))*[ \t]*PC\b|[^\n\f]*-[ \t]*SENTENCING[ \t]*$)",
    _X,
)
# The type of charge on its own line (`TOC:M`).
_TOC = r"TOC[ \t]*[:;?!][^A-Z0-9\n\f]{0,2}[A-Z]?[^A-Z0-9\n\f]{0,2}$"
# Inside a count, a dated line whose far right a stamp or a margin note overprinted
# (`20001215                                         MARO720`): still the date line.
DATE_MARGIN = regex.compile(_DATE_LEAD + r"[ \t]{12,}[^\n\f]{1,24}$")
DATE_DISPO = regex.compile(_DATE_LEAD + r"[ \t]+(?=\*?[ \t]*DISPO?[ \t]*:)")
COUNT_LINE = regex.compile(
    _LEAD + r"(?:CNT|C[A-Z?]{1,2}[T7R]?)[ \t]*[:;?!.,]?[ \t]*"
    r"(?P<no>-?[0-9][0-9 \t]{0,6}?(?:[ \t]*-[ \t]*[0-9]{1,3})?|[0-9][0-9A-Z]{1,2}[ \t]*-[ \t]*[0-9]{1,3})(?![0-9])"
    r"(?:[^#*\n\f]{0,8}?[ \t][#*]+[ \t]*(?P<case>[A-Z0-9][A-Z0-9,.\-]*(?:,? [A-Z0-9][A-Z0-9,.\-]*)*?))?"
    r"(?:[ \t]{2,}[^\n\f]*|[^A-Z0-9\n\f]{0,3})?$",
    _X,
)
DISPO_LINE = regex.compile(
    _LEAD + r"(?:DISPO|DISP|(?:DISPO){e<=1}|D[ \t]?I[ \t]?S[ \t]?P[ \t]?O)[ \t]*[:;][ \t]*(?P<value>[^\n\f]*?)"
    r"(?:[ \t]{4,}[^\n\f]{0,40})?[ \t]*$",
    _X | regex.BESTMATCH,
)
CONV_STATUS = regex.compile(_LEAD + r"(?:CONV[ \t]*STATUS){e<=2}[ \t]*[:;!]?[ \t]*(?P<value>[A-Z0-9$]+)", _X)
SENTENCE_LINE = regex.compile(_LEAD + r"S(?:EN){e<=1}[ \t]*[:;][ \t]*(?P<value>[^\n\f]*?)[ \t]*$", _X)
COMMENT_LINE = regex.compile(_LEAD + r"(?:COM){e<=1}[ \t]*[:;][ \t]*(?P<value>[^\n\f]*?)[ \t]*$", _X)
# A sentence given only in a comment: `COM: SEN-X3 YR PROB, ...`, `COM: SEN-X,3 YR PROB`, `COM: XSEN:3 YR PROB`.
COMMENT_SENTENCE = regex.compile(r"^X?[ \t]*SEN[ \t]*(?:-[ \t]*X|:)[ \t]*[,:]?[ \t]*(?P<sentence>[^\n\f]*?)[ \t]*$", _X)
COMMENT_CHARGE = regex.compile(r"(?:CHRG){e<=1}[ \t]*[-: ][ \t]*[\[({‘']?(?P<charge>[0-9][^\n\f]*?)[ \t]*$", _X)
SEE_COMMENT = regex.compile(_LEAD + r"(?:SEE\s+COMMENT\s+FOR\s+CHARGE){e<=3}[ \t]*$", _X)
SKIPPED_IN_COUNT = regex.compile(
    _LEAD + r"(?:-?[ \t]*(?:BENCH[ \t]+)?WARRANT|" + _TOC + r"|(?:SEN[ \t]?FROM){e<=3}[ \t]*:|CRT[ \t]*#|ARR[ \t]+BY:|"
    r"CITE[ \t]+#|RECVD[ \t]+BY:|CONV[ \t]+OF:|ADR:)",
    _X,
)
BANNER_RULE = regex.compile(r"^[ \t]*\*[ \t*]*$")  # star rows around banners (cycle separators are read first)
STRIKE_BANNER = regex.compile(r"(?:POTENTIAL\s*FELONY){e<=3}|(?:END\s*OF\s*MESSAGE){e<=3}|PROBATION\s+FLAGS", _X)
# Subject block.
# Subject fields are read whatever the page's left margin (text layers keep it).
CII_FIELD = regex.compile(r"^[ \t]*C[I1l|][I1l|]/(?P<cii>[A-Z]?[0-9]{6,10})", _X)
CONSOLIDATION_NOTICE = regex.compile(r"(?:CONSOLIDATED){e<=2}", _X)
DOB_FIELD = regex.compile(r"(?:^|[ \t])DOB/(?P<dobs>[0-9 \t]+)")
SEX_FIELD = regex.compile(r"\bSEX/(?P<sex>[A-Z])\b")
RACE_FIELD = regex.compile(r"\bRAC/(?P<race>[A-Z][A-Z ]*?)[ \t]*(?:$|[ \t]{2,})", regex.MULTILINE)
NAME_FIELD = regex.compile(r"^[ \t]*NAM/[0-9OIl]{2,3}[ \t]+(?P<name>\S[^\n\f]*?)(?:[ \t]{3,}[^\n\f]{0,3})?[ \t]*$")
ALIAS_FIELD = regex.compile(
    r"^[ \t]*(?=[^ \t]{0,2}[0-9])[0-9OISl]{2,3}[ \t]+(?P<name>[A-Z][^\n\f]*?)(?:[ \t]{3,}[^\n\f]{0,3})?[ \t]*$"
)
SEVERITY_WORDS = regex.compile(
    r"(?P<f>(?:FELONY){e<=1})|(?P<m>(?:MISDEMEANOR){e<=2})|(?P<i>(?:INFRACTION){e<=2})", _X | regex.BESTMATCH
)
DATE_IN_FIELD = regex.compile(_DATE8)

_EVENT_TYPES = {
    "arrest": EventType.ARREST,
    "supplemental": EventType.SUPPLEMENTAL,
    "court": EventType.COURT,
    "registration": EventType.REGISTRATION,
    "custody": EventType.CUSTODY,
    "probation": EventType.PROBATION,
    "deceased": EventType.DECEASED,
    "applicant": EventType.APPLICANT,
}


# --- the pieces a count is built from ---------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A value and where it is in `DocText.text`."""

    text: str
    start: int
    end: int


@dataclass
class Event:
    ordinal: int
    cycle: int
    kind: EventType
    date: date | None = None
    date_span: Span | None = None
    agency: Span | None = None
    county: str | None = None
    county_span: Span | None = None
    arrest_date: date | None = None
    arrest_span: Span | None = None
    case: Span | None = None
    counts_seen: int = 0  # count ordinals used so far (a range uses several)


@dataclass
class Block:
    """One `CNT:` block: everything read for its count(s)."""

    event: Event
    page_start: int
    number: Span
    numbers: tuple[int, ...]
    case: Span | None
    first_ordinal: int = 1
    doubtful: bool = False  # the count number or the block itself was inferred, not read
    end: int = 0
    charge: Span | None = None
    charge_line: Span | None = None  # a description line or SEE COMMENT, when the charge is in COM: CHRG
    severity: Span | None = None
    dispo: Span | None = None
    dispo_date: Span | None = None
    sentence: list[Span] = field(default_factory=list)
    sentence_date: Span | None = None
    updates: list[tuple[Span | None, list[Span]]] = field(default_factory=list)
    from_model: dict[str, float] = field(
        default_factory=dict
    )  # provenance key -> entity score, where the model read it


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    page: int
    top_of_page: bool  # among the first lines of a page after the first (repeated headers)


# --- entry point --------------------------------------------------------------------------


def parse_rap(doc: DocText, entities: Sequence[Entity] = ()) -> list[Count]:
    """Every count of every event of a RAP sheet, in the output contract, with provenance.

    `entities` (from the entity model, in `doc.text` coordinates) fill a slot the rules
    could not read; without them the rules work alone."""
    lines = _content_lines(doc)
    first_event = _first_event_index(lines)
    person, person_prov = _read_person(doc, lines[:first_event] if first_event is not None else lines)
    if first_event is None:
        return []
    blocks = _read_events(lines[first_event:], _line_charges(doc, entities))
    counts: list[Count] = []
    for block in blocks:
        if entities:
            _fill_from_entities(doc, block, entities)
        counts.extend(_build(doc, block, person, person_prov))
    return counts


# --- lines ------------------------------------------------------------------------------


def _content_lines(doc: DocText) -> list[Line]:
    """Lines with page furniture dropped: `PAGE n OF m` lines and the page header repeated
    at the top of later pages (`RE: QHY...`, `CII/... NAME`). Blank lines are kept: they
    end sentence continuations."""
    out: list[Line] = []
    text = doc.text
    page_offsets = [p.offset for p in doc.pages]
    page_index = 0
    seen_on_page = 0
    for start, end in doc.lines():
        while page_index + 1 < len(page_offsets) and start >= page_offsets[page_index + 1]:
            page_index += 1
            seen_on_page = 0
        line = text[start:end]
        stripped = line.strip()
        if stripped:
            seen_on_page += 1
        top = page_index > 0 and seen_on_page <= 3
        if stripped:
            keep = _kept_length(line, top)
            if keep == 0:
                continue
            end, line = start + keep, line[:keep]
        out.append(Line(start, end, line, doc.pages[page_index].page.number, top))
    return out


def _kept_length(line: str, top_of_page: bool) -> int:
    """How much of a line is record text: 0 for a `PAGE n OF m` line or a repeated page
    header, the part before them where a scan ran them into a record line
    (`* * * *CII/A09325610  MORENO,EFRAIN D   PAGE 2 OF 2`), else the whole line."""
    m = PAGE_MARK.search(line)
    if m:
        after = line[m.end() :]
        if not after.strip() or HEADER_INSIDE.search(after) or len(after.strip()) <= 3:
            head = HEADER_INSIDE.search(line, 0, m.start())
            cut = head.start() if head else m.start()
            return len(line[:cut].rstrip()) if line[:cut].strip() else 0
    if top_of_page and REPEATED_HEADER.match(line) or LONE_PAGE_NUMBER.match(line):
        return 0
    return len(line)


def _next_content(lines: list[Line], i: int) -> int | None:
    """The next line with text, past blank lines and a `NAM:02` line under a header."""
    for j in range(i + 1, min(i + 5, len(lines))):
        if lines[j].text.strip() and not NAME_NUMBER_LINE.match(lines[j].text):
            return j
    return None


def _tail_line(line: Line, at: int) -> Line:
    """The part of a line from `at` on, as a line of its own (a date line printed on the header's line)."""
    return Line(line.start + at, line.end, line.text[at:], line.page, line.top_of_page)


def _header_at(lines: list[Line], i: int, after_events: bool) -> tuple[EventType, int, Line | None] | None:
    """(event type, index of the last line of its header, its date line or None) when line
    i opens an event."""
    line = lines[i].text
    m = EVENT_HEADER.match(line)
    kind = None
    if m:
        kind = next(_EVENT_TYPES[k] for k in _EVENT_TYPES if m.group(k))
    elif OTHER_EVENT_HEADER.match(line) and not COUNT_LINE.match(line):
        kind = EventType.UNRECOGNIZED
    if kind is None:
        return None
    # A line under a bare date is an update (`19790403` / `  PROBATION REVOKED`), never a header.
    if i > 0 and DATE_ONLY.match(lines[i - 1].text):
        return None
    strong = m is not None and bool(regex.match(r"[ \t]*(?:[:;!]|NAME?:)", m.group("tail"), regex.IGNORECASE))
    exact = m is not None and m.fuzzy_counts == (0, 0, 0)
    if m is not None and (d := HEADER_DATE.match(m.group("tail"))):
        same = _tail_line(lines[i], m.start("tail") + d.end())
        if DATE_AGENCY.match(same.text) or DATE_ONLY.match(same.text):
            return kind, i, same
    j = _next_content(lines, i)
    # A date with no agency follows a header with its colon (`REGISTRATION:` / `19960101`);
    # before the first event only an exactly spelt header is trusted with it.
    if (
        j is not None
        and not DATE_DISPO.match(lines[j].text)
        and (
            DATE_AGENCY.match(lines[j].text) or (strong and (after_events or exact) and DATE_ONLY.match(lines[j].text))
        )
    ):
        return kind, j, lines[j]
    # The date line may be unreadable on a scan; a header with its colon or NAM: still counts
    # once events have begun (before that, `PROBATION: EXP:...` is part of the subject block).
    if after_events and exact and (":" in m.group("tail")[:3] or "NAM:" in m.group("tail").upper()):
        return kind, i, None
    return None


def _first_event_index(lines: list[Line]) -> int | None:
    for i in range(len(lines)):
        if _header_at(lines, i, after_events=False):
            return i
    return None


# --- subject block --------------------------------------------------------------------------


def _read_person(doc: DocText, lines: list[Line]) -> tuple[Person, dict[str, Provenance]]:
    prov: dict[str, Provenance] = {}
    cii = name = sex = race = None
    aliases: list[str] = []
    dobs: list[date] = []
    in_names = False
    consolidated = False  # inside the notice listing other CIIs merged into this record
    for line in lines:
        text = line.text
        if line.top_of_page and REPEATED_HEADER.match(text):
            continue
        if not text.strip():
            continue  # a blank line between names does not end the aliases
        m = NAME_FIELD.match(text)
        if m and name is None:
            name = m.group("name")
            prov["person.name"] = doc.provenance(line.start + m.start("name"), line.start + m.end("name"))
            in_names = True
            continue
        if in_names:
            m = ALIAS_FIELD.match(text)
            if m:
                aliases.append(m.group("name"))
                continue
            in_names = False
        if CONSOLIDATION_NOTICE.search(text):
            consolidated = True
            continue
        if consolidated and (BANNER_RULE.match(text) or CYCLE_SEPARATOR.match(text) or not CII_FIELD.match(text)):
            consolidated = False
        m = CII_FIELD.match(text)
        if m and cii is None and not consolidated:
            cii = m.group("cii")
            prov["person.cii"] = doc.provenance(line.start + m.start("cii"), line.start + m.end("cii"))
        m = DOB_FIELD.search(text)
        if m:
            for d in DATE_IN_FIELD.finditer(m.group("dobs")):
                value = parse_date(d.group(0))
                if value is None or value in dobs:
                    continue
                if not dobs:
                    at = line.start + m.start("dobs") + d.start()
                    prov["person.dob"] = doc.provenance(at, at + 8)
                dobs.append(value)
        if sex is None and (m := SEX_FIELD.search(text)):
            sex = m.group("sex")
        if race is None and (m := RACE_FIELD.search(text)):
            race = m.group("race")
    person = Person(
        name=name, aliases=tuple(aliases), dob=dobs[0] if dobs else None, dobs=tuple(dobs), cii=cii, sex=sex, race=race
    )
    return person, prov


# --- events and count blocks ------------------------------------------------------------


def _span(line: Line, m: regex.Match, group: str) -> Span:
    return Span(m.group(group), line.start + m.start(group), line.start + m.end(group))


def _case_span(line: Line, m: regex.Match) -> Span | None:
    """The case number after `#`, without the stray marks a scan leaves after it (`#7875032.`)."""
    span = _span(line, m, "case")
    text = span.text.rstrip(".,-")
    return Span(text, span.start, span.start + len(text)) if text else None


def _read_events(lines: list[Line], line_charges: dict[int, Entity] | None = None) -> list[Block]:
    """One pass over the lines after the subject block: events, their count blocks, and
    each block's slots. `line_charges`: the model's readable CHARGE span opening a line
    (by line start), which lets a charge line the rules cannot see start a count whose
    `CNT:` line a scan destroyed."""
    line_charges = line_charges or {}
    blocks: list[Block] = []
    event: Event | None = None
    block: Block | None = None
    ordinal = 0
    cycle = 0
    separator: str | None = "cycle"  # what stood between the previous event and this line
    cycle_arrest: tuple[date | None, Span | None] = (None, None)
    cycle_county: str | None = None
    pending_date: Span | None = None  # a date line waiting for its DISPO or update
    open_text: list[Span] | None = None  # the sentence or update text that continuation lines extend
    skip_until = -1
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if i <= skip_until:
            i += 1
            continue
        if not text.strip():
            open_text = None
            i += 1
            continue
        if CYCLE_SEPARATOR.match(text):
            separator, block, open_text, pending_date = "cycle", _close(block, line.start), None, None
            i += 1
            continue
        if EVENT_SEPARATOR.match(text):
            separator = separator or "event"
            block, open_text, pending_date = _close(block, line.start), None, None
            i += 1
            continue
        header = _header_at(lines, i, after_events=True)
        headless = (
            header is None
            and separator == "event"
            and event is not None
            and not DATE_DISPO.match(text)
            and (DATE_AGENCY.match(text) or DATE_ONLY.match(text) and _opens_count(lines, i))
        )
        # A cycle whose header a stamp or a scan destroyed (`ARR/DE  *   NAMHO1`): its date and
        # agency line, then a count, still open an event, of the kind its agency code says.
        lost_header = (
            header is None
            and not headless
            and separator == "cycle"
            and event is not None
            and not DATE_DISPO.match(text)
            and DATE_AGENCY.match(text) is not None
            and _opens_count(lines, i)
        )
        if header or headless or lost_header:
            block = _close(block, line.start)
            if header:
                kind, last_index, dl = header
            elif headless:
                kind, last_index, dl = event.kind, i, line
            else:
                kind, last_index, dl = kind_of_agency(DATE_AGENCY.match(text).group("agency")), i, line
            new_cycle = separator == "cycle" or (separator is None and _starts_cycle(kind, event))
            if new_cycle or event is None:
                cycle += 1
                cycle_arrest, cycle_county = (None, None), None
            ordinal += 1
            event = Event(ordinal, cycle, kind)
            if dl is not None:
                m = DATE_AGENCY.match(dl.text) or DATE_ONLY.match(dl.text)
                event.date_span = _span(dl, m, "date")
                event.date = parse_date(m.group("date"))
                event.agency = _span(dl, m, "agency") if "agency" in m.groupdict() else None
                county, c0, c1 = county_of(event.agency.text) if event.agency else (None, -1, -1)
                if county:
                    event.county = county
                    if c0 >= 0:
                        at = event.agency.start + c0
                        event.county_span = Span(county, at, event.agency.start + c1)
            skip_until = last_index
            if event.county is None:
                event.county = cycle_county
            cycle_county = event.county or cycle_county
            if kind == EventType.ARREST:
                cycle_arrest = (event.date, event.date_span)
            event.arrest_date, event.arrest_span = cycle_arrest
            separator, pending_date, open_text = None, None, None
            i += 1
            continue
        if event is None:
            i += 1
            continue
        if STRIKE_BANNER.search(text) or BANNER_RULE.match(text):
            block, open_text, pending_date = _close(block, line.start), None, None
            i += 1
            continue
        m = COUNT_LINE.match(text)
        if m:
            block = _close(block, line.start)
            numbers, repaired = _plausible_numbers(
                _numbers(m.group("no"), event.counts_seen + 1), event.counts_seen + 1
            )
            case = _case_span(line, m) if m.group("case") else None
            if case is not None:
                event.case = case
            block = Block(
                event, line.page, _span(line, m, "no"), numbers, event.case, first_ordinal=numbers[0], doubtful=repaired
            )
            event.counts_seen = numbers[-1]
            blocks.append(block)
            pending_date, open_text = None, None
            i += 1
            continue
        model_charge = line_charges.get(line.start) if not _looks_like_charge_line(text) else None
        if model_charge is not None and _slot_line(text):
            model_charge = None
        charge_like = (model_charge is not None or _looks_like_charge_line(text)) and not SENTENCING_LINE.match(text)
        if block is None and not charge_like:
            i += 1
            continue
        if (
            block is None
            or open_text is None
            and pending_date is None
            and block.charge is not None
            and charge_like
            and not _unreadable(block.charge.text)
        ):
            # A second charge line: the `CNT:` line above it was lost on the scan.
            block = _close(block, line.start)
            number = event.counts_seen + 1
            s0 = line.start + len(text) - len(text.lstrip())
            block = Block(
                event, line.page, Span("", s0, s0), (number,), event.case, first_ordinal=number, doubtful=True
            )
            if model_charge is not None:
                block.from_model["charge"] = model_charge.score  # only the model saw a charge here
            event.counts_seen = number
            blocks.append(block)
        open_text, pending_date = _read_count_line(block, line, open_text, pending_date)
        i += 1
    _close(block, lines[-1].end if lines else 0)
    return blocks


def _opens_count(lines: list[Line], i: int) -> bool:
    """Whether the next line with text after line i (a `TOC:F` line passed over) is a `CNT:` line."""
    j = _next_content(lines, i)
    if j is not None and SKIPPED_IN_COUNT.match(lines[j].text) and "TOC" in lines[j].text.upper():
        j = _next_content(lines, j)
    return j is not None and COUNT_LINE.match(lines[j].text) is not None


def _starts_cycle(kind: EventType, previous: Event | None) -> bool:
    """With no separator readable between two events: does the second start a cycle?
    (Within a cycle: an arrest, then court, then custody or probation.)"""
    if previous is None:
        return True
    if kind in (EventType.ARREST, EventType.DECEASED, EventType.APPLICANT):
        return True
    if kind == EventType.REGISTRATION:
        return previous.kind != EventType.REGISTRATION
    if kind == EventType.COURT:
        return previous.kind not in (EventType.ARREST, EventType.SUPPLEMENTAL, EventType.COURT)
    return False


def _close(block: Block | None, at: int) -> None:
    if block is not None and not block.end:
        block.end = at
    return None


MAX_RANGE = 30  # the longest count range a RAP sheet prints in one line


def _numbers(text: str, expected: int | None = None) -> tuple[int, ...]:
    """`01` -> (1,), `001-004` -> (1, 2, 3, 4), `0    1` (OCR spacing) -> (1,); a range
    whose first number a scan bent (`00R-005`) starts at the `expected` next count."""
    text = text.strip().lstrip("-").strip()
    bent = regex.fullmatch(r"(\S{1,3}?)[ \t]*-[ \t]*([0-9]{1,3})", text)
    if bent and expected and not bent.group(1).isdigit() and expected <= int(bent.group(2)) <= expected + MAX_RANGE:
        return tuple(range(expected, int(bent.group(2)) + 1))
    m = regex.fullmatch(r"([0-9][0-9 \t]*?)[ \t]*-[ \t]*([0-9]+)", text)
    if m:
        lo, hi = int(regex.sub(r"\s", "", m.group(1))), int(m.group(2))
        if 0 < lo <= hi <= lo + MAX_RANGE:
            return tuple(range(lo, hi + 1))
        # `02-65` is a scanned `02-05`: a range never runs that long; keep the last digit.
        last = hi % 10
        if 0 < lo <= last:
            return tuple(range(lo, last + 1))
        return (lo,) if lo > 0 else ()
    digits = regex.sub(r"\s", "", text)
    return (int(digits),) if digits.isdigit() and int(digits) > 0 else ()


def _plausible_numbers(numbers: tuple[int, ...], expected: int) -> tuple[tuple[int, ...], bool]:
    """Counts run 01, 02, ... within an event. A number a scan bent (`CNT:020`, `CNT:62`)
    is replaced by the next one in turn; a jump of one or two is kept (a `CNT:` line was
    lost). Returns the numbers and whether they were replaced."""
    if numbers and (numbers[0] == expected or (expected > 1 and expected < numbers[0] <= expected + 2)):
        return numbers, False
    return tuple(range(expected, expected + max(len(numbers), 1))), True


def _read_count_line(
    block: Block, line: Line, open_text: list[Span] | None, pending_date: Span | None
) -> tuple[list[Span] | None, Span | None]:
    """Read one line inside a count block; returns the new (open text, pending date)."""
    text = line.text
    if m := DATE_ONLY.match(text) or DATE_MARGIN.match(text):
        return None, _span(line, m, "date")
    if m := DATE_DISPO.match(text):  # `19850902 DISPO:NO LONGER INTERESTED` on one line
        pending_date = _span(line, m, "date")
        text_from = m.end()
        sub = Line(line.start + text_from, line.end, text[text_from:], line.page, line.top_of_page)
        return _read_count_line(block, sub, None, pending_date)
    if m := SENTENCE_LINE.match(text):
        value = _span(line, m, "value")
        if block.updates and open_text is block.updates[-1][1]:
            parts = open_text  # a new SEN: line belongs to the update above it
            parts.append(Span(text.strip(), line.start + len(text) - len(text.lstrip()), line.end))
            return parts, None
        if not block.sentence:
            block.sentence = [value]
            block.sentence_date = block.dispo_date if block.dispo is not None else block.event.date_span
            return block.sentence, None
        return None, None
    if m := CONV_STATUS.match(text):
        if block.severity is None:
            block.severity = _span(line, m, "value")
        return None, None
    if m := DISPO_LINE.match(text):
        value = _span(line, m, "value")
        if block.dispo is None and not block.updates:
            block.dispo = value
            block.dispo_date = pending_date or block.event.date_span
            return None, None
        block.updates.append((pending_date or (block.updates[-1][0] if block.updates else None), [value]))
        return block.updates[-1][1], None
    if m := COMMENT_LINE.match(text):
        sen = COMMENT_SENTENCE.match(m.group("value"))
        if sen and sen.group("sentence") and not block.sentence and not block.updates:
            start = line.start + m.start("value") + sen.start("sentence")
            block.sentence = [Span(sen.group("sentence"), start, start + len(sen.group("sentence")))]
            block.sentence_date = block.dispo_date if block.dispo is not None else block.event.date_span
            return None, None
        c = COMMENT_CHARGE.search(m.group("value"))
        if c and (block.charge is None or _unreadable(block.charge.text)):
            start = line.start + m.start("value") + c.start("charge")
            if block.charge is not None and block.charge_line is None:
                block.charge_line = block.charge
            block.charge = Span(c.group("charge"), start, start + len(c.group("charge")))
        return None, None
    if (m := CASE_LINE.match(text)) and block.charge is None and block.dispo is None:
        block.case = block.event.case = _span(line, m, "case")
        return None, pending_date
    if SKIPPED_IN_COUNT.match(text) or SENTENCING_LINE.match(text):
        return None, pending_date
    if block.charge is None and block.dispo is None and not block.sentence:
        if SEE_COMMENT.match(text):
            s = len(text) - len(text.lstrip())
            block.charge_line = Span(text.strip(), line.start + s, line.start + s + len(text.strip()))
            return None, None
        stripped = text.strip()
        s = line.start + len(text) - len(text.lstrip())
        block.charge = Span(stripped, s, s + len(stripped))  # cut to the charge itself in _read_charge
        return None, None
    if pending_date is not None and block.dispo is not None:
        # An update written without `DISPO:` (`19660119` / `  SEN MODIFIED`).
        s = line.start + len(text) - len(text.lstrip())
        block.updates.append((pending_date, [Span(text.strip(), s, line.end)]))
        return block.updates[-1][1], None
    if open_text is not None:
        s = line.start + len(text) - len(text.lstrip())
        open_text.append(Span(text.strip(), s, line.end))
        return open_text, pending_date
    return None, pending_date


def _read_charge(doc: DocText, span: Span) -> tuple[Charge | None, Span]:
    """The charge at the start of a charge line (`11357(B) HS` of `11357(B) HS-POSSESS
    MARIJUANA`) and its span; the whole line, unread, when no charge can be read.

    The page's own characters are read first: the normaliser's digit repairs are for OCR
    and can bend a glued subsection (`11357B` -> `113578`)."""
    source = doc.provenance(span.start, span.end).text
    for text in (source, span.text):
        try:
            charge, end = Charge.parse_prefix(text)
        except ChargeParseError:
            continue
        written = text[:end].rstrip()
        return charge, Span(written, span.start, span.start + len(written))
    repaired = _repair_charge(span.text)
    if repaired is not None:
        written = span.text[: repaired[1]].rstrip()
        lead = len(written) - len(written.lstrip("([{'\u2018|-_*~. "))
        return repaired[0], Span(written[lead:], span.start + lead, span.start + len(written))
    return None, span


def _repair_charge(text: str) -> tuple[Charge, int] | None:
    """A charge OCR bent past the normaliser's repairs (`273.5{A)} PC`, `459 BC-BURGLARY`):
    see `docmine.extract.ocr_charge`. Returns the charge and where it ends in `text`."""
    read = read_charge(text)
    return (read.charge, read.end) if read else None


_CHARGE_LINE = regex.compile(
    r"^[ \t]{0,6}[(\[{'\u2018-]?(?:664[/-]?)?[0-9]{2,6}(?:\.[0-9]{1,3})?[A-Z]?"
    r"(?:[ \t]?[({\[][A-Z0-9]{1,3}[)}\]])*[ \t]?(?:HS|PC|VC|BP|WI|H5|BS)[ \t]?-[A-Z]",
    _X,
)


def _looks_like_charge_line(text: str) -> bool:
    return bool(_CHARGE_LINE.match(text))


def _slot_line(text: str) -> bool:
    """A line the rules read as a count's slot (never a charge line, whatever the model says)."""
    return any(
        p.match(text)
        for p in (
            DATE_ONLY,
            DATE_DISPO,
            DISPO_LINE,
            SENTENCE_LINE,
            CONV_STATUS,
            COMMENT_LINE,
            SKIPPED_IN_COUNT,
            SEE_COMMENT,
            COUNT_LINE,
            EVENT_HEADER,
            DATE_AGENCY,
        )
    )


_LINE_LEAD = " \t_'*.,:;!|~-\u201c\u2018\""


def _line_charges(doc: DocText, entities: Sequence[Entity]) -> dict[int, Entity]:
    """The model's CHARGE spans that open a line and can be read as a charge, by line start."""
    return best_by_line(
        doc.text,
        entities,
        L.CHARGE,
        lambda before, value: not before.strip(_LINE_LEAD) and _parse_charge(value) is not None,
    )


def _unreadable(charge_text: str) -> bool:
    return _parse_charge(charge_text) is None


def _parse_charge(charge_text: str) -> Charge | None:
    charge = Charge.try_parse(charge_text)
    if charge is None:
        repaired = _repair_charge(charge_text)
        charge = repaired[0] if repaired else None
    return charge


# --- model fallback -----------------------------------------------------------------------


def _fill_from_entities(doc: DocText, block: Block, entities: Sequence[Entity]) -> None:
    """Where the rules could not read a block's charge, disposition, severity or sentence,
    take the entity model's span of that label inside the block (never a neighbour's), if
    its text reads as a value; the field's provenance confidence is then scaled by the
    entity's score (`from_model`)."""
    end = block.end or len(doc.text)
    inside = [e for e in entities if block.number.start <= e.start and e.end <= end]
    if not inside:
        return

    def best(label: str, readable) -> tuple[Entity, Span] | None:
        found = [e for e in inside if e.label == label and readable(doc.text[e.start : e.end])]
        e = max(found, key=lambda e: e.score, default=None)
        return (e, Span(doc.text[e.start : e.end], e.start, e.end)) if e is not None else None

    if block.charge is None or _unreadable(block.charge.text):
        if got := best(L.CHARGE, lambda t: _parse_charge(t) is not None):
            if block.charge is not None and block.charge_line is None:
                block.charge_line = block.charge
            block.charge = got[1]
            block.from_model["charge"] = got[0].score
    if block.dispo is None or disposition_kind(block.dispo.text) == DispositionKind.UNRECOGNIZED:
        first_update = block.updates[0][1][0].start if block.updates else end
        if got := best(L.DISPOSITION, lambda t: disposition_kind(t) != DispositionKind.UNRECOGNIZED):
            if got[1].end <= first_update:
                keep_date = block.dispo_date if block.dispo is not None else block.event.date_span
                block.dispo = got[1]
                block.dispo_date = keep_date
                block.from_model["disposition"] = got[0].score
    if block.dispo is not None and (block.severity is None or _severity(block.severity.text) == Severity.UNKNOWN):
        if got := best(L.SEVERITY, lambda t: _severity(t) != Severity.UNKNOWN):
            block.severity = got[1]
            block.from_model["severity"] = got[0].score
    if not block.sentence and block.dispo is not None:
        # A new SEN: under a later update belongs to the update, not to the sentence.
        first_update = block.updates[0][1][0].start if block.updates else end
        if (got := best(L.SENTENCE, lambda t: any(term.kind != TermKind.OTHER for term in sentence_terms(t)))) and got[
            1
        ].end <= first_update:
            block.sentence = [got[1]]
            block.sentence_date = block.dispo_date
            block.from_model["sentence"] = got[0].score


# --- records --------------------------------------------------------------------------------


def _severity(text: str) -> Severity:
    """`MISDEMEANOR` and what a scan makes of it (`NISDEMEANOR`); a code letter too."""
    exact = Severity.from_code(text)
    if exact != Severity.UNKNOWN:
        return exact
    m = SEVERITY_WORDS.fullmatch(text.strip())
    if m is None:
        return Severity.UNKNOWN
    return {"f": Severity.FELONY, "m": Severity.MISDEMEANOR, "i": Severity.INFRACTION}[m.lastgroup]


_SPECK_BEFORE_WORD = regex.compile(r"(?<=[ \t])[.,'`]+(?=[A-Z])", _X)


def _agency_name(text: str) -> str:
    """An agency as printed, without the specks a printout leaves before a word (`CAMC LOS .ANGELES METRO`)."""
    return " ".join(_SPECK_BEFORE_WORD.sub("", text).split())


def _trimmed(p: Provenance) -> Provenance:
    """A repair may have taken a blank beside the word into its edit (`DISPO: CO NVICTED`):
    keep provenance on the characters themselves."""
    lead = len(p.text) - len(p.text.lstrip())
    trail = len(p.text) - len(p.text.rstrip())
    if not lead and not trail or not p.text.strip():
        return p
    return replace(p, start=p.start + lead, end=p.end - trail, text=p.text.strip())


def _raw(doc: DocText, span: Span | None) -> str:
    """The page's own characters for a span (text fields keep what was written)."""
    return doc.provenance(span.start, span.end).text.strip() if span is not None else ""


def _collapse(doc: DocText | None, parts: list[Span]) -> str:
    """Parts of a value over several lines, blanks collapsed (the page's characters when
    `doc` is given, the normalised ones otherwise)."""
    texts = (_raw(doc, p) if doc is not None else p.text for p in parts)
    return " ".join(" ".join(t.split()) for t in texts if t.strip())


def _build(doc: DocText, block: Block, person: Person, person_prov: dict[str, Provenance]) -> list[Count]:
    event = block.event
    prov: dict[str, Provenance] = dict(person_prov)

    def put(key: str, span: Span | None) -> None:
        if span is not None:
            p = _trimmed(doc.provenance(span.start, span.end))
            if key in block.from_model:  # read through the model: trust it no more than the model
                p = replace(p, confidence=round(p.confidence * block.from_model[key], 4))
            prov[key] = p

    put("count", block.number)
    put("event_date", event.date_span)
    put("case_number", block.case)
    charge, charge_span = _read_charge(doc, block.charge) if block.charge else (None, None)
    put("charge", charge_span)
    put("arrest_date", event.arrest_span)
    put("county", event.county_span)
    court = None
    if event.kind == EventType.COURT and event.agency is not None:
        court = _agency_name(event.agency.text)
        put("court", event.agency)
    charge_text = _raw(doc, charge_span or block.charge_line)
    severity = Severity.UNKNOWN
    if block.severity is not None:
        severity = _severity(block.severity.text)
        if severity != Severity.UNKNOWN:
            put("severity", block.severity)
    disposition, dispo_text, dispo_date = DispositionKind.PENDING, "", None
    if block.dispo is not None:
        dispo_text = _raw(doc, block.dispo)
        disposition = disposition_kind(block.dispo.text)
        put("disposition", block.dispo)
        if block.dispo_date is not None:
            dispo_date = parse_date(block.dispo_date.text)
            put("disposition_date", block.dispo_date)
    sentence = None
    if block.sentence:
        text = _collapse(doc, block.sentence)
        when = parse_date(block.sentence_date.text) if block.sentence_date else None
        sentence = Sentence(text=text, terms=sentence_terms(_collapse(None, block.sentence)), date=when)
        put("sentence", Span(text, block.sentence[0].start, block.sentence[-1].end))
        put("sentence.date", block.sentence_date)
    updates: list[Update] = []
    for i, (when_span, parts) in enumerate(block.updates):
        text = _collapse(doc, parts)
        kind = update_kind(_collapse(None, parts))
        updates.append(Update(parse_date(when_span.text) if when_span else None, kind, text))
        put(f"updates.{i}", Span(text, parts[0].start, parts[-1].end))
        put(f"updates.{i}.date", when_span)
    confidence = _confidence(prov, charge, disposition, block, person)
    counts = []
    for k, number in enumerate(block.numbers):
        ordinal = block.first_ordinal + k
        count = Count(
            count_id=count_id(doc.sha256, event.ordinal, ordinal), document=doc.name, doc_type=DocType.RAP_SHEET,
            page=block.page_start, person=person, cycle=str(event.cycle), event_type=event.kind, count=number,
            charge=charge, charge_text=charge_text, event_date=event.date, arrest_date=event.arrest_date,
            court=court, county=event.county, case_number=block.case.text if block.case else None,
            attempted=charge.attempted if charge else False, severity=severity, disposition=disposition,
            disposition_text=dispo_text, disposition_date=dispo_date, updates=tuple(updates), sentence=sentence,
            confidence=confidence, provenance=dict(prov),
        )  # fmt: skip
        counts.append(count)
    return counts


def _confidence(
    prov: dict[str, Provenance], charge: Charge | None, disposition: DispositionKind, block: Block, person: Person
) -> float:
    """A first, uncalibrated confidence: the lowest OCR confidence of the words the count
    rests on, lowered for every check it fails (a slot unread, a count inferred, a date
    that cannot be right). The lead's calibration maps it to a probability."""
    keys = ("count", "charge", "disposition", "disposition_date", "event_date", "case_number", "severity")
    score = min((prov[k].confidence for k in keys if k in prov), default=1.0)
    event = block.event
    if charge is None:
        score *= 0.3
    if block.doubtful:
        score *= 0.5
    if event.date is None:
        score *= 0.5
    elif not _plausible_date(event.date, person):
        score *= 0.4
    if block.dispo is None and event.kind == EventType.COURT:
        score *= 0.5
    if disposition == DispositionKind.UNRECOGNIZED and event.kind in (EventType.COURT, EventType.ARREST):
        score *= 0.6
    if block.dispo_date is not None and event.date is not None:
        when = parse_date(block.dispo_date.text)
        if when is None or when < event.date or not _plausible_date(when, person):
            score *= 0.5
    if event.kind == EventType.COURT and block.case is None:
        score *= 0.8
    return round(score, 4)


def _plausible_date(when: date, person: Person) -> bool:
    """Record dates fall after the subject's tenth birthday and not in the future."""
    if when > date.today():
        return False
    born = min(person.dobs) if person.dobs else None
    return born is None or when.year >= born.year + 10
