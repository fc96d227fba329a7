"""California court dockets: case header, count listing and dated entries become counts.

A docket is one court case, so one event: every count gets `count_id(sha, 1, ordinal)`,
cycle "1", event type `court`. The parser reads what any county's docket prints, in
whatever arrangement:

* the case header: court (and the county named in it), case number, filing date,
  defendant, DOB, AKA, CII, sex, race, arrest and offense dates;
* the count listing, as a table (`1    HS 11379(A)   TRANSPORT ...   F   CONVICTED  06/29/2011`)
  or as a charge list (`CT 01: H&S 11530 - POSSESS MARIJUANA (F)`);
* dated entries (a date at the start of a line, the text indented under or beside it):
  pleas and findings, sentences, later updates, each attached to the count(s) the entry
  names (`AS TO COUNT 01`, `COUNTS 1 AND 3`, `ALL COUNTS`, `REMAINING COUNTS`).

Page furniture (`PRINTED:`, `PAGE n OF m`, the `CASE NO:` line repeated on later pages) is
skipped, so an entry broken by a page break reads as one. An outcome the tables do not
know becomes UNRECOGNIZED with its text; nothing here raises on bad input.

Entities from a trained model (`docmine.labels`) are used only as a fallback, in
`_model_fallback`, for an entry that names a count where the rules read nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Sequence

import regex

from docmine import labels as L
from docmine.charges import Charge, ChargeParseError
from docmine.confusions import DIGIT_FOR_LETTER, digitish, translation
from docmine.contract import count_id
from docmine.extract import dispositions as D
from docmine.extract import docket_values as V
from docmine.extract.ocr_charge import read_charge
from docmine.doctext import DATE_PATTERN, DocText, Entity, best_by_line, date_from_match
from docmine.records import Count, DispositionKind, DocType, EventType, Person, Provenance, Sentence, SentenceTerm
from docmine.records import Severity, Update, UpdateKind

Span = tuple[int, int]  # offsets in DocText.text

# --- dates ---------------------------------------------------------------------------------

_D = digitish(DIGIT_FOR_LETTER)  # a digit, or a letter OCR reads for one (dates hold digits only)
# Dates as dockets print them, loosely enough to catch OCR damage (`1S-JUL-1968`, `ocT 31, 2008`).
LOOSE_DATE = regex.compile(
    rf"(?<![0-9A-Za-z])(?:{_D}{{1,2}}\s?[/\-{{}}(\\]\s?{_D}{{1,2}}\s?[/\-{{}}(\\]\s?{_D}{{2,4}}"
    rf"|{_D}{{1,2}}-[A-Za-z]{{3,4}}-{_D}{{2,4}}"
    rf"|[A-Za-z]{{3,5}}\.?\s{{1,2}}{_D}{{1,2}},?\s{{1,2}}{_D}{{4}})(?![0-9A-Za-z])"
)
_TO_DIGIT = translation(DIGIT_FOR_LETTER)
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2030, 12, 31)


def read_date(text: str) -> dt.date | None:
    """A date as printed, repairing OCR letters in its digit positions; None if implausible."""
    text = text.strip()
    match = DATE_PATTERN.fullmatch(text)
    if match is None:
        # Only the numeric parts are repaired; a month word keeps its letters.
        repaired = regex.sub(
            rf"{_D}+(?=[^A-Za-z]|$)|(?<=[^A-Za-z]|^){_D}+",
            lambda m: (
                m.group(0).translate(_TO_DIGIT)
                if any(c.isdigit() for c in m.group(0)) or len(m.group(0)) > 1
                else m.group(0)
            ),
            text,
        )
        repaired = regex.sub(r"\s*[/{}(\\]\s*", "/", repaired)
        repaired = regex.sub(r"\s*-\s*", "-", repaired)
        match = DATE_PATTERN.fullmatch(repaired)
        if match is None:
            return None
    when = date_from_match(match)
    return when if when is not None and EARLIEST <= when <= LATEST else None


# --- page furniture and lines --------------------------------------------------------------

_PAGE_OF = regex.compile(r"P\s?A\s?G\s?E\s*[0-9Il]{1,3}\s*O\s?F\s*[0-9Il]{1,3}", regex.IGNORECASE)
_PRINTED = regex.compile(r"^\s*PRINTED\s*:", regex.IGNORECASE)
_CASE_LABEL = r"CASE\s*(?:NO\.?|NUMBER|#|N0\.?)\s*[:.]?"
_CASE_LINE = regex.compile(rf"^\s*{_CASE_LABEL}", regex.IGNORECASE)
_END = regex.compile(
    r"^[\W_]*END\s+OF\s+(?:DOCKET|REPORT|RECORD)[\W_]*$|^\s*[*\-=\u2014\u2013~_]{1,}\s*END\s*[*\-=\u2014\u2013~_]{1,}\s*$",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    page: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def _content_lines(doc: DocText) -> list[_Line]:
    """Every line that is not page furniture (the header line repeated on later pages, the
    `PRINTED:` line, `PAGE n OF m`)."""
    lines: list[_Line] = []
    seen_case_line = False
    for start, end in doc.lines():
        text = doc.text[start:end]
        if _END.match(text):
            break  # after the end marker come only stamps and blank space
        page_of = _PAGE_OF.search(text)
        if page_of and (
            _PRINTED.match(text)
            or _CASE_LINE.match(text)
            or not regex.search(r"[A-Z]{3}", text[: page_of.start()] + text[page_of.end() :], regex.IGNORECASE)
        ):
            continue
        if _PRINTED.match(text):
            continue
        if _CASE_LINE.match(text):
            if seen_case_line:
                continue  # the case number repeated at the top of a later page
            seen_case_line = True
        lines.append(_Line(start, end, text, doc.page_number(start)))
    return lines


# --- header --------------------------------------------------------------------------------

_COURT = regex.compile(r"\bCOURT\b|(?:SUPERIOR\s+COURT){e<=2}|(?:MUNICIPAL\s+COURT){e<=2}", regex.IGNORECASE)
_COUNTY_IN_COURT = regex.compile(
    r"COUNTY\s+OF\s+(?P<c>[A-Z][A-Z ]*?[A-Z])(?=\s*(?:,|$|\s{2}|-))"
    r"|^\s*(?P<c>[A-Z][A-Z ]*?[A-Z])\s+COUNTY\s+(?:SUPERIOR|MUNICIPAL|JUSTICE)\s+COURT",
    regex.IGNORECASE,
)
_CASE_NUMBER = regex.compile(rf"^\s*{_CASE_LABEL}\s*(?P<v>[A-Z0-9][A-Z0-9\-]*[A-Z0-9]|[A-Z0-9])", regex.IGNORECASE)
_FILED = regex.compile(r"(?:DATE\s+FILED|FILING\s+DATE|FILED(?:\s+ON)?)\s*[:.]\s*", regex.IGNORECASE)
_DEFENDANT = regex.compile(
    r"^\s*(?:DEFENDANT(?:\s+(?:NAME|0?1|NO\.?\s*1))?|DEF|NAME)\s*[:.;]\s*(?P<v>\S.*?)(?=\s+D[O0C]B\s*[:.]|\s{2,}|\s*$)",
    regex.IGNORECASE,
)
_DOB = regex.compile(r"\b(?:[DB][O0CQ][B8S]|DATE\s+OF\s+BIRTH|BIRTH\s*DATE)\s*[:.;]\s*", regex.IGNORECASE)
_AKA = regex.compile(r"^\s*(?:AKA|A\.K\.A\.|ALIAS)\s*[:.]\s*(?P<v>\S.*?)\s*$", regex.IGNORECASE)
_CII = regex.compile(r"\bC[I1l|]{2}\b[^:\n]{0,8}[:.;]\s*(?P<v>[A-Z0-9]{6,10})\b", regex.IGNORECASE)
_SEX = regex.compile(r"\bSEX\s*[:.]\s*(?P<v>[MFX])\b", regex.IGNORECASE)
_RACE = regex.compile(r"\bRACE\s*[:.]\s*(?P<v>[A-Z][A-Z /\-]*?)\s*(?=$|\s{2})", regex.IGNORECASE)
_ARREST = regex.compile(r"\bARREST(?:ED)?\s+DATE\s*[:.]\s*", regex.IGNORECASE)
_OFFENSE = regex.compile(
    r"\b(?:OFFENSE\s+DATE|VIOLATION\s+DATE|DATE\s+OF\s+(?:OFFENSE|VIOLATION))\s*[:.]\s*", regex.IGNORECASE
)


@dataclass
class _Header:
    court: tuple[str, Span] | None = None
    county: tuple[str, Span | None] | None = None
    case_number: tuple[str, Span] | None = None
    filed: tuple[dt.date, Span] | None = None
    name: tuple[str, Span] | None = None
    dob: tuple[dt.date, Span] | None = None
    aliases: list[str] = field(default_factory=list)
    cii: tuple[str, Span] | None = None
    sex: str | None = None
    race: str | None = None
    arrest: tuple[dt.date, Span] | None = None
    offense: tuple[dt.date, Span] | None = None


def _date_after(label: regex.Pattern, line: _Line) -> tuple[dt.date, Span] | None:
    found = label.search(line.text)
    if not found:
        return None
    match = LOOSE_DATE.match(line.text, found.end())
    if not match:
        return None
    when = read_date(match.group(0))
    return (when, (line.start + match.start(), line.start + match.end())) if when else None


def _strip_span(line: _Line, start: int, end: int) -> Span:
    """(start, end) of line.text[start:end] without surrounding blanks, in doc offsets."""
    piece = line.text[start:end]
    lead = len(piece) - len(piece.lstrip())
    return line.start + start + lead, line.start + start + len(piece.rstrip())


def _read_header(lines: Sequence[_Line]) -> _Header:
    head = _Header()
    for line in lines:
        text = line.text
        if head.court is None and _COURT.search(text) and not _CASE_LINE.match(text):
            end = _clean_end(text)
            span = _strip_span(line, 0, end)
            head.court = (" ".join(text[:end].split()), span)
            county = _COUNTY_IN_COURT.search(text)
            if county:
                name = V.county_name(county.group("c"))
                if name:
                    head.county = (name, (line.start + county.start("c"), line.start + county.end("c")))
            continue
        if head.case_number is None and (m := _CASE_NUMBER.match(text)):
            head.case_number = (m.group("v"), (line.start + m.start("v"), line.start + m.end("v")))
        if head.filed is None:
            head.filed = _date_after(_FILED, line)
        if head.name is None and (m := _DEFENDANT.match(text)):
            head.name = (m.group("v"), (line.start + m.start("v"), line.start + m.end("v")))
        if head.dob is None:
            head.dob = _date_after(_DOB, line)
        if m := _AKA.match(text):
            head.aliases.append(" ".join(m.group("v").split()))
        if head.cii is None and (m := _CII.search(text)):
            head.cii = (m.group("v").upper(), (line.start + m.start("v"), line.start + m.end("v")))
        if head.sex is None and (m := _SEX.search(text)):
            head.sex = m.group("v").upper()
        if head.race is None and (m := _RACE.search(text)):
            head.race = m.group("v")
        if head.arrest is None:
            head.arrest = _date_after(_ARREST, line)
        if head.offense is None:
            head.offense = _date_after(_OFFENSE, line)
    if head.county is None and head.court is not None:
        # The county printed without "COUNTY OF": any county name inside the court line.
        for county in V.COUNTIES:
            at = head.court[0].upper().find(county)
            if at >= 0:
                head.county = (county, None)
                break
    return head


# --- count listing -------------------------------------------------------------------------

# "COURT 01:" too: OCR (and a fuzzy keyword repair) can turn a line-leading COUNT into COURT.
# `CHT`, `CwT`, `Cyt`: a scan's misreads of CNT, accepted only as a listing line's lead word.
_COUNT_WORD = r"(?:C[O0]U[NR]T|CNT|CT|CHG|CHARGE|C[A-Za-z]{1,2}[Tt])"
_LISTING_LINE = regex.compile(
    rf"^(?P<lead>\s{{0,8}}(?:{_COUNT_WORD}\.?\s*(?:NO\.?\s*)?)?)(?P<no>[0-9OIl]{{1,3}})(?![0-9/\-])\s*[:.)]?"
    r"[\s\u00b0\u00ba\"\u201c\u201d'\u2018\u2019*#|_,;]*?\s[\s\u00b0\u00ba\"\u201c\u201d'\u2018\u2019*#|_,;~-]*(?P<rest>[A-Z0-9].*)$",
    regex.IGNORECASE,
)
_TABLE_HEAD = regex.compile(r"(?<![A-Z])(?:DESCRIPTION){e<=2}(?![A-Z])", regex.IGNORECASE | regex.BESTMATCH)
_HEAD_CHARGE = regex.compile(r"\b(?:CHARGE|STATUTE|CODE/SECTION|CODE|SECTION|VIOLATION|OFFENSE)\b", regex.IGNORECASE)
_HEAD_LEVEL = regex.compile(r"(?<![A-Z/])(?:LVL|LEVEL|TYPE|F/M|CLASS|SEV(?:ERITY)?|DEG)(?![A-Z/])", regex.IGNORECASE)
_HEAD_DISPO = regex.compile(
    r"(?<![A-Z])(?:(?:DISPOSITION){e<=2}|(?:FINDING){e<=1}|(?:DISPO){e<=1}|RESULT)(?![A-Z])(?! ?DATE)",
    regex.IGNORECASE | regex.BESTMATCH,
)
_HEAD_PLEA = regex.compile(r"\bPLEA\b", regex.IGNORECASE)
_RULE = regex.compile(r"^\s*-{3,}[\s-]*$")
_TRAILING_LEVEL = regex.compile(r"(?<=\S\s{2,})(?:FELONY|MISDEMEANOR|INFRACTION|MISD|FEL|INF|F|M|I)(?=\W{0,2}$)")
_FIELD_END = regex.compile(r"\s{2,}|$")
_PLEA_WORD = regex.compile(
    r"(?<![A-Z])(?:NOT\s+GUILTY|GUILTY|NOLO(?:\s+CONTENDERE)?|NO\s+CONTEST)(?![A-Z-])", regex.IGNORECASE
)


@dataclass(frozen=True)
class _Columns:
    level: int | None
    plea: int | None
    dispo: int | None


def _columns(line: _Line) -> _Columns:
    def at(pattern: regex.Pattern) -> int | None:
        m = pattern.search(line.text)
        return m.start() if m else None

    return _Columns(at(_HEAD_LEVEL), at(_HEAD_PLEA), at(_HEAD_DISPO))


@dataclass
class _Listed:
    """One count as the listing prints it, and what the entries later say about it."""

    number: int
    number_span: Span
    page: int
    charge: Charge | None
    charge_span: Span
    severity: Severity = Severity.UNKNOWN
    severity_span: Span | None = None
    disposition: DispositionKind = DispositionKind.PENDING
    disposition_span: Span | None = None
    disposition_date: tuple[dt.date, Span] | None = None
    sentence: tuple[str, tuple[SentenceTerm, ...], Span] | None = None
    sentence_date: tuple[dt.date, Span] | None = None
    updates: list[tuple[UpdateKind, str, Span, dt.date | None, Span | None]] = field(default_factory=list)
    weak: bool = False  # read through a fallback (fuzzy or model): lower confidence
    from_model: dict[str, float] = field(
        default_factory=dict
    )  # provenance key -> entity score, where the model read it


def _number(text: str) -> int | None:
    digits = text.translate(_TO_DIGIT)
    return int(digits) if digits.isdigit() else None


def _parse_charge(text: str) -> tuple[Charge | None, int]:
    """The charge at the start of `text` and its length; read through OCR damage by the
    same reader as RAP sheets' (`docmine.extract.ocr_charge`)."""
    try:
        charge, end = Charge.parse_prefix(text)
        return charge, len(text[:end].rstrip())
    except ChargeParseError:
        pass
    cell = text[: _FIELD_END.search(text).start()]
    read = read_charge(cell)
    if read is not None:
        return read.charge, len(cell[: read.end].rstrip())
    return None, len(cell)


