"""Pattern rules: entity spans the record formats make certain, found with regexes.

`rule_spans(text)` reads one page of (normalised) text and returns `(start, end, label)`
spans with the labels of `docmine.labels`. Each rule keys on a printed field name or on
the fixed shape of a record line, so it is precise on clean text; where OCR breaks the
key (`CN T:`, `D1SPO:`), the rule stays silent and the trained NER has to find the span.

RAP sheets: `CII/`, `DOB/`, `NAM/01`, event lines (`19951116  CAPD COMPTON`), `CNT:01
#527720B`, charge lines (`11358 HS-PLANT/CULTIVATE`), dated `DISPO:` lines (disposition
or later update), `CONV STATUS:`, `SEN:`. Dockets: case header fields (`CASE NO:`,
`FILED:`, `DEFENDANT:`, `AKA:`, `DOB:`, `ARREST DATE:`, `VIOLATION DATE:`), the court
line, `COUNT 1: HSC 11357 - DESC (MISDEMEANOR)` lines, count-table rows, dated sentence
and update rows, and the dated free-text proceedings entries (`PLEA OF GUILTY ENTERED
AS TO COUNT 1`, `SENTENCED AS TO COUNT 1: ...`, `AS TO COUNT 1: CONVICTION SET ASIDE`).
"""

from __future__ import annotations

import regex

from docmine import labels as L
from docmine.charges import Charge, ChargeParseError

Span = tuple[int, int, str]

_DATE_ANY = (
    r"(?:(?:19|20)[0-9]{6}|[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{2,4}|[0-9]{1,2}-[A-Z]{3,9}\.?-[0-9]{2,4}"
    r"|[A-Z]{3,9}\.?\s+[0-9]{1,2},?\s+(?:19|20)[0-9]{2})"
)
_NAME = r"[A-Z][A-Z'.\-]*(?:(?:, ?| )[A-Z][A-Z'.\-]*)*"  # LAST, FIRST M / FIRST M LAST, single spaces

_FLAGS = regex.MULTILINE


def _c(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, _FLAGS)


# --- people and identifiers ----------------------------------------------------------------
_CII = _c(
    r"\bCII(?:/|:| NO:)\s*(?P<v>[A-Z][0-9]{6,10}[A-Z]?)\b(?:\s{2,}(?P<name>[A-Z][A-Z'\-]*,[A-Z][A-Z' \-]*?)(?=\s{2,}|\s*$))?"
)
_DOB = _c(r"\bDOB[/:]\s*(?P<v>" + _DATE_ANY + r")(?P<more>(?:[ \t]+(?:19|20)[0-9]{6})*)")
_ALIAS_LINE = _c(r"\G[ \t]+[0-9]{2}[ \t]+(?P<v>" + _NAME + r")[ \t]*(?:\n|$)")
_NAM = _c(r"^NAM/[0-9]{1,3}\s+(?P<v>" + _NAME + r")\s*$")
_PARTY = _c(
    r"(?:\bDEFENDANT(?: [0-9]{1,2}| NAME)?|\bDEF|\bAKA|\bPETITIONER|\bRESPONDENT|^RE):\s+(?P<v>"
    + _NAME
    + r")(?=\s{2,}|\s*$)"
)
_VS = _c(r"\bVS\.\s+(?P<v>" + _NAME + r")\s*$")
_CASE_HEADER = _c(
    r"\bCASE (?:NUMBER:|NO[.:]|#:)\s*(?P<v>[A-Z0-9][A-Z0-9\-]*)(?:\s{2,}(?P<name>[A-Z][A-Z'\-]*, ?[A-Z][A-Z' \-]*?)(?=\s{2,}|\s*$))?"
)
_COURT_LINE = _c(
    r"^\s*(?P<v>(?:SUPERIOR|MUNICIPAL|JUSTICE) COURT OF [A-Z ,\-]+?|[A-Z ]+ COUNTY (?:SUPERIOR|MUNICIPAL) COURT)\s*$"
)
_COURT_FIELD = _c(r"^COURT:\s+(?P<v>[A-Z][A-Z ,\-]+?)\s*$")

# --- docket header dates --------------------------------------------------------------------
_FILED = _c(r"\b(?:FILED|FILING DATE|DATE FILED):\s*(?P<v>" + _DATE_ANY + r")")
_ARREST = _c(r"\bARREST DATE:\s*(?P<v>" + _DATE_ANY + r")")
_OFFENSE = _c(r"\b(?:OFFENSE DATE|VIOLATION DATE|DATE OF OFFENSE):\s*(?P<v>" + _DATE_ANY + r")")

