"""Redaction for annotation outside the office that holds the records.

Names, dates of birth, CII numbers, case numbers and street addresses (and the social
security, FBI and driver's licence numbers RAP sheets print) are replaced by
fakes derived with HMAC-SHA256 under a secret project key:

* the same value gives the same fake everywhere in the project (a surname is one fake
  surname on every page and in every alias), so annotators still see who is who;
* without the key nobody can tell which fake a candidate name would get, so a list of
  candidate names does not reverse them (a plain hash would: hash the candidates, compare);
* the fake keeps the value's form: a name part becomes a name from `docmine.synth.names`
  in the same letter case, a date of birth a valid date in the same format (`19650314`,
  `03/14/1965`, `3-14-65`), a CII or case number keeps its letters and gets other digits.

Fakes may differ in length, so every replacement is kept in an offset map (`Redacted`):
spans are moved onto the redacted text for export and back for import, and nothing else
on the page moves except by the length differences before it.

The key is 32 random bytes in a file (`annotations/.redaction.key` by default, created
with `secrets.token_bytes` when missing, never exported, ignored by git).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import regex

from docmine.errors import DocmineError
from docmine.labels import CASE_NUMBER, CII, DOB, PERSON_NAME

Span = tuple[int, int, str]
DEFAULT_KEY_PATH = Path("annotations") / ".redaction.key"
REDACTED_LABELS = frozenset({PERSON_NAME, DOB, CII, CASE_NUMBER})
ADDRESS = "ADDRESS"  # redaction kinds, not entity labels
IDENTIFIER = "IDENTIFIER"

# Values found by their printed form even where no span marks them.
# OCR reads the keys loosely (`C1I/`, `€11/`, `$0C/`), so they are matched loosely.
_KEYED = regex.compile(
    r"(?:\b|(?<=[^A-Za-z0-9]))(?:"
    r"[C€(][I1lLi|]{1,3}I?/(?P<cii>[A-Z]?[0-9OIlS%]{7,9})"
    r"|DOB[/:]\s?(?P<dob>[0-9OIl/-]{6,10})"
    r"|[S$5][O0]C/(?P<soc>[0-9OIlS]{9})"
    r"|FBI/(?P<fbi>[0-9A-Z]{6,10})"
    r"|CDL/(?P<cdl>[A-Z0-9]{6,10}))"
)
_ADDRESS = regex.compile(
    r"\b(?P<number>[0-9]{2,6}) (?P<street>(?:[NSEW]\.? )?[A-Z][A-Z']+(?: [A-Z][A-Z']+){0,2}) "
    r"(?P<kind>ST|STREET|AVE|AVENUE|BLVD|RD|ROAD|DR|DRIVE|LN|LANE|WAY|CT|PL|PLACE|CIR|HWY|PKWY|TER|PLAZA|SQUARE)\b"
)
_DATE_FORMS = (
    (regex.compile(r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$"), "{y:04d}{m:02d}{d:02d}"),
    (regex.compile(r"^(?P<m>[0-9]{1,2})(?P<s>[/-])(?P<d>[0-9]{1,2})(?P=s)(?P<y>[0-9]{4})$"), None),
    (regex.compile(r"^(?P<m>[0-9]{1,2})(?P<s>[/-])(?P<d>[0-9]{1,2})(?P=s)(?P<y>[0-9]{2})$"), None),
    (regex.compile(r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})$"), "{y:04d}-{m:02d}-{d:02d}"),
)
_MONTHS_LONG = (
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
)
_MONTHS_SHORT = tuple(m[:3] for m in _MONTHS_LONG)
_MONTH_DATE = regex.compile(r"^(?P<mon>[A-Za-z]{3,9}\.?) (?P<d>[0-9]{1,2})(?P<sep>,? )(?P<y>[0-9]{4})$")
_STREET_NAMES = (
    "OAK",
    "MAPLE",
    "CEDAR",
    "PINE",
    "ELM",
    "WALNUT",
    "LINCOLN",
    "JEFFERSON",
    "MADISON",
    "WASHINGTON",
    "LAUREL",
    "SYCAMORE",
    "HILLSIDE",
    "LAKEVIEW",
    "MEADOW",
    "SUNSET",
    "VALLEY",
    "RIDGE",
    "MISSION",
    "SIERRA",
    "PALM",
    "ORCHARD",
    "WILLOW",
    "CYPRESS",
    "GRANT",
    "FRANKLIN",
    "HARBOR",
    "CANYON",
)


# --- key --------------------------------------------------------------------------------------


def load_key(path: str | Path | None = None, *, create: bool = True) -> bytes:
    """The project's secret key; a new random one is written (mode 600) when `path` is missing."""
    path = Path(path) if path is not None else DEFAULT_KEY_PATH
    if path.is_file():
        key = path.read_bytes()
        if len(key) < 16:
            raise DocmineError(f"{path}: redaction key too short ({len(key)} bytes; need at least 16)")
        return key
    if not create:
        raise DocmineError(f"{path}: no redaction key")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


# --- offset map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    start: int  # original text
    end: int
    new_start: int  # redacted text
    new_end: int
    kind: str