def _read_listing(
    lines: Sequence[_Line], doc: DocText, line_charges: dict[int, Entity] | None = None
) -> tuple[list[_Listed], int]:
    """The counts listed before the first dated entry; returns them and the index of the
    first line after the listing. `line_charges` (the model's readable CHARGE span near the
    start of a line, by line start) recover a listing line whose count word a scan bent
    past the rules (`Cnr 2: H&S 11357 - ...`, `ONT 02) H&S 11540 ...`)."""
    line_charges = line_charges or {}
    listed: list[_Listed] = []
    columns: _Columns | None = None
    in_table = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _entry_head(line) is not None:
            break
        text = line.text
        if _TABLE_HEAD.search(text) and _HEAD_CHARGE.search(text):
            columns, in_table = _columns(line), True
            i += 1
            continue
        if line.blank:
            in_table = False if listed and in_table else in_table
            i += 1
            continue
        if _RULE.match(text):
            i += 1
            continue
        m = _LISTING_LINE.match(text)
        number = _number(m.group("no")) if m else None
        if m and number is not None:
            rest_at = m.start("rest")
            charge, length = _parse_charge(m.group("rest"))
            worded = bool(m.group("lead").strip())
            if charge is not None or (in_table and columns is not None) or (worded and ":" in text[:rest_at]):
                # A charge list may wrap: the indented lines that follow belong to it.
                tail = [line]
                while (
                    i + 1 < len(lines)
                    and not lines[i + 1].blank
                    and lines[i + 1].indent >= 2
                    and not _LISTING_LINE.match(lines[i + 1].text)
                    and _entry_head(lines[i + 1]) is None
                    and not in_table
                ):
                    i += 1
                    tail.append(lines[i])
                item = _Listed(
                    number,
                    (line.start + m.start("no"), line.start + m.end("no")),
                    line.page,
                    charge,
                    (line.start + rest_at, line.start + rest_at + length),
                )
                _read_row(item, tail, rest_at + length, columns if in_table else None)
                listed.append(item)
        elif listed and line.start in line_charges:
            item = _listed_from_model(line, line_charges[line.start], listed[-1].number, columns if in_table else None)
            if item is not None:
                listed.append(item)
        i += 1
    _repair_numbers(listed)
    return listed, i


