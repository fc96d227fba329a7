"""Repair OCR confusions where the record format makes the right reading certain.

RAP sheets and dockets are rigid: `CNT:` starts a count, a date is eight digits, a code
section is digits before `HS`/`PC`. So `CHT:01` can only be `CNT:01`, `1989O314` only
`19890314`, and `CO N VI CTE D` only `CONVICTED`. Repairs are made only in such slots;
free text is left alone.

Every repair keeps a map back to the original offsets: a span found in the normalised
text is mapped back with `Normalized.source_span`, so provenance points at the words as
they were read (the idea eyecite uses for cleaned text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import regex

from docmine.confusions import DIGIT_FOR_LETTER, DIGIT_FOR_LETTER_STRICT, LETTER_FOR_DIGIT, digitish, translation

# Letters OCR reads for digits (`docmine.confusions`): the loose table inside slots that can
# only hold digits, the strict one where letters may belong (case numbers, sections).
_DIGIT_FOR = translation(DIGIT_FOR_LETTER)
_LETTER_FOR = translation(LETTER_FOR_DIGIT)
_DIGIT_FOR_STRICT = translation(DIGIT_FOR_LETTER_STRICT)
_DIGITISH = digitish(DIGIT_FOR_LETTER)

# Words whose letters OCR spaces apart or misreads; matched with up to the given errors
# only where they stand at the start of a record line (after optional `*` and blanks).
_KEYWORDS: dict[str, int] = {
    "CONVICTED": 2,
    "DISMISSED": 2,
    "CONV STATUS": 2,
    "PROBATION": 2,
    "MISDEMEANOR": 2,
    "FELONY": 1,
    "DISPO": 1,
    "COURT": 1,
    "CUSTODY": 1,
    "REGISTRATION": 2,
    "ARR/DET/CITE": 2,
}


# Words records print at a line's start that lie within a keyword's error budget.
_REAL_WORDS = frozenset({"COUNT", "COUNTS", "COUNTY", "COURTS", "CONVICT", "CONVICTION", "DISMISS", "CUSTODIAL"})


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    replacement: str
    rule: str


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, for each of its characters (plus the end), the source offset."""

    source: str
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries
    edits: tuple[Edit, ...]  # in source coordinates, for audit

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the source text that produced `text[start:end]`."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} outside normalised text of length {len(self.text)}")
        if start == end:
            return self.offsets[start], self.offsets[start]
        # Where the next character starts, but never before the last one's own character
        # (a lengthening repair maps several output characters to one source character).
        return self.offsets[start], max(self.offsets[end], self.offsets[end - 1] + 1)

    def source_text(self, start: int, end: int) -> str:
        s, e = self.source_span(start, end)
        return self.source[s:e]


def normalize(text: str) -> Normalized:
    """Apply every repair rule once; edits never overlap and never cross a line."""
    edits = _resolve(edit for rule in _RULES for edit in rule(text))
    out: list[str] = []
    offsets: list[int] = []
    position = 0
    for edit in edits:
        out.append(text[position : edit.start])
        offsets.extend(range(position, edit.start))
        out.append(edit.replacement)
        offsets.extend(_spread(edit.start, edit.end, len(edit.replacement)))
        position = edit.end
    out.append(text[position:])
    offsets.extend(range(position, len(text) + 1))
    return Normalized(text, "".join(out), tuple(offsets), tuple(edits))


def _spread(start: int, end: int, length: int) -> Iterable[int]:
    """Source offsets for `length` output characters that replace source[start:end]."""
    width = end - start
    if length == 0:
        return []
    return [start + (i * width) // length for i in range(length)]


def _resolve(edits: Iterable[Edit]) -> list[Edit]:
    """Keep the earliest of overlapping edits (rules are ordered by how certain they are)."""
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -(e.end - e.start))):
        if edit.replacement == "" and edit.start == edit.end:
            continue
        if chosen and edit.start < chosen[-1].end:
            continue
        chosen.append(edit)
    return chosen


# --- rules ------------------------------------------------------------------------------

Rule = Callable[[str], Iterable[Edit]]


def _sub_rule(name: str, pattern: str, repl: Callable[[regex.Match], str], flags: int = 0) -> Rule:
    compiled = regex.compile(pattern, flags | regex.MULTILINE)

    def rule(text: str) -> Iterable[Edit]:
        for match in compiled.finditer(text):
            replacement = repl(match)
            if replacement != match.group(0):
                yield Edit(match.start(), match.end(), replacement, name)

    rule.__name__ = name
    return rule


# How OCR writes the `CNT` label of a count line.
_COUNT_LABEL = r"(?:C[NHM][TIl17]|(?i:CNT){s<=1:[A-Za-z]}|(?i:CNT){i<=1:[a-z]})"

# `CHT:01`, `CNI:01`, `CN7:01`, `CMT:01`, `CNT;01` -> `CNT:01` at the start of a count line.
_count_label_rule = _sub_rule(
    "count_label", r"^(?<lead>[ \t]*)\K" + _COUNT_LABEL + r"(?P<sep>[:;])(?=\s*\d|\s*[0-9OoQDIil]{2})", lambda m: "CNT:"
)


def _count_number(match: regex.Match) -> str:
    return _digits(match) if any(c.isdigit() for c in match.group(0)) else match.group(0)