@dataclass(frozen=True)
class Redacted:
    """A redacted page: its text and where each replacement stands in both texts."""

    original: str
    text: str
    replacements: tuple[Replacement, ...]

    def to_redacted(self, spans: Iterable[Span]) -> list[Span]:
        return _move(spans, self.replacements, forward=True)

    def to_original(self, spans: Iterable[Span]) -> list[Span]:
        return _move(spans, self.replacements, forward=False)

    def offset_map(self) -> list[list[int | str]]:
        """`[start, end, new_start, new_end, kind]` per replacement (kept in the office)."""
        return [[r.start, r.end, r.new_start, r.new_end, r.kind] for r in self.replacements]


def _move(spans: Iterable[Span], reps: Sequence[Replacement], *, forward: bool) -> list[Span]:
    """Spans moved across the replacements. A boundary inside a replaced value snaps to
    the value's edge (a span covers a whole name or none of it)."""
    src = [
        (r.start, r.end, r.new_start, r.new_end) if forward else (r.new_start, r.new_end, r.start, r.end) for r in reps
    ]
    starts = [a for a, _, _, _ in src]

    def move(pos: int, is_end: bool) -> int:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0:
            return pos
        a, b, na, nb = src[k]
        if pos == a:
            return na
        if pos < b:  # inside a replaced value: snap outwards
            return nb if is_end else na
        return pos - b + nb

    out = []
    for start, end, label in spans:
        s, e = move(start, False), move(end, True)
        if e > s:
            out.append((s, e, label))
    return out


# --- fakes ------------------------------------------------------------------------------------


class Redactor:
    """Derives fakes from the key; one per project key, reused across pages."""

    def __init__(self, key: bytes):
        self._key = key

    def _digest(self, kind: str, value: str) -> bytes:
        return hmac.new(self._key, f"{kind}\x00{value}".encode("utf-8"), hashlib.sha256).digest()

    def _number(self, kind: str, value: str) -> int:
        return int.from_bytes(self._digest(kind, value), "big")

    def name_part(self, word: str) -> str:
        """A fake for one word of a name, in the word's letter case; initials stay initials."""
        letters = word.upper()
        if len(letters) == 1:
            fake = "ABCDEFGHIJKLMNOPRSTW"[self._number("initial", letters) % 20]
        else:
            surnames, given = _name_pools()
            pool = given if letters in _given_only() else surnames
            candidates = [n for n in pool if n != letters]
            fake = candidates[self._number("name", letters) % len(candidates)]
        return _same_case(word, fake)

    def name(self, value: str) -> str:
        return regex.sub(r"\p{L}+", lambda m: self.name_part(m.group()), value)

    def shape(self, kind: str, value: str, keep_letters: bool = False) -> str:
        """Digits replaced by digits (and letters by letters unless `keep_letters`), drawn
        from the keyed digest of the whole value: same value, same fake."""
        stream = self._digest(kind, value)
        while len(stream) < 2 * len(value):
            stream += hashlib.sha256(stream).digest()
        out = []
        for i, ch in enumerate(value):
            b = stream[i]
            if ch.isdigit():
                out.append(str(b % 10))
            elif ch.isalpha() and not keep_letters:
                out.append(_same_case(ch, chr(ord("A") + b % 26)))
            else:
                out.append(ch)
        fake = "".join(out)
        return fake if fake != value else self.shape(kind + "'", value, keep_letters)

    def date_of_birth(self, value: str) -> str:
        """A valid date in the same format, 1935-2004; a value that is not a readable date
        (OCR broke it) keeps its shape instead."""
        for pattern, form in _DATE_FORMS:
            m = pattern.match(value)
            if not m:
                continue
            day = dt.date(1935, 1, 1) + dt.timedelta(days=self._number("dob", value) % (70 * 365))
            if form is not None:
                return form.format(y=day.year, m=day.month, d=day.day)
            sep = m.group("s")
            month = f"{day.month:02d}" if len(m.group("m")) == 2 else str(day.month)
            dom = f"{day.day:02d}" if len(m.group("d")) == 2 else str(day.day)
            year = f"{day.year:04d}" if len(m.group("y")) == 4 else f"{day.year % 100:02d}"
            return f"{month}{sep}{dom}{sep}{year}"
        m = _MONTH_DATE.match(value)
        if m:  # `MAR 14, 1965`, `March 14, 1965`
            day = dt.date(1935, 1, 1) + dt.timedelta(days=self._number("dob", value) % (70 * 365))
            names = _MONTHS_LONG if len(m.group("mon").rstrip(".")) > 3 else _MONTHS_SHORT
            month = _same_case(m.group("mon"), names[day.month - 1]) + ("." if m.group("mon").endswith(".") else "")
            printed = m.group("d")
            # The day keeps its printed width (`26` stays two digits, `4` one), so that the
            # redacted text keeps every offset and the shape of the original.
            if len(printed) == 2 and printed[0] != "0" and day.day < 10:
                day = day.replace(day=day.day + 10)
            elif len(printed) == 1 and day.day >= 10:
                day = day.replace(day=day.day % 9 + 1)
            dom = f"{day.day:02d}" if len(printed) == 2 else str(day.day)
            return f"{month} {dom}{m.group('sep')}{day.year}"
        return self.shape("dob", value, keep_letters=True)

    def street(self, value: str) -> str:
        words = value.split(" ")
        prefix = [words[0]] if regex.fullmatch(r"[NSEW]\.?", words[0]) and len(words) > 1 else []
        name = " ".join(words[len(prefix) :])
        fake = _STREET_NAMES[self._number("street", name) % len(_STREET_NAMES)]
        return " ".join([*prefix, fake])

    # --- a page ---

    def redact(self, text: str, spans: Iterable[Span] = ()) -> Redacted:
        """Redact one page. `spans` (gold or predicted) say where names, dates of birth, CII
        and case numbers are; the printed forms `CII/...`, `DOB/...`, street addresses, and
        every other whole-word occurrence of a redacted name's words are found as well."""
        edits: list[tuple[int, int, str, str]] = []
        name_words: set[str] = set()
        for start, end, label in spans:
            if label not in REDACTED_LABELS:
                continue
            value = text[start:end]
            if label == PERSON_NAME:
                for m in regex.finditer(r"\p{L}{2,}", value):
                    name_words.add(m.group().upper())
                edits.append((start, end, self.name(value), label))
            elif label == DOB:
                edits.append((start, end, self.date_of_birth(value), label))
            elif label == CII:
                edits.append((start, end, self.shape("cii", value, keep_letters=True), label))
            else:
                edits.append((start, end, self.shape("case", value, keep_letters=True), label))
        for m in _KEYED.finditer(text):
            if m.group("cii"):
                edits.append((m.start("cii"), m.end("cii"), self.shape("cii", m.group("cii"), keep_letters=True), CII))
            elif m.group("dob"):
                value = m.group("dob").rstrip("/-")
                edits.append((m.start("dob"), m.start("dob") + len(value), self.date_of_birth(value), DOB))
            else:  # social security, FBI and driver's licence numbers: no label, still identifying
                kind = next(k for k in ("soc", "fbi", "cdl") if m.group(k))
                edits.append((m.start(kind), m.end(kind), self.shape(kind, m.group(kind)), IDENTIFIER))
        for m in _ADDRESS.finditer(text):
            edits.append((m.start("number"), m.end("number"), self.shape("house", m.group("number")), ADDRESS))
            edits.append((m.start("street"), m.end("street"), self.street(m.group("street")), ADDRESS))
        # The digits of a CII or case number printed again elsewhere (`RE: QHY.CA0040587.02697795`).
        for start, end, fake, kind in list(edits):
            if kind in (CII, CASE_NUMBER):
                digits = regex.sub(r"[^0-9]", "", text[start:end])
                if len(digits) >= 6:
                    fake_digits = regex.sub(r"[^0-9]", "", fake)
                    for m in regex.finditer(rf"(?<![0-9]){digits}(?![0-9])", text):
                        edits.append((m.start(), m.end(), fake_digits, kind))
        if name_words:
            # Other mentions of the same people (signature lines, "DEFENDANT JOSE MARTINEZ").
            words = regex.compile(
                r"\b(?:" + "|".join(regex.escape(w) for w in sorted(name_words)) + r")\b", regex.IGNORECASE
            )
            for m in words.finditer(text):
                edits.append((m.start(), m.end(), self.name_part(m.group()), PERSON_NAME))
        return _apply(text, edits)