_LOST_LEAD = regex.compile(r"\s{0,8}[^\s0-9]{0,4}\.?\s*(?P<no>[0-9OIl]{1,3})?\s*[:.);,]?[\s\W_]{0,4}")


def _listed_from_model(line: _Line, entity: Entity, last: int, columns: _Columns | None) -> _Listed | None:
    """A listing line the rules could not read as one, from the model's CHARGE span at its
    start: the number is the one printed before it when that is the next in turn (or absent),
    the rest of the row is read as usual. None when the line is not laid out as a count."""
    at = entity.start - line.start
    lead = _LOST_LEAD.fullmatch(line.text[:at])
    if lead is None:
        return None
    printed = _number(lead.group("no")) if lead.group("no") else None
    if printed is not None and printed != last + 1:
        return None
    charge, length = _parse_charge(line.text[at:])
    if charge is None:
        return None
    number_span = (
        (line.start + lead.start("no"), line.start + lead.end("no"))
        if lead.group("no")
        else (entity.start, entity.start)
    )
    item = _Listed(last + 1, number_span, line.page, charge, (entity.start, entity.start + length), weak=True)
    item.from_model["charge"] = entity.score
    if printed is None:
        item.from_model["count"] = entity.score
    _read_row(item, [line], at + length, columns)
    return item