# The count number after the label is two or three digits: `CNT:Q1`, `CNT:0l` -> `CNT:01`.
_count_number_rule = _sub_rule(
    "count_number_digits", r"^[ \t]*" + _COUNT_LABEL + r"[:;][ \t]*\K[0-9OoQDIil|]{2,3}(?=[ \t]|-|$)", _count_number
)


def _digits(match: regex.Match) -> str:
    return match.group(0).translate(_DIGIT_FOR)


def _date(match: regex.Match) -> str:
    found = match.group(0)
    repaired = regex.sub(r"[.,]", "", found).translate(_DIGIT_FOR)
    # Certain only when most characters were digits and the result is a real date.
    if sum(c.isdigit() for c in found) < 5 or not _plausible_date(repaired):
        return found
    return repaired


def _plausible_date(digits: str) -> bool:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    return 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31


# Eight-character dates (YYYYMMDD) at the start of an event or update line, or after
# `DOB/`; a stray dot or comma inside (`1989.0314`) is dropped.
_date_rule = _sub_rule(
    "date_digits",
    rf"(?:(?<=^[ \t]*)|(?<=DOB/)|(?<=DOB/(?:\d{{8}} )+))(?<![0-9A-Za-z])"
    rf"(?:{_DIGITISH}[.,]?){{7}}{_DIGITISH}(?![0-9A-Za-z])",
    _date,
)

# Section numbers before a code word: `1l357(B) HS` -> `11357(B) HS`, `66411357` glued kept.
_section_rule = _sub_rule(
    "section_digits",
    rf"(?<![0-9A-Za-z]){_DIGITISH}*[0-9]{_DIGITISH}*(?=(?:[.,]\d{{1,3}})?(?:[A-Z](?![A-Za-z]))?(?:\([A-Za-z0-9]{{1,4}}\))*\s?(?:HS|H&S|PC|VC|BP|WI)\b)",
    lambda m: _section(m.group(0)),
)


def _section(found: str) -> str:
    if sum(c.isdigit() for c in found) < 2:
        return found
    # A capital A-H glued after three or more characters is a subsection (`11357B HS`,
    # `11360D HS`), not a misread 8 or 0.
    if len(found) >= 4 and found[-1] in "ABCDEFGH":
        return found[:-1].translate(_DIGIT_FOR_STRICT) + found[-1]
    return found.translate(_DIGIT_FOR_STRICT)


def _case_number(match: regex.Match) -> str:
    prefix, body = match.group("prefix"), match.group("body")
    digits = sum(c.isdigit() for c in body)
    if len(body) < 4 or digits < 0.7 * len(body):
        return match.group(0)
    # A letter at the end is a real suffix (`388555T`), not a misread digit.
    return prefix + body[:-1].translate(_DIGIT_FOR_STRICT) + body[-1]


# Case numbers after `#` (RAP-sheet counts): a letter prefix is kept (`BA123456`), the
# digit-dominant rest is repaired (`#l9514114` -> `#19514114`).
_case_rule = _sub_rule(
    "case_number_digits", rf"(?<=#)(?P<prefix>[A-Z]{{0,3}}(?=[0-9])|)(?P<body>{_DIGITISH}+)(?![A-Za-z])", _case_number
)


def _keyword_rule(text: str) -> Iterable[Edit]:
    """`CO N VI CTE D`, `COMVICTED`, `DISMlSSED` at a record line's start -> the keyword."""
    for keyword, errors in _KEYWORDS.items():
        # Letters of the keyword with optional blanks between them (broken spacing),
        # fuzzily matched, only after `^ *`, `*DISPO:` or `CONV STATUS:` slots.
        letters = r"[ ]?".join(regex.escape(c) for c in keyword.replace(" ", ""))
        pattern = regex.compile(
            rf"(?:^[ \t]*\*?|(?<=DISPO:)|(?<=STATUS:))\K(?:{letters}){{e<={errors}}}(?=[:/ \t]|$)",
            regex.MULTILINE | regex.BESTMATCH,
        )
        for match in pattern.finditer(text):
            found = match.group(0)
            if found == keyword or not found.strip():
                continue
            # A fuzzy match may swallow the blank before the word (`DISPO: CONVICTED`):
            # the edit starts at the word, so provenance does too.
            start = match.start() + len(found) - len(found.lstrip(" "))
            found = found.lstrip(" ")
            compact = found.replace(" ", "")
            if compact in _REAL_WORDS:  # `COUNT 01:` is a count, not a misread `COURT`
                continue
            if abs(len(compact) - len(keyword.replace(" ", ""))) > errors:
                continue
            # Only letters, or digits OCR reads for letters (MISDEMEAN0R), may differ.
            compact = compact.translate(_LETTER_FOR)
            if any(not (c.isalpha() or c == "/") for c in compact):
                continue
            if keyword.replace(" ", "") == compact or _close(compact, keyword.replace(" ", ""), errors):
                yield Edit(start, match.end(), keyword, "keyword")


def _close(a: str, b: str, errors: int) -> bool:
    return regex.fullmatch(rf"(?:{regex.escape(b)}){{e<={errors}}}", a) is not None and a[:1] == b[:1]


_RULES: tuple[Rule, ...] = (_count_label_rule, _count_number_rule, _date_rule, _section_rule, _case_rule, _keyword_rule)