def _apply(text: str, edits: list[tuple[int, int, str, str]]) -> Redacted:
    """Apply non-overlapping edits (an edit inside an earlier, longer one is dropped)."""
    kept: list[tuple[int, int, str, str]] = []
    for edit in sorted(edits, key=lambda e: (e[0], -(e[1] - e[0]))):
        if kept and edit[0] < kept[-1][1]:
            continue
        kept.append(edit)
    out, reps, position, delta = [], [], 0, 0
    for start, end, fake, kind in kept:
        out += [text[position:start], fake]
        reps.append(Replacement(start, end, start + delta, start + delta + len(fake), kind))
        delta += len(fake) - (end - start)
        position = end
    out.append(text[position:])
    return Redacted(text, "".join(out), tuple(reps))


def _same_case(model: str, word: str) -> str:
    if model.isupper() or len(model) == 1 and model.isupper():
        return word.upper()
    if model.islower():
        return word.lower()
    return word.title()


@lru_cache(maxsize=1)
def _given_only() -> frozenset[str]:
    surnames, given = _name_pools()
    return frozenset(given) - frozenset(surnames)


@lru_cache(maxsize=1)
def _name_pools() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(every surname, every given name) of the synthetic name pools, sorted: fakes come
    from the same lists the generator draws people from."""
    from docmine.synth.names import POOLS

    surnames = sorted({n for pool in POOLS.values() for n in pool["surnames"] if n.isalpha()})
    given = sorted({n for pool in POOLS.values() for k in ("male", "female") for n in pool.get(k, ()) if n.isalpha()})
    return tuple(surnames), tuple(given)