def _line_charges(doc: DocText, entities: Sequence[Entity]) -> dict[int, Entity]:
    """The model's CHARGE spans that can be read as a charge and stand near a line's start."""
    return best_by_line(
        doc.text, entities, L.CHARGE, lambda before, value: len(before) <= 16 and _parse_charge(value)[0] is not None
    )


def _repair_numbers(listed: list[_Listed]) -> None:
    """`902` between counts 1 and 3 was `002`: a number one misread character away from the
    next in sequence, where the sequence is otherwise unbroken, is read as that number."""
    for k, item in enumerate(listed):
        expected = listed[k - 1].number + 1 if k else 1
        if item.number == expected:
            continue
        after_ok = k + 1 < len(listed) and listed[k + 1].number == expected + 1
        printed = str(item.number)
        want = str(expected).rjust(len(printed), "0")
        if (
            after_ok
            and len(want) == len(printed)
            and sum(a != b for a, b in zip(printed, want)) == 1
            and item.number > expected
        ):
            item.number = expected
            item.weak = True


def _read_row(item: _Listed, tail: list[_Line], after: int, columns: _Columns | None) -> None:
    """Severity, and in a table with outcomes the disposition and its date, from the text
    after the charge."""
    first = tail[0]
    text = first.text
    # A trailing date is the disposition date of a table row.
    date_match = None
    for m in LOOSE_DATE.finditer(text, after):
        date_match = m
    stop = date_match.start() if date_match else len(text)
    dispo_match = None
    low = after
    if columns is not None and columns.dispo is not None:
        low = max(after, columns.dispo - 3)
    elif columns is not None and columns.level is not None:
        low = max(after, columns.level + 1)
    for m in D.TABLE_DISPOSITION.finditer(text, low, stop):
        dispo_match = m
    # A plea column holds GUILTY / NOT GUILTY too: the outcome is the last phrase matched.
    # Severity: the level column, or a level token after the description.
    level_end = dispo_match.start() if dispo_match else stop
    if columns is not None and columns.plea is not None:
        plea = _PLEA_WORD.search(text, max(after, columns.plea - 3), level_end)
        if plea is not None and (dispo_match is None or plea.start() < dispo_match.start()):
            level_end = min(level_end, plea.start())
    sev = None
    if columns is not None and columns.level is not None:
        for m in V.SEVERITY_TOKEN.finditer(text, max(after, columns.level - 3), min(level_end, columns.level + 8)):
            sev = m
            break
    if sev is None:
        prose = None
        joined_end = len(text)
        for m in V.SEVERITY_PROSE.finditer(text, after, joined_end):
            prose = m
        for extra in tail[1:]:
            for m in V.SEVERITY_PROSE.finditer(extra.text):
                prose = (m, extra)
        if prose is None and columns is None:
            for where in tail:
                for m in V.SEVERITY_FUZZY.finditer(where.text, after if where is first else 0):
                    prose = (m, where)
            if prose is not None:
                m, where = prose
                item.severity = V.fuzzy_severity(m.group("sev"))
                item.severity_span = (where.start + m.start("sev"), where.start + m.end("sev"))
                item.weak = True
                prose = None
        if prose is not None:
            m, where = prose if isinstance(prose, tuple) else (prose, first)
            item.severity = V.severity_of(m.group("sev"))
            item.severity_span = (where.start + m.start("sev"), where.start + m.end("sev"))
        elif columns is not None:
            for m in V.SEVERITY_TOKEN.finditer(text, after, level_end):
                sev = m  # the last level token before the outcome
        else:
            # A table whose heading line was lost: a level word standing last, after a gap.
            m = _TRAILING_LEVEL.search(text, after)
            if m is not None:
                sev = m
    if sev is not None:
        item.severity = V.severity_of(sev.group(0))
        item.severity_span = (first.start + sev.start(), first.start + sev.end())
    if columns is None or (columns.dispo is None and dispo_match is None):
        return
    if dispo_match is not None:
        kind = D.docket_disposition(dispo_match, D.TABLE_DISPOSITIONS)
        if kind == DispositionKind.PENDING:
            return
        item.disposition = kind
        item.disposition_span = (first.start + dispo_match.start(), first.start + dispo_match.end())
    else:
        cell_start = columns.dispo
        cell = text[cell_start:stop] if cell_start < stop else ""
        if not cell.strip():
            return
        item.disposition = DispositionKind.UNRECOGNIZED
        item.disposition_span = _strip_span(first, cell_start, stop)
        for kind, pattern in D.FUZZY_TABLE_DISPOSITIONS:
            if pattern.search(cell.strip()):
                item.disposition, item.weak = kind, True  # the cell's text is kept as read
                break
    if date_match is not None:
        when = read_date(date_match.group(0))
        if when is not None:
            item.disposition_date = (when, (first.start + date_match.start(), first.start + date_match.end()))


