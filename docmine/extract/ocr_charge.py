"""Read a charge that OCR bent: `273.5{A)} PC`, `11357'B) HS`, `$94(A} PC`, `459 BC-BURGLARY`.

A charge line is rigid — a section, subsections in parentheses, a code word, a hyphen and a
description — so most of what Tesseract does to it can be undone with certainty: braces
and brackets for parentheses, `$` for 5, a stray dot before a parenthesis, `BC`/`PQ` for
`PC`, `H5`/`H8`/`BS` for `HS`. A digit misread as another digit cannot be undone from the
form (`11387A HS-POSS MARIJUANA`): such a count is left as read and its confidence drops
when its description and its section disagree (`docmine.extract.confidence`). Everything
else stays unreadable: no guesses.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from docmine.charges import Charge, ChargeParseError
from docmine.confusions import DIGIT_FOR_LETTER_STRICT, translation

# A charge description that names marijuana (`POSS MARIJ`, `CONC CANNABIS`, `HASHISH`).
MARIJUANA_WORDS = regex.compile(r"MARI[JIL1]|MAR[IL1]J|CANNAB|HASH|CONC\s*CANN", regex.IGNORECASE)

_CODE_WORDS = {
    "HS": ("HS", "H5", "H$", "H8", "HB", "BS", "H&", "HSC", "H&S"),
    "PC": ("PC", "BC", "PQ", "PG", "P0", "PO", "FC", "RC"),
    "VC": ("VC", "VG", "VE", "V0", "VO"),
    "BP": ("BP", "B&P"),
    "WI": ("WI", "W&I"),
}
_CODE_FOR = {variant: code for code, variants in _CODE_WORDS.items() for variant in variants}
_CODE_ALTERNATION = "|".join(sorted((regex.escape(v) for v in _CODE_FOR), key=len, reverse=True))
_HEAD = regex.compile(
    r"^(?P<junk>[\s_*|.,'\u2018\u2019~\-]*)"
    r"(?P<section>[0-9OIlSs$/](?:[0-9A-Za-z$/.(){}\[\]'\u2018\u2019&\u00a2\u00a3| ]{1,28}?))"
    r"[\s\-:;.,]{0,2}(?P<code>" + _CODE_ALTERNATION + r")(?![A-Za-z0-9])"
)
_DIGIT_FOR = translation(DIGIT_FOR_LETTER_STRICT)
# A docket prints the code first (`H&S 11357(B)`): a code word, then the section up to a blank,
# with a real digit among its first three characters.
_LEAD = " \t_*|.,'\u2018\u2019~-"
_SECTION_AFTER_CODE = regex.compile(
    r"\s?(?P<section>(?=[0-9OIlSs$]{0,2}[0-9])[0-9OIlSs$]"
    r"(?:[0-9A-Za-z$/.(){}\[\]'\u2018\u2019&\u00a2\u00a3|]|-(?=[0-9]))*)"
)


@dataclass(frozen=True)
class ReadCharge:
    charge: Charge
    end: int  # where the charge ends in the text given (after the code word)
    repairs: int  # 1 when the text needed repairs to be read, else 0


def read_charge(text: str) -> ReadCharge | None:
    """The charge at the start of `text`, read through OCR damage, or None: a RAP sheet's
    section before its code (`11357'B) HS`) or a docket's code before its section
    (`H&S 1l357(B}`, `HES 11358`)."""
    match = _HEAD.match(text)
    if not match:
        return _read_code_first(text)
    section, code = match.group("section"), match.group("code")
    fixed, repairs = _repair_section(section)
    repairs += code != _CODE_FOR[code]
    try:
        charge, _ = Charge.parse_prefix(f"{fixed} {_CODE_FOR[code]}")
    except ChargeParseError:
        return None
    return ReadCharge(charge, match.end("code"), repairs)


def _repair_section(section: str) -> tuple[str, int]:
    original = section
    s = section.strip()
    s = s.replace("\u00a3", "E").replace("\u2018", "'").replace("\u2019", "'")
    s = s.replace("\u00a2", "C")  # 11357¢ -> 11357C: a cent sign for a C
    s = s.translate(str.maketrans("{[]}", "(())"))
    s = regex.sub(r"\)+", ")", regex.sub(r"\(+", "(", s))
    s = regex.sub(r"\)\s*\)", ")", s)
    if "(" not in s:
        s = s.rstrip(")")  # 11351)HS -> 11351
    if s.count("(") > s.count(")"):  # the closing parenthesis may sit in the separator
        s += ")"
    s = regex.sub(r"'([A-Za-z0-9])\)?$", r"(\1)", s)  # 11357'B) -> 11357(B)
    s = regex.sub(r"(?<=\()&(?=\))", "A", s)  # (&) -> (A)
    s = regex.sub(r"(?<=\([A-Z])[1lIYj](?=\(|$)", ")", s)  # (A1(4) -> (A)(4), (Aj -> (A)
    s = regex.sub(r"(?<=\([A-Z])E(?=\))", "", s) if regex.search(r"\(EE\)", s) else s
    s = regex.sub(r"\.(?=\s*\(|\s*$)", "", s)  # 11379. (A) -> 11379(A)
    s = regex.sub(r"(?<=\d)\s+(?=\()", "", s)  # 11379 (A) -> 11379(A)
    # Digits and their look-alikes in the section number itself (before any parenthesis).
    head, _, rest = s.partition("(")
    head_fixed = regex.sub(r"(?<![0-9])664/", "664/", head)
    if "/" in head_fixed and not head_fixed.startswith("664/"):
        head_fixed = head_fixed.replace("/", "")  # 1135/7D -> 11357D
    head_fixed = regex.sub(
        r"[OIlSs$|](?=[0-9OIlSs$|]*[0-9])|(?<=[0-9])[OIl|$]|(?<=[0-9]\.)[Ss](?=$)",
        lambda m: m.group(0).translate(_DIGIT_FOR),
        head_fixed,
    )
    s = head_fixed + ("(" + rest if _ or rest else "")
    return s, int(s != original.strip())


def _read_code_first(text: str) -> ReadCharge | None:
    lead = len(text) - len(text.lstrip(_LEAD))
    for n in (3, 2, 1):  # the longest code word first: H&S before H&
        printed = text[lead : lead + n].upper()
        if len(printed) < n or any(c.isspace() for c in printed):
            continue
        if printed not in _CODE_FOR and printed[-1].isdigit():
            continue  # `HS1` of `HS11357`: the digit begins the section
        code = _CODE_FOR.get(printed) or _nearest_code(printed)
        match = _SECTION_AFTER_CODE.match(text, lead + n)
        if code is None or match is None:
            continue
        section = match.group("section").rstrip(".,;:")
        fixed, repairs = _repair_section(section)
        try:
            charge, _ = Charge.parse_prefix(f"{code} {fixed}")
        except ChargeParseError:
            continue
        return ReadCharge(charge, match.start("section") + len(section), repairs + (printed not in _CODE_FOR))
    return None


def _nearest_code(word: str) -> str | None:
    """The one code word a misread word is a character away from (`HES` for `H&S`, `¥S` for `HS`)."""
    word = word.upper()
    found = {_CODE_FOR[c] for c in _CODE_FOR if len(c) == len(word) and sum(a != b for a, b in zip(c, word)) == 1}
    return found.pop() if len(found) == 1 else None