# --- RAP sheet lines ---------------------------------------------------------------------------
_RAP_EVENT = _c(r"^(?P<date>(?:19|20)[0-9]{6})[ \t]+(?P<who>CA[A-Z0-9]{2}[ \t]+[A-Z][A-Z .'\-]*?)[ \t]*$")
_RAP_CNT = _c(r"\bCNT:\s*(?P<v>[0-9]{1,3}(?:-[0-9]{1,3})?)(?:\s+#(?P<case>[A-Z0-9][A-Z0-9\-,]*[A-Z0-9]))?")
_RAP_CHARGE_LINE = _c(r"^[ \t]+(?P<body>(?:[0-9]|[A-Z]{2,3}[ 0-9]).*?)[ \t]*$")
_COM_CHARGE = _c(r"\bCOM:\s*CHRG[- ](?P<v>\S+(?: [A-Z]{2,3})?)[ \t]*$")
_CONTINUATION = _c(r"\G\n(?P<indent>[ \t]+)(?P<v>[A-Z0-9$][^\n]*?)[ \t]*(?=\n|$)")
_RAP_DISPO = _c(r"^\*?[ \t]*DISPO:[ \t]*(?P<v>\S.*?)[ \t]*$")
_RAP_DATE_LINE = _c(r"^(?P<v>(?:19|20)[0-9]{6})[ \t]*$")
_RAP_UPDATE_LINE = _c(
    r"^[ \t]+(?P<v>(?:CONV|RECORD|DISM|SENTENCE|SEN |PROB|REDUCED|SEALED|REDESIG|RESENTENCED|DEFENDANT)[A-Z0-9 .,&()/\-]*?)[ \t]*$"
)
_CONV_STATUS = _c(r"\bCONV STATUS:\s*(?P<v>MISDEMEANOR|FELONY|INFRACTION)\b")
_SEN = _c(r"\bSEN:\s*(?P<v>\S.*?)[ \t]*$")

# Later changes to a conviction, as RAP sheets and dockets word them.
_UPDATE_WORDS = regex.compile(
    r"SET ASIDE|1203\.4|11361\.[0-9]|1170\.18|SEALED|REDUCED|REDESIGNATED|17\s?\(B\)|PROBATION (?:REVOKED|TERMINATED)"
    r"|RESENTENCED|SENTENCE MODIFIED|SEN MODIFIED|PROB REVOKED|PRIOR SENTENCE|CONV DISMISSED|CONVICTION DISMISSED|POST-JUDGMENT"
)

# --- docket counts --------------------------------------------------------------------------
_SEVERITY_WORD = r"FELONY|MISDEMEANOR|INFRACTION"
_COUNT_STATEMENT = _c(
    r"^(?:COUNT|CT)\s+(?P<n>[0-9]{1,3}):\s+(?P<charge>\S+(?: \S+)??)\s+-\s+(?P<desc>[^\n]+?)"
    r"(?:,\s+AN?\s+(?P<sev1>" + _SEVERITY_WORD + r")|\s+\((?P<sev2>" + _SEVERITY_WORD + r"|F|M|I)\))?\.?\s*$"
)
_TABLE_ROW = _c(
    r"^(?P<n>[0-9]{1,3})[ \t]{2,}(?P<charge>\S+(?: \S+)?)[ \t]{2,}(?P<desc>\S[^\n]*?)[ \t]+"
    r"(?P<sev>FELONY|MISDEMEANOR|INFRACTION|FEL|MISD|INF|F|M|I)(?=[ \t]{2,}|[ \t]*$)(?P<rest>[^\n]*)$"
)
_PLEA_PREFIX = regex.compile(r"(?:NOT GUILTY|GUILTY|NOLO(?: CONTENDERE)?) (?=\S)")
_TABLE_REST = regex.compile(r"^(?P<cells>.*?\S)[ \t]+(?P<date>" + _DATE_ANY + r")[ \t]*$")
_DATED_COUNT_ROW = _c(
    r"^(?P<date>" + _DATE_ANY + r")[ \t]{2,}(?:COUNT|CNT|CT)\s+(?P<n>[0-9]{1,3}):\s+(?P<v>\S.*?)\.?[ \t]*"
    r"(?P<more>(?:\n[ \t]{6,}\S.*?[ \t]*)*)$"
)