# --- dated entries -------------------------------------------------------------------------

_ENTRY_HEAD = regex.compile(r"^\s{0,3}(?P<date>" + LOOSE_DATE.pattern + r")(?=\s|$)")
_DEPT = regex.compile(r"^\s*DEPT\.?\s*\d*\s*", regex.IGNORECASE)


# An entry's date a scan bent past LOOSE_DATE (`07. 31/2909`, `07,24/2009`): three digit
# groups at the margin. Its date is read where it can be, else the entry has none.
_BENT_ENTRY_HEAD = regex.compile(
    r"^\s{0,3}(?P<date>[0-9OIl]{1,2}[\s.,\u00b0/\-]{1,2}[0-9OIl]{1,2}[\s.,\u00b0/\-]{1,2}"
    r"(?:19|20|29|28)[0-9OIlSB]{2})(?=\s|$)"
)


def _entry_head(line: _Line) -> tuple[dt.date | None, int, int] | None:
    m = _ENTRY_HEAD.match(line.text) or _BENT_ENTRY_HEAD.match(line.text)
    if not m:
        return None
    date_text = m.group("date")
    when = read_date(date_text)
    if when is None and m.re is _BENT_ENTRY_HEAD:
        when = read_date(regex.sub(r"[\s.,\u00b0/\-]+", "/", date_text))
    return when, m.start("date"), m.end("date")


@dataclass
class _Joined:
    """An entry's text with its lines joined by single spaces, mapped back to doc offsets."""

    text: str
    where: list[int]  # doc offset of each character

    def span(self, start: int, end: int) -> Span:
        if end <= start:
            return self.where[start] if start < len(self.where) else self.where[-1], self.where[start - 1] + 1
        return self.where[start], self.where[end - 1] + 1


_JUNK_TAIL = regex.compile(r"(?<=\S)\s{3,}(?=[^A-Za-z0-9]*$|[^A-Za-z]*[A-Za-z]?[^A-Za-z]*$)")


def _clean_end(text: str) -> int:
    """Where a line's content ends: OCR specks from stamps and scan noise after a wide gap
    (`TERMINATED   1\\- * '`) are not part of it."""
    body_end = len(text.rstrip())
    m = _JUNK_TAIL.search(text, 0, body_end)
    end = m.start() if m else body_end
    while end > 0 and text[end - 1] in " |_~'`\u2018\u2019*":
        end -= 1
    return end


def _join(pieces: list[tuple[int, str]]) -> _Joined:
    parts: list[str] = []
    where: list[int] = []
    for offset, piece in pieces:
        piece = piece[: _clean_end(piece)]
        lead = len(piece) - len(piece.lstrip())
        if not regex.search(r"[A-Z]{2}|\$\d|\d[A-Z]|\d{2}", piece, regex.IGNORECASE) and (
            lead > 16 or not regex.search(r"[A-Z0-9]", piece, regex.IGNORECASE)
        ):
            continue  # a line of specks (a wrapped `4.` at the body's indent is kept)
        body = piece.strip()
        if not body:
            continue
        if parts:
            parts.append(" ")
            where.append(where[-1] + 1)
        parts.append(body)
        where.extend(range(offset + lead, offset + lead + len(body)))
    return _Joined("".join(parts), where)


@dataclass
class _Entry:
    date: dt.date | None
    date_span: Span
    body: _Joined


def _read_entries(lines: Sequence[_Line], first: int) -> list[_Entry]:
    entries: list[_Entry] = []
    current: tuple[dt.date | None, Span, list[tuple[int, str]]] | None = None

    def close() -> None:
        if current is not None:
            entries.append(_Entry(current[0], current[1], _join(current[2])))

    for line in lines[first:]:
        head = _entry_head(line)
        if head is not None:
            close()
            when, a, b = head
            rest = line.text[b:]
            dept = _DEPT.match(rest)
            skip = b + (dept.end() if dept else 0)
            current = (when, (line.start + a, line.start + b), [(line.start + skip, line.text[skip:])])
            continue
        if line.blank:
            continue
        if line.indent == 0 or _END.match(line.text):
            close()  # a section title ends the entry
            current = None
            continue
        if current is not None:
            current[2].append((line.start, line.text))
    close()
    return entries


