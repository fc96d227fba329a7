"""Reading the California DOJ bulk criminal-history extract (the 95-column AB 1793 file), streaming.

Rows come subject by subject (the file is ordered that way): each run of rows with the same
`SUBJECT_ID` becomes one `History`, and each run of rows with the same `CNT_ORDER` within it
one count (a count with a several-part sentence spans several rows). Nothing else is kept
in memory, so a file of any length reads in flat memory.

What the columns mean here (the layout of `../shared/external/cfa/gogen/*_input.csv`):
the charge is `OFFENSE_DESCR` (or `COMMENT_TEXT` where it reads `SEE COMMENT FOR CHARGE`);
the level is `CONV_STAT_DESCR`, else `OFFENSE_TOC`; a row whose `DISP_DESCR` starts with
`CONVICTED` is a conviction (`JUV-PETITION SUSTAINED` a sustained petition), whatever its
step; the conviction date is the step's `STP_EVENT_DATE`; the arrest date is `CYC_DATE`, else
the cycle's arrest step; the cycle is the first three digits of `CNT_ORDER`.

A malformed row (a different number of fields than the header, no subject) is reported with
its line number and skipped; the rest goes on.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterator

from docmine.charges import Charge
from docmine.eligibility.model import LIFE, CountFacts, History
from docmine.errors import DocmineError
from docmine.extract.dispositions import doj_disposition
from docmine.records import DispositionKind, EventType, Severity
from docmine.reference.agencies import ORI_PREFIXES
from docmine.reference.doj_layout import HEADER

REQUIRED = ("SUBJECT_ID", "CNT_ORDER", "OFFENSE_DESCR", "DISP_DESCR", "STP_EVENT_DATE", "STP_TYPE_DESCR")
SEE_COMMENT = "SEE COMMENT FOR CHARGE"

Problem = Callable[[str, int, str], None]


@dataclass(frozen=True, slots=True)
class Layout:
    columns: tuple[str, ...]
    index: dict[str, int]
    has_header: bool


def layout_of(first_row: list[str], path: str) -> Layout:
    names = [n.strip() for n in first_row]
    while names and names[-1] == "":  # a stray trailing comma on the header (gogen's extra_comma.csv)
        names.pop()
    if "SUBJECT_ID" in names:
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise DocmineError(f"{path}: line 1: the DOJ header lacks column(s) {', '.join(missing)}")
        return Layout(tuple(names), {n: i for i, n in enumerate(names)}, True)
    if len(first_row) == len(HEADER):
        return Layout(HEADER, {n: i for i, n in enumerate(HEADER)}, False)
    raise DocmineError(f"{path}: line 1: neither the DOJ header nor a 95-column DOJ row ({len(first_row)} fields)")


_MISSING = object()


def _remembered(limit: int = 200_000):
    """A reading of one cell's text, remembered for the texts a file repeats (at most `limit`
    of them, so memory stays flat). The reading loop looks in `.cache` itself: it runs once per
    row, and a dictionary lookup is cheaper than a call."""

    def decorate(read: Callable[[Any], Any]):
        cache: dict = {}

        def remembered(text):
            found = cache.get(text, _MISSING)
            if found is _MISSING:
                found = read(text)
                if len(cache) < limit:
                    cache[text] = found
            return found

        remembered.cache = cache
        remembered.__doc__ = read.__doc__
        return remembered

    return decorate


@_remembered()
def parse_date(text: str) -> date | None:
    """`YYYYMMDD` -> date; anything else (blank, `x`, a bad day) -> None."""
    t = text.strip()
    if len(t) == 8 and t.isdigit():
        try:
            return date(int(t[:4]), int(t[4:6]), int(t[6:]))
        except ValueError:
            return None
    return None


@_remembered()
def parse_charge(text: str) -> Charge | None:
    return Charge.try_parse(text.strip())


disposition_of = _remembered()(doj_disposition)

_STEPS = {
    "ARREST": EventType.ARREST,
    "COURT": EventType.COURT,
    "PROBATION": EventType.PROBATION,
    "CUSTODY": EventType.CUSTODY,
    "REGISTRATION": EventType.REGISTRATION,
    "DECEASED": EventType.DECEASED,
}


@_remembered()
def event_type_of(text: str) -> EventType:
    t = text.strip().upper()
    return next((v for k, v in _STEPS.items() if t.startswith(k)), EventType.UNRECOGNIZED)


_SEVERITY_WORDS = {
    "FELONY": Severity.FELONY,
    "MISDEMEANOR": Severity.MISDEMEANOR,
    "INFRACTION": Severity.INFRACTION,
    "F": Severity.FELONY,
    "M": Severity.MISDEMEANOR,
    "I": Severity.INFRACTION,
}
_UNIT = {"D": 1, "M": 30, "Y": 365}


@_remembered(100_000)
def _place(ori: str) -> str | None:
    """`CAMC PASADENA`, `CASCSACRAMENTO` -> the town."""
    t = " ".join(ori.upper().split())
    for prefix in ORI_PREFIXES:
        if t.startswith(prefix):
            return t[len(prefix) :].strip() or None
    return t or None


@_remembered()
def county_of(text: str) -> str | None:
    return " ".join(text.upper().split()) or None


@_remembered()
def _severity(cells: tuple[str, str]) -> Severity:
    conv_stat, toc = cells
    return _SEVERITY_WORDS.get(conv_stat.strip().upper()) or _SEVERITY_WORDS.get(toc.strip().upper(), Severity.UNKNOWN)


def severity_of(conv_stat: str, toc: str) -> Severity:
    """CONV_STAT_DESCR (the conviction's level), else OFFENSE_TOC (as charged)."""
    return _severity((conv_stat, toc))


class _Columns:
    """Column positions, looked up once per file."""

    def __init__(self, layout: Layout):
        get = layout.index.get
        self.subject = get("SUBJECT_ID")
        self.cnt = get("CNT_ORDER")
        self.descr = get("OFFENSE_DESCR")
        self.comment = get("COMMENT_TEXT")
        self.toc = get("OFFENSE_TOC")
        self.conv_stat = get("CONV_STAT_DESCR")
        self.disp = get("DISP_DESCR")
        self.disp_date = get("DISP_DATE")
        self.step_date = get("STP_EVENT_DATE")
        self.step_type = get("STP_TYPE_DESCR")
        self.cyc_date = get("CYC_DATE")
        self.cyc_age = get("CYC_AGE")
        self.county = get("STP_ORI_CNTY_NAME")
        self.ori = get("STP_ORI_DESCR")
        self.sent_loc = get("SENT_LOC_DESCR")
        self.sent_len = get("SENT_LENGTH")
        self.sent_code = get("SENT_TIME_CODE")
        self.name = get("PRI_NAME")
        self.dob = get("PRI_DOB")
        self.cii = get("CII_NUMBER")
        self.race = get("RACE_DESCR")
        self.case = get("FE_NUM_CRT_CASE")
        self.docket = get("FE_NUM_DOCKET")


def _ident(text: str) -> str | None:
    """An identifying cell as written; None where blank or redacted (`x`, as the fixtures)."""
    t = text.strip()
    return None if not t or t.lower() == "x" else t


@dataclass(frozen=True)
class Part:
    """A share of a DOJ file for one worker: from byte `offset` (the start of line `line`) to
    the line before `stop` (None: to the end). Shares start where a subject starts."""

    offset: int
    line: int
    stop: int | None


def parts(path: str | Path, n: int) -> list[Part]:
    """`path` cut into about `n` shares of equal size, each starting where a subject starts (no
    subject is split between two shares). One share for a small file or `n` = 1."""
    size = Path(path).stat().st_size
    if n <= 1 or size < (4 << 20):
        return [Part(0, 1, None)]
    cuts: list[tuple[int, int]] = []  # (offset, line)
    with open(path, "rb") as handle:
        header = handle.readline()
        subject_at = _subject_index(header)
        line, at = 1, len(header)
        for k in range(1, n):
            target = size * k // n
            if target <= at:
                continue
            # Count the lines up to the target, then go on to the first line of the next subject.
            while at < target:
                block = handle.read(min(1 << 20, target - at))
                if not block:
                    break
                line += block.count(b"\n")
                at += len(block)
            rest = handle.readline()  # the end of the line the target fell in
            at, line = at + len(rest), line + rest.count(b"\n")
            first = handle.readline()  # a whole line: the subject to go past
            at, line = at + len(first), line + first.count(b"\n")
            previous = _subject_of(first, subject_at)
            row = first
            while row:
                row = handle.readline()
                if row and _subject_of(row, subject_at) != previous:
                    break  # `at` is where this row, the next subject's first, starts
                at, line = at + len(row), line + row.count(b"\n")
            if row and (not cuts or at > cuts[-1][0]):
                cuts.append((at, line + 1))
            handle.seek(at)
    starts = [(0, 1)] + cuts
    return [Part(o, ln, starts[i + 1][1] if i + 1 < len(starts) else None) for i, (o, ln) in enumerate(starts)]


def _subject_index(header: bytes) -> int:
    names = next(csv.reader([header.decode("utf-8", "replace")]), [])
    names = [n.strip() for n in names]
    return names.index("SUBJECT_ID") if "SUBJECT_ID" in names else HEADER.index("SUBJECT_ID")


def _subject_of(line: bytes, at: int) -> str:
    row = next(csv.reader([line.decode("utf-8", "replace")]), [])
    return row[at].strip() if at < len(row) else ""


def _cell(row: list[str], i: int | None) -> str:
    return row[i] if i is not None and i < len(row) else ""


def read_doj(
    path: str | Path,
    problem: Problem,
    keep: Callable[[str], bool] | None = None,
    name: str | None = None,
    part: "Part | None" = None,
) -> Iterator[History]:
    """Histories, one per run of rows with the same SUBJECT_ID (see the module docstring).

    `keep`, when given, is a test on a charge text (`OFFENSE_DESCR` or `COMMENT_TEXT`) that
    every charge the caller could decide passes (`Policy.charge_prefilter`). Only convicted
    counts are decided, and a count's charge and disposition are its first row's, so a subject
    with no row that both reads as a conviction and passes `keep` is not built into counts; it comes back as a `History` with
    no counts and `passed_over` set to its number of counts, so tallies stay exact. Most
    subjects of a real file have no marijuana charge, and building counts is the costly part.

    `name` is what sources and problems call the file when it is read from a copy (a zip
    member a batch unpacked): results then do not depend on where the copy lies.

    `part` reads one share of the file (`parts`): the subjects from its line to the next part's."""
    source = str(path)
    path = name or source
    with open(source, newline="", encoding="utf-8", errors="replace") as handle:
        # The text of the line each row was read from, kept beside the row: results copy a
        # standard row's 95 cells as written instead of writing them out again one by one.
        last: list = [None]

        def lines(handle):
            for text in handle:
                last[0] = text
                yield text

        reader = csv.reader(lines(handle))
        try:
            first = next(reader)
        except StopIteration:
            raise DocmineError(f"{path}: empty file") from None
        layout = layout_of(first, path)
        cols = _Columns(layout)
        base, stop = 0, None  # line numbers: the reader's, plus `base`; `stop`: the next part's first line
        if part is not None and part.offset > 0:
            handle.seek(part.offset)
            reader = csv.reader(lines(handle))
            base, first = part.line - 1, None
        if part is not None:
            stop = part.stop
        width = len(layout.columns)
        subject = None
        rows: list[tuple[int, list[str], str | None]] = []
        seen: set[str] = set()
        standard = layout.columns == HEADER  # a row's text is kept only where its cells are the 95 in order
        previous_line = base + reader.line_num
        subject_at = cols.subject
        i_descr, i_comment, i_disp = cols.descr, cols.comment, cols.disp
        verdicts: dict[str, bool] = {}  # charge text -> keep(text), cached: texts repeat
        convictions: dict[str, bool] = {}  # DISP_DESCR -> whether it reads as a conviction
        wanted = keep is None  # whether the current subject has a convicted row `keep` passes

        def passes(text: str) -> bool:
            found = verdicts.get(text)
            if found is None:
                found = bool(keep(text))
                if len(verdicts) < 200_000:
                    verdicts[text] = found
            return found

        def convicted(text: str) -> bool:
            """What `CountFacts.convicted` says of a count whose first row has this DISP_DESCR."""
            found = convictions.get(text)
            if found is None:
                found = convictions[text] = disposition_of(text) in _CONVICTED
            return found

        def finish() -> History:
            return _history(path, rows, cols) if wanted else _passed_over(path, rows, cols)

        if first is not None and not layout.has_header:
            problem(path, 1, "no header line: read as the 95 DOJ columns in their usual order")
            subject, rows = first[subject_at].strip(), [(1, first, None)]
            previous_line = 1
            seen.add(subject)
            wanted = keep is None or (
                convicted(first[i_disp])
                and (passes(first[i_descr]) or (i_comment is not None and passes(first[i_comment])))
            )
        for row in reader:
            line = base + reader.line_num
            if stop is not None and line >= stop:
                break
            if len(row) != width and not (len(row) == width + 1 and row[-1] == ""):
                problem(path, line, f"{len(row)} fields where the header has {width}: row skipped")
                continue
            sid = row[subject_at]
            if sid != subject:
                sid = sid.strip()
                if not sid:
                    problem(path, line, "no SUBJECT_ID: row skipped")
                    continue
                if sid != subject:
                    if rows:
                        yield finish()
                    if sid in seen:
                        problem(
                            path,
                            line,
                            f"SUBJECT_ID {sid} appears again after other subjects: read "
                            "as a separate history (issue #7: `people.link` joins them)",
                        )
                    seen.add(sid)
                    subject, rows, wanted = sid, [], keep is None
            raw = last[0] if standard and line == previous_line + 1 and len(row) == width else None
            previous_line = line
            rows.append((line, row, raw))
            if not wanted and convicted(row[i_disp]):  # only a convicted count is ever decided
                wanted = passes(row[i_descr]) or (i_comment is not None and passes(row[i_comment]))
        if rows:
            yield finish()


def _passed_over(path: str, rows: list[tuple[int, list[str], str | None]], cols: _Columns) -> History:
    """A subject with no charge the caller decides: its counts counted, not built. Who the
    subject is (name, date of birth, CII, race) is kept, and `pending` builds the counts
    should `people.link` find the subject is a person whose other records need its priors."""
    i_cnt = cols.cnt
    n, previous = 0, None
    for _, row, _ in rows:
        order = row[i_cnt]
        if order != previous:  # a new count, as in `_history`
            n += 1
            previous = order
    return _subject(path, rows, cols, passed_over=n, pending=lambda: _history(path, rows, cols))


def _subject(path: str, rows: list[tuple[int, list[str], str | None]], cols: _Columns, **more) -> History:
    """Who the subject is, from its first row: name, date of birth, CII, race."""
    first = rows[0][1]
    dob = parse_date(_cell(first, cols.dob))
    return History(
        key=f"doj:{first[cols.subject].strip()}", name=_cell(first, cols.name).strip() or None, dob=dob,
        dob_source=f"{path} line {rows[0][0]} PRI_DOB", dobs=(dob,) if dob else (),
        cii=_ident(_cell(first, cols.cii)), race=_ident(_cell(first, cols.race)), kind="doj", document=path,
        **more,
    )  # fmt: skip


_CONVICTED = (DispositionKind.CONVICTED, DispositionKind.SUSTAINED)  # CountFacts.convicted


def _history(path: str, rows: list[tuple[int, list[str], str | None]], cols: _Columns) -> History:
    history = _subject(path, rows, cols)
    sid = rows[0][1][cols.subject].strip()
    counts = history.counts
    arrests: dict[str, list[date]] = {}
    current: CountFacts | None = None
    current_order = None
    i_cnt, i_type, i_date, i_descr, i_disp = cols.cnt, cols.step_type, cols.step_date, cols.descr, cols.disp
    i_comment, i_conv, i_toc, i_cyc_date, i_disp_date = (
        cols.comment,
        cols.conv_stat,
        cols.toc,
        cols.cyc_date,
        cols.disp_date,
    )
    i_age, i_county, i_ori, i_sent = cols.cyc_age, cols.county, cols.ori, cols.sent_loc
    i_case, i_docket = cols.case, cols.docket
    # The caches' own lookups inlined: this loop runs once per row of a decided subject.
    dates, steps, charges = parse_date.cache.get, event_type_of.cache.get, parse_charge.cache.get
    disps, severities = disposition_of.cache.get, _severity.cache.get
    missing, arrest_type, deceased_type = _MISSING, EventType.ARREST, EventType.DECEASED
    for line, row, raw in rows:
        order = row[i_cnt]
        text = row[i_type]
        step_type = steps(text)
        if step_type is None:
            step_type = event_type_of(text)
        if step_type is deceased_type:
            history.deceased = True
        text = row[i_date]
        step_date = dates(text, missing)
        if step_date is missing:
            step_date = parse_date(text)
        cycle = order[:3]
        if step_type is arrest_type and step_date is not None:
            arrests.setdefault(cycle, []).append(step_date)
        if order == current_order and current is not None:  # another part of the same count's sentence
            current.lines += (line,)
            current.origin.append(row)
            if i_sent is not None and row[i_sent] and not row[i_sent].isspace():
                _add_sentence(current, row, cols)
            continue
        current_order = order
        descr = row[i_descr]
        if "SEE COMMENT" in descr and descr.strip().upper() == SEE_COMMENT:
            descr = row[i_comment] if i_comment is not None else ""
        charge = charges(descr, missing)
        if charge is missing:
            charge = parse_charge(descr)
        conv = row[i_conv] if i_conv is not None else ""
        toc = row[i_toc] if i_toc is not None else ""
        severity = severities((conv, toc))
        if severity is None:
            severity = severity_of(conv, toc)
        text = row[i_disp]
        disposition = disps(text)
        if disposition is None:
            disposition = disposition_of(text)
        # Each reader keeps its own cache of the texts it has seen.
        cyc_date = parse_date(row[i_cyc_date]) if i_cyc_date is not None else None
        disp_date = parse_date(row[i_disp_date]) if i_disp_date is not None else None
        county = county_of(row[i_county]) if i_county is not None else None
        place = _place(row[i_ori]) if i_ori is not None else None
        age = row[i_age] if i_age is not None else ""
        case = row[i_case] if i_case is not None else ""
        if (not case or case.isspace()) and i_docket is not None:
            case = row[i_docket]
        current = CountFacts(
            f"{sid}/{order.strip()}", history.key, charge, descr.strip(), severity, disposition, step_type,
            step_date, None, cyc_date, disp_date, cycle, int(age) if age.isdigit() else None, county, place,
            origin=[row], lines=(line,), document=path, dob=history.dob, case_number=case.strip() or None,
            row_text=raw.rstrip("\r\n") if raw else None,
        )  # fmt: skip
        if i_sent is not None and row[i_sent] and not row[i_sent].isspace():
            _add_sentence(current, row, cols)
        counts.append(current)
    if arrests:  # the cycle's latest arrest on or before the conviction
        for c in counts:
            if c.arrest_date is None and c.cycle in arrests:
                day = c.conviction_date or date.max
                earlier = [d for d in arrests[c.cycle] if d <= day]
                c.arrest_date = max(earlier) if earlier else None
    return history


def _add_sentence(count: CountFacts, row: list[str], cols: _Columns) -> None:
    kind = row[cols.sent_loc] if cols.sent_loc is not None else ""
    if not kind or kind.isspace():
        return
    kind = kind.strip().upper()
    code = _cell(row, cols.sent_code).strip().upper()
    length = _cell(row, cols.sent_len).strip()
    part = f"{kind} {length} {code}".strip()
    count.sentence_text = f"{count.sentence_text}; {part}" if count.sentence_text else part
    if kind not in ("PRISON", "JAIL", "PROBATION"):
        return
    if code == "L":
        days = LIFE
    elif length.isdigit() and code in _UNIT:
        days = int(length) * _UNIT[code]
    else:
        return
    if count.sentence_days != LIFE and (count.sentence_days is None or days == LIFE or days > count.sentence_days):
        count.sentence_days = days
    if kind == "PROBATION" and days != LIFE:
        count.probation_days = max(days, count.probation_days or 0)
    if kind == "PRISON":
        count.prison_days = days if days == LIFE or count.prison_days == LIFE else max(days, count.prison_days or 0)