# --- docket proceedings (free text) -------------------------------------------------------------


def _wrapped(pattern: str, flags: int = 0) -> regex.Pattern:
    """A phrase pattern whose blanks may also be the line breaks of a wrapped paragraph."""
    return regex.compile(pattern.replace(" ", r"\s+"), flags)


_ENTRY_HEAD = _c(r"^(?P<date>" + _DATE_ANY + r")(?:[ \t]+DEPT\.? [0-9A-Z]+)?[ \t]*$")
_ENTRY_BODY_LINE = _c(r"^[ \t]{2,}\S.*$")
_DISPOSITION_PHRASE = _wrapped(
    r"\b(?:PLEA OF (?:GUILTY|NOLO CONTENDERE) ENTERED|FOUND (?:NOT )?GUILTY(?: BY (?:JURY|THE COURT))?|ACQUITTED"
    r"|DEFERRED ENTRY OF JUDGMENT GRANTED|DIVERSION GRANTED PER PC 1000|CONVICTED(?= OF COUNT)"
    r"|DISMISSED (?:PURSUANT TO PC 1385|IN THE FURTHERANCE OF JUSTICE PER PC 1385|PER 1385 PC|ON MOTION OF THE PEOPLE)"
    r"|ORDERED DISMISSED|(?<=COUNT [0-9]{1,3} )DISMISSED)\b"
)
_COUNT_REF = _wrapped(r"\b(?:AS TO|OF) COUNTS? (?P<n>[0-9]{1,3})\b|\bCOUNT (?P<n>[0-9]{1,3})(?= DISMISSED)")
_SENTENCE_CLAUSE = _wrapped(
    r"\b(?:SENTENCED AS TO|JUDGMENT AS TO|HEARING\. AS TO) COUNT (?P<n>[0-9]{1,3}):\s+"
    r"(?P<v>[^.]+?(?:\.[0-9][^.]*?)*)(?=\.(?:\s|$))"
)
_UPDATE_CLAUSE = _wrapped(r"^AS TO COUNT (?P<n>[0-9]{1,3}):\s+(?P<v>.+?)(?=\.?\s*$)", regex.DOTALL)
_VIOLATION_OF = _wrapped(
    r"\bA VIOLATION OF (?P<charge>[A-Z&.]{2,4} ?[0-9][0-9A-Za-z().]*?|[0-9][0-9A-Za-z().]*? [A-Z&.]{2,4}),"
    r"\s+A\s+(?P<sev>" + _SEVERITY_WORD + r")\b"
)


def rule_spans(text: str) -> list[Span]:
    """Every rule's spans on one page, overlaps resolved (earlier, longer rules win)."""
    spans: list[Span] = []
    spans += _header_spans(text)
    spans += _rap_spans(text)
    spans += _docket_count_spans(text)
    spans += _proceedings_spans(text)
    return _resolve(spans)


def _group(match: regex.Match, group: str, label: str) -> list[Span]:
    if match.group(group) is None or match.start(group) == match.end(group):
        return []
    return [(match.start(group), match.end(group), label)]


def _header_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _CII.finditer(text):
        out += _group(m, "v", L.CII) + _group(m, "name", L.PERSON_NAME)
    for m in _DOB.finditer(text):
        out += _group(m, "v", L.DOB)
        for extra in regex.finditer(r"[0-9]{8}", m.group("more")):
            out.append((m.start("more") + extra.start(), m.start("more") + extra.end(), L.DOB))
    for m in _NAM.finditer(text):  # aliases follow as `    02 NAME` lines
        position = m.end() + 1
        while (alias := _ALIAS_LINE.match(text, position)) is not None:
            out += _group(alias, "v", L.PERSON_NAME)
            position = alias.end()
    for pattern in (_NAM, _PARTY, _VS):
        for m in pattern.finditer(text):
            out += _group(m, "v", L.PERSON_NAME)
    for m in _CASE_HEADER.finditer(text):
        out += _group(m, "v", L.CASE_NUMBER) + _group(m, "name", L.PERSON_NAME)
    for pattern in (_COURT_LINE, _COURT_FIELD):
        for m in pattern.finditer(text):
            out += _group(m, "v", L.COURT)
    for pattern, label in ((_FILED, L.EVENT_DATE), (_ARREST, L.ARREST_DATE), (_OFFENSE, L.OFFENSE_DATE)):
        for m in pattern.finditer(text):
            out += _group(m, "v", label)
    return out