# A reference to counts: `COUNT 1`, `COUNTS 1 AND 3`, `CTS 1-3`, `ALL COUNTS`, `REMAINING COUNTS`.
_NUM = r"[0-9OIl]{1,3}"
_COUNT_REF = regex.compile(
    rf"(?P<all>\bALL\s+(?:COUNTS|CHARGES)\b)"
    rf"|(?P<rem>\b(?:ALL\s+)?REMAINING\s+(?:COUNTS|CHARGES)\b)"
    rf"|(?:\b|(?<=AS\s?TO))(?:C[O0]U[NR]TS?|CTS?|CNTS?)\.?\s*(?:NOS?\.?\s*)?(?P<nums>{_NUM}(?![0-9/])"
    rf"(?:\s*(?:,\s*(?:AND\s+)?|AND|&|-|THROUGH|THRU|TO)\s*{_NUM}(?![0-9/]))*)",
    regex.IGNORECASE,
)
_CLAUSE_END = regex.compile(r"\.(?=\s+[A-Z(]|\s*$)|;")
_LINK_BEFORE_REF = regex.compile(r"^\s*,?\s*(?:AS\s+TO|OF|ON|FOR|IN|TO)\s*$", regex.IGNORECASE)
_SENTENCED_TO = regex.compile(r"\bSENTENCED\s+TO\s+", regex.IGNORECASE)


@dataclass(frozen=True)
class _Ref:
    start: int
    end: int
    numbers: tuple[int, ...] | None  # None: ALL / REMAINING
    remaining: bool = False


def _refs(text: str, start: int, end: int) -> list[_Ref]:
    out = []
    for m in _COUNT_REF.finditer(text, start, end):
        if m.group("all"):
            out.append(_Ref(m.start(), m.end(), None))
        elif m.group("rem"):
            out.append(_Ref(m.start(), m.end(), None, remaining=True))
        else:
            numbers: list[int] = []
            parts = regex.split(
                r"(\s*(?:-|THROUGH|THRU|TO)\s*)|\s*(?:,\s*(?:AND\s+)?|AND|&)\s*",
                m.group("nums"),
                flags=regex.IGNORECASE,
            )
            previous_range = False
            for part in parts:
                if part is None or not part.strip():
                    continue
                if regex.fullmatch(r"\s*(?:-|THROUGH|THRU|TO)\s*", part, regex.IGNORECASE):
                    previous_range = True
                    continue
                n = _number(part.strip())
                if n is None:
                    continue
                if previous_range and numbers and n > numbers[-1] and n - numbers[-1] < 100:
                    numbers.extend(range(numbers[-1] + 1, n + 1))
                else:
                    numbers.append(n)
                previous_range = False
            out.append(_Ref(m.start(), m.end(), tuple(numbers)))
    return out