def _rap_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _RAP_EVENT.finditer(text):
        who = m.group("who")
        # CASC/CAMC/CAJC are courts (superior, municipal, justice); anything else an agency.
        label = L.COURT if len(who) >= 4 and who[2] in "SMJ" and who[3] == "C" else L.AGENCY
        out += _group(m, "date", L.EVENT_DATE) + _group(m, "who", label)
    for m in _RAP_CNT.finditer(text):
        out += _group(m, "v", L.COUNT_NO) + _group(m, "case", L.CASE_NUMBER)
    for m in _RAP_CHARGE_LINE.finditer(text):
        out += _rap_charge_line(m)
    for m in _COM_CHARGE.finditer(text):
        out += _charge_spans(text, m.start("v"), m.end("v"))
    for m in _RAP_DISPO.finditer(text):
        value = m.group("v")
        is_update = bool(_UPDATE_WORDS.search(value)) and not value.startswith("CONVICTED")
        end = _with_new_sentence(text, m.end("v")) if is_update else m.end("v")
        out.append((m.start("v"), end, L.UPDATE if is_update else L.DISPOSITION))
        date = _date_line_before(text, m.start())
        if date:
            out.append((*date, L.UPDATE_DATE if is_update else L.DISPOSITION_DATE))
    for m in _RAP_UPDATE_LINE.finditer(text):
        if not _UPDATE_WORDS.search(m.group("v")):
            continue
        date = _date_line_before(text, m.start())
        if date:
            out += [(m.start("v"), _with_new_sentence(text, m.end("v")), L.UPDATE), (*date, L.UPDATE_DATE)]
    for m in _CONV_STATUS.finditer(text):
        out += _group(m, "v", L.SEVERITY)
    for m in _SEN.finditer(text):
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1)
        out.append((m.start("v"), _continued(text, m.end("v"), column + 2), L.SENTENCE))
    return out


_LINE_KEY = regex.compile(r"(?:\*?DISPO:|CNT:|SEN:|COM:|CONV STATUS:|(?:19|20)[0-9]{6}\b|\*|-)")


def _continued(text: str, end: int, min_indent: int) -> int:
    """Extend a value over following lines indented at least `min_indent` (a wrapped `SEN:`)."""
    while (m := _CONTINUATION.match(text, end)) is not None:
        if len(m.group("indent")) < min_indent or _LINE_KEY.match(m.group("v")):
            break
        end = m.end("v")
    return end


_SEN_NEXT = regex.compile(r"\G\n(?P<indent>[ \t]+)SEN:[ \t]*(?P<v>\S[^\n]*?)[ \t]*(?=\n|$)")


def _with_new_sentence(text: str, end: int) -> int:
    """An update that carries a new `SEN:` line includes it (and its wrapped lines)."""
    m = _SEN_NEXT.match(text, end)
    if not m:
        return end
    return _continued(text, m.end("v"), len(m.group("indent")) + 2)


def _rap_charge_line(m: regex.Match) -> list[Span]:
    """A RAP charge line: `  11358 HS-PLANT/CULTIVATE/ETC MARIJUANA` (section, code, dash, words)."""
    body_start = m.start("body")
    body = m.group("body")
    try:
        _, end = Charge.parse_prefix(body)
    except ChargeParseError:
        return []
    if not body[end:].lstrip(" ").startswith("-"):
        return []
    charge_end = body_start + len(body[:end].rstrip(" -"))
    out = [(body_start, charge_end, L.CHARGE)]
    desc = regex.match(r"[ \t]*-?[ \t]*(?P<d>\S.*?)[ \t]*$", body[end:])
    if desc:
        out.append((body_start + end + desc.start("d"), body_start + end + desc.end("d"), L.CHARGE_DESC))
    return out


def _date_line_before(text: str, line_start: int) -> tuple[int, int] | None:
    """A RAP date standing alone on the line just above `line_start`."""
    if line_start == 0:
        return None
    prev_start = text.rfind("\n", 0, line_start - 1) + 1
    m = _RAP_DATE_LINE.match(text, prev_start, line_start - 1)
    return (m.start("v"), m.end("v")) if m else None


def _charge_spans(text: str, start: int, end: int) -> list[Span]:
    """A code section cell, if `text[start:end]` reads as one."""
    if Charge.try_parse(text[start:end]) is None:
        return []
    return [(start, end, L.CHARGE)]


def _docket_count_spans(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _COUNT_STATEMENT.finditer(text):
        charge = _charge_spans(text, m.start("charge"), m.end("charge"))
        if not charge:
            continue
        out += _group(m, "n", L.COUNT_NO) + charge + _group(m, "desc", L.CHARGE_DESC)
        out += _group(m, "sev1", L.SEVERITY) + _group(m, "sev2", L.SEVERITY)
    for m in _TABLE_ROW.finditer(text):
        charge = _charge_spans(text, m.start("charge"), m.end("charge"))
        if not charge:
            continue
        out += _group(m, "n", L.COUNT_NO) + charge + _group(m, "desc", L.CHARGE_DESC) + _group(m, "sev", L.SEVERITY)
        rest = _TABLE_REST.match(m.group("rest"))
        if rest:
            base = m.start("rest")
            cells = list(regex.finditer(r"\S+(?: \S+)*", rest.group("cells")))
            if cells:  # the last cell before the date is the disposition (a plea column may precede it)
                last = cells[-1]
                # `NOT GUILTY CONVICTED-JURY`: a plea cell run into the disposition cell.
                plea = _PLEA_PREFIX.match(last.group())
                first = last.start() + (plea.end() if plea else 0)
                out.append((base + first, base + last.end(), L.DISPOSITION))
                out.append((base + rest.start("date"), base + rest.end("date"), L.DISPOSITION_DATE))
    for m in _DATED_COUNT_ROW.finditer(text):
        end = m.end("more") if m.group("more").strip() else m.end("v")
        value_end = end - 1 if text[end - 1] == "." else end
        is_update = bool(_UPDATE_WORDS.search(text[m.start("v") : value_end]))
        out.append((m.start("date"), m.end("date"), L.UPDATE_DATE if is_update else L.SENTENCE_DATE))
        out += _group(m, "n", L.COUNT_NO)
        out.append((m.start("v"), value_end, L.UPDATE if is_update else L.SENTENCE))
    return out


def _proceedings_spans(text: str) -> list[Span]:
    """Dated free-text entries: a date line, then an indented paragraph."""
    out: list[Span] = []
    for head in _ENTRY_HEAD.finditer(text):
        body_start = head.end() + 1
        position = body_start
        while position < len(text):
            line = _ENTRY_BODY_LINE.match(text, position)
            if not line:
                break
            position = line.end() + 1
        body_end = min(position - 1, len(text))
        if body_end <= body_start:
            continue
        spans = _entry_spans(text, body_start, body_end)
        if not spans:
            continue
        kinds = {label for _, _, label in spans}
        date_label = (
            L.DISPOSITION_DATE
            if L.DISPOSITION in kinds
            else L.SENTENCE_DATE
            if L.SENTENCE in kinds
            else L.UPDATE_DATE
            if L.UPDATE in kinds
            else None
        )
        if date_label:
            out.append((head.start("date"), head.end("date"), date_label))
        out += spans
    return out


def _entry_spans(text: str, start: int, end: int) -> list[Span]:
    body = text[start:end]
    out: list[Span] = []
    for m in _DISPOSITION_PHRASE.finditer(body):
        out.append((start + m.start(), start + m.end(), L.DISPOSITION))
    for m in _VIOLATION_OF.finditer(body):
        if Charge.try_parse(m.group("charge")):
            out += [
                (start + m.start("charge"), start + m.end("charge"), L.CHARGE),
                (start + m.start("sev"), start + m.end("sev"), L.SEVERITY),
            ]
    for m in _SENTENCE_CLAUSE.finditer(body):
        out.append((start + m.start("v"), start + m.end("v"), L.SENTENCE))
    # A paragraph that is only `AS TO COUNT n: <change>.` is a later update.
    stripped = body.strip()
    lead = len(body) - len(body.lstrip())
    m = _UPDATE_CLAUSE.match(stripped)
    if m and _UPDATE_WORDS.search(m.group("v")) and not any(label == L.SENTENCE for *_, label in out):
        out.append((start + lead + m.start("v"), start + lead + m.end("v"), L.UPDATE))
    if out:
        for m in _COUNT_REF.finditer(body):
            out.append((start + m.start("n"), start + m.end("n"), L.COUNT_NO))
    return out


def _resolve(spans: list[Span]) -> list[Span]:
    """Drop empty and overlapping spans: the first found (rules are ordered by certainty) wins."""
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    for start, end, label in spans:
        if end <= start:
            continue
        if any(start < e and s < end for s, e in taken):
            continue
        chosen.append((start, end, label))
        taken.append((start, end))
    return sorted(chosen)