class _Builder:
    """Applies entries to listed counts in date order."""

    def __init__(self, listed: list[_Listed]):
        self.listed = listed
        self.by_number: dict[int, list[_Listed]] = {}
        for item in listed:
            self.by_number.setdefault(item.number, []).append(item)

    def targets(self, ref: _Ref) -> list[_Listed]:
        if ref.numbers is None:
            if ref.remaining:
                return [c for c in self.listed if c.disposition == DispositionKind.PENDING]
            return list(self.listed)
        out: list[_Listed] = []
        for n in ref.numbers:
            out.extend(self.by_number.get(n, ()))
        return out

    def entry(self, entry: _Entry, entities: Sequence[Entity]) -> None:
        text = entry.body.text
        bounds = [0, *(m.end() for m in _CLAUSE_END.finditer(text)), len(text)]
        open_update: tuple[list[_Listed], int, int] | None = None  # counts, update index, start
        for a, b in zip(bounds, bounds[1:]):
            clause_end = b - 1 if text[a:b].rstrip().endswith(".") else b
            while clause_end > a and text[clause_end - 1] in " .;":
                clause_end -= 1
            while a < clause_end and text[a] == " ":
                a += 1
            if a >= clause_end:
                continue
            refs = _refs(text, a, clause_end)
            if not refs:
                if open_update is not None:
                    self.extend_update(open_update, entry, clause_end)
                continue
            open_update = None
            found = self.clause(entry, a, clause_end, refs)
            if found == "update":
                targets = self.targets(refs[0])
                open_update = (targets, len(targets[0].updates) - 1 if targets else -1, 0)
            elif found is None and entities:
                _model_fallback(self, entry, a, clause_end, refs, entities)

    def extend_update(self, open_update, entry: _Entry, clause_end: int) -> None:
        targets, index, _ = open_update
        for item in targets:
            if 0 <= index < len(item.updates):
                kind, _, span, when, date_span = item.updates[index]
                start = entry.body.where.index(span[0]) if span[0] in entry.body.where else None
                if start is None:
                    continue
                new_span = entry.body.span(start, clause_end)
                new_text = entry.body.text[start:clause_end]
                if kind == UpdateKind.UNRECOGNIZED:
                    kind = V.update_kind(new_text) or kind
                item.updates[index] = (kind, new_text, new_span, when, date_span)

    def clause(self, entry: _Entry, a: int, b: int, refs: list[_Ref]) -> str | None:
        """Read one clause that names counts; returns what it held."""
        text = entry.body.text
        body = entry.body
        # "AS TO COUNT 1: ..." - what follows the colon is a sentence or a later update.
        first = refs[0]
        colon = regex.match(r"\s*:\s*", text[first.end : b])
        if colon is not None and len(refs) == 1:
            start = first.end + colon.end()
            value = text[start:b]
            targets = self.targets(first)
            if not targets or not value:
                return None
            kind = V.update_kind(value)
            dispositions = list(D.ENTRY_DISPOSITION.finditer(text, start, b))
            terms = V.sentence_terms(value)
            pending = all(t.disposition == DispositionKind.PENDING for t in targets)
            if kind is not None and not (pending and dispositions and dispositions[0].start() == start):
                self.add_update(targets, kind, entry, start, b)
                return "update"
            if terms:
                self.set_sentence(targets, entry, start, b, terms)
                return "sentence"
            if dispositions:
                self.set_disposition(targets, dispositions[0], D.ENTRY_DISPOSITIONS, entry)
                return "disposition"
            if not pending:
                self.add_update(targets, UpdateKind.UNRECOGNIZED, entry, start, b)
                return "update"
            return None
        # "DEFENDANT SENTENCED TO ... AS TO COUNT 1"
        said = None
        sentenced = _SENTENCED_TO.search(text, a, b)
        if sentenced is not None:
            end = min([r.start for r in refs if r.start > sentenced.end()] + [b])
            value = text[sentenced.end() : end].rstrip(" ,")
            value = regex.sub(r"\s*,?\s*(?:AS\s+TO|ON|FOR)\s*$", "", value, flags=regex.IGNORECASE)
            terms = V.sentence_terms(value)
            if terms:
                for ref in refs:
                    self.set_sentence(self.targets(ref), entry, sentenced.end(), sentenced.end() + len(value), terms)
                said = "sentence"
        found = list(D.ENTRY_DISPOSITION.finditer(text, a, b))
        weak = False
        if not found and said is None:
            for kind, pattern in D.FUZZY_DISPOSITIONS:
                m = pattern.search(text, a, b)
                if m is not None:
                    found = [(m, kind)]
                    weak = True
                    break
        for item in found:
            m, kind = item if isinstance(item, tuple) else (item, None)
            ref = _ref_for(text, m.start(), m.end(), refs)
            if ref is None:
                continue
            targets = self.targets(ref)
            if kind is None:
                kind = D.docket_disposition(m, D.ENTRY_DISPOSITIONS)
            for target in targets:
                self.set_one_disposition(target, kind, body.span(m.start(), m.end()), entry, weak)
            said = said or "disposition"
        return said

    # -- writers -----------------------------------------------------------------------------
    def set_disposition(self, targets, m, table, entry) -> None:
        kind = D.docket_disposition(m, table)
        for target in targets:
            self.set_one_disposition(target, kind, entry.body.span(m.start(), m.end()), entry, False)

    @staticmethod
    def set_one_disposition(target: _Listed, kind: DispositionKind, span: Span, entry: _Entry, weak: bool) -> None:
        if target.disposition != DispositionKind.PENDING:
            return  # the first outcome on record stands (a table cell, or an earlier entry)
        target.disposition = kind
        target.disposition_span = span
        if entry.date is not None:
            target.disposition_date = (entry.date, entry.date_span)
        target.weak = target.weak or weak

    @staticmethod
    def set_sentence(targets, entry: _Entry, start: int, end: int, terms) -> None:
        text = entry.body.text[start:end]
        for target in targets:
            if target.sentence is None:
                target.sentence = (text, terms, entry.body.span(start, end))
                if entry.date is not None:
                    target.sentence_date = (entry.date, entry.date_span)

    @staticmethod
    def add_update(targets, kind: UpdateKind, entry: _Entry, start: int, end: int) -> None:
        text = entry.body.text[start:end]
        for target in targets:
            target.updates.append(
                (
                    kind,
                    text,
                    entry.body.span(start, end),
                    entry.date,
                    entry.date_span if entry.date is not None else None,
                )
            )


def _ref_for(text: str, start: int, end: int, refs: list[_Ref]) -> _Ref | None:
    """The count reference a phrase belongs to: the one it introduces (`PLEA ... AS TO COUNT 1`,
    `CONVICTED OF COUNT 1`), else the nearest before it (`COUNT 2 DISMISSED`), else after."""
    for ref in refs:
        if ref.start >= end and _LINK_BEFORE_REF.match(text[end : ref.start]):
            return ref
    before = [r for r in refs if r.end <= start]
    if before:
        return before[-1]
    after = [r for r in refs if r.start >= end]
    return after[0] if after else None


def _model_fallback(
    builder: _Builder, entry: _Entry, a: int, b: int, refs: list[_Ref], entities: Sequence[Entity]
) -> None:
    """Where the rules read nothing in a clause that names counts, use the model's spans."""
    lo, hi = entry.body.span(a, b)
    for entity in entities:
        if entity.start < lo or entity.end > hi:
            continue
        try:
            start = entry.body.where.index(entity.start)
            end = entry.body.where.index(entity.end - 1) + 1
        except ValueError:
            continue
        targets = [t for ref in refs for t in builder.targets(_ref_for(entry.body.text, start, end, refs) or ref)]
        if entity.label == L.DISPOSITION:
            found = D.ENTRY_DISPOSITION.search(entry.body.text, start, end)
            # (The fuzzy phrases were already tried on the whole clause: an unknown span stays unrecognized.)
            kind = D.docket_disposition(found, D.ENTRY_DISPOSITIONS) if found else DispositionKind.UNRECOGNIZED
            for target in targets:
                if target.disposition == DispositionKind.PENDING:
                    target.from_model["disposition"] = entity.score
                builder.set_one_disposition(target, kind, entry.body.span(start, end), entry, True)
        elif entity.label == L.SENTENCE:
            terms = V.sentence_terms(entry.body.text[start:end])
            for target in targets:
                if target.sentence is None:
                    target.from_model["sentence"] = entity.score
            builder.set_sentence(targets, entry, start, end, terms)
            for target in targets:
                target.weak = True
        elif entity.label == L.UPDATE:
            kind = V.update_kind(entry.body.text[start:end]) or UpdateKind.UNRECOGNIZED
            for target in targets:
                target.from_model[f"updates.{len(target.updates)}"] = entity.score
            builder.add_update(targets, kind, entry, start, end)
            for target in targets:
                target.weak = True


# --- records -------------------------------------------------------------------------------


def parse_docket(doc: DocText, entities: Sequence[Entity] = ()) -> list[Count]:
    """Every count of the docket `doc`, in listing order, in the output contract."""
    lines = _content_lines(doc)
    first_listing = next(
        (i for i, ln in enumerate(lines) if _LISTING_LINE.match(ln.text) or _TABLE_HEAD.search(ln.text)), len(lines)
    )
    first_entry = next((i for i, ln in enumerate(lines) if _entry_head(ln) is not None), len(lines))
    header = _read_header(lines[: min(first_listing, first_entry)])
    listed, after = _read_listing(lines, doc, _line_charges(doc, entities) if entities else None)
    if not listed:
        return []
    builder = _Builder(listed)
    entries = _read_entries(lines, after)
    wanted = sorted(entities, key=lambda e: e.start) if entities else ()
    for entry in entries:
        builder.entry(entry, wanted)
    return [_count(doc, header, item, ordinal) for ordinal, item in zip(_ordinals(listed), listed)]


def _ordinals(listed: list[_Listed]) -> list[int]:
    """A count's position in the case: its printed number where the numbers are distinct (so a
    row lost to a scan does not shift the ids of the rows after it), else its place in the list."""
    numbers = [item.number for item in listed]
    if all(n >= 1 for n in numbers) and len(set(numbers)) == len(numbers) and numbers == sorted(numbers):
        return numbers
    return list(range(1, len(listed) + 1))


def _count(doc: DocText, head: _Header, item: _Listed, ordinal: int) -> Count:
    prov: dict[str, Provenance] = {}

    def mark(key: str, span: Span | None) -> Provenance | None:
        if span is None:
            return None
        prov[key] = doc.provenance(*span)
        if key in item.from_model:  # read through the model: trust it no more than the model
            prov[key] = replace(prov[key], confidence=round(prov[key].confidence * item.from_model[key], 4))
        return prov[key]

    mark("count", item.number_span)
    charge_prov = mark("charge", item.charge_span)
    for key, value in (
        ("court", head.court),
        ("case_number", head.case_number),
        ("event_date", head.filed),
        ("arrest_date", head.arrest),
        ("offense_date", head.offense),
        ("person.name", head.name),
        ("person.dob", head.dob),
        ("person.cii", head.cii),
    ):
        if value is not None:
            mark(key, value[1])
    if head.county is not None and head.county[1] is not None:
        mark("county", head.county[1])
    mark("severity", item.severity_span)
    dispo_prov = mark("disposition", item.disposition_span)
    if item.disposition_date is not None and item.disposition_span is not None:
        mark("disposition_date", item.disposition_date[1])
    sentence = None
    if item.sentence is not None:
        text, terms, span = item.sentence
        mark("sentence", span)
        date_value = None
        if item.sentence_date is not None:
            mark("sentence.date", item.sentence_date[1])
            date_value = item.sentence_date[0]
        sentence = Sentence(" ".join(text.split()), tuple(terms), date_value)
    updates = []
    for i, (kind, text, span, when, date_span) in enumerate(item.updates):
        mark(f"updates.{i}", span)
        if date_span is not None:
            mark(f"updates.{i}.date", date_span)
        updates.append(Update(when, kind, " ".join(text.split())))
    person = Person(
        name=head.name[0] if head.name else None, aliases=tuple(head.aliases),
        dob=head.dob[0] if head.dob else None, dobs=(head.dob[0],) if head.dob else (),
        cii=head.cii[0] if head.cii else None, sex=head.sex, race=head.race,
    )  # fmt: skip
    disposition_text = dispo_prov.text if dispo_prov is not None else ""
    if dispo_prov is not None and item.disposition_span is not None:
        # The phrase as written, whole even where a page break cut its provenance.
        disposition_text = (
            doc.text[item.disposition_span[0] : item.disposition_span[1]]
            if "\f" in doc.text[item.disposition_span[0] : item.disposition_span[1]]
            else dispo_prov.text
        )
    return Count(
        count_id=count_id(doc.sha256, 1, ordinal), document=doc.name, doc_type=DocType.DOCKET, page=item.page,
        person=person, cycle="1", event_type=EventType.COURT, count=item.number, charge=item.charge,
        charge_text=charge_prov.text if charge_prov is not None else "",
        event_date=head.filed[0] if head.filed else None, offense_date=head.offense[0] if head.offense else None,
        arrest_date=head.arrest[0] if head.arrest else None, court=head.court[0] if head.court else None,
        county=head.county[0] if head.county else None,
        case_number=head.case_number[0] if head.case_number else None,
        attempted=bool(item.charge and item.charge.attempted), severity=item.severity,
        disposition=item.disposition, disposition_text=disposition_text,
        disposition_date=item.disposition_date[0] if item.disposition_date and item.disposition_span else None,
        updates=tuple(updates), sentence=sentence, confidence=_confidence(item, prov), provenance=prov,
    )  # fmt: skip


def _confidence(item: _Listed, prov: dict[str, Provenance]) -> float:
    """How far to trust a count: the OCR confidence of its own words (number, charge,
    outcome and its date), lowered where a value was read loosely or the parts disagree."""
    keys = ("count", "charge", "severity", "disposition", "disposition_date")
    words = min((prov[k].confidence for k in keys if k in prov), default=1.0)
    score = min(1.0, 0.4 + 0.6 * words)
    if item.charge is None:
        score *= 0.3
    if item.disposition == DispositionKind.UNRECOGNIZED:
        score *= 0.6
    if item.weak:
        score *= 0.7
    if item.disposition.is_conviction and item.disposition_date is None:
        score *= 0.7
    if item.disposition == DispositionKind.PENDING and (item.sentence is not None or item.updates):
        score *= 0.5  # sentenced or later changed, yet no outcome read: the outcome was missed
    return round(max(0.0, min(1.0, score)), 4)


__all__ = ["parse_docket", "read_date"]
