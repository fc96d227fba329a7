"""Charges: one canonical form (`HS 11357(b)`) for the many ways records spell a code section.

`Charge.parse` reads what RAP sheets, dockets and DOJ files actually print
(`11357(B) HS`, `H&S 11359`, `664/11359 HS`, `66411357(c) HS`, `487(A)-664 PC`, ...).
It only ever normalises spelling: a section number is kept digit for digit, so a
look-alike such as HS 11357.5 or HS 11361 can never become a marijuana charge here.
Which sections the law clears is decided in the eligibility stage, not in this module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import regex

# Code abbreviations as records print them -> canonical code. Longest spellings first
# so that "H&S" is not read as "H" + "S".
_CODE_SPELLINGS: dict[str, str] = {
    "HEALTH AND SAFETY": "HS",
    "HEALTH & SAFETY": "HS",
    "H AND S": "HS",
    "H & S": "HS",
    "H&S": "HS",
    "H/S": "HS",
    "H.S.": "HS",
    "H.S": "HS",
    "HSC": "HS",
    "HS": "HS",
    "P.C.": "PC",
    "P.C": "PC",
    "PEN": "PC",
    "PC": "PC",
    "V.C.": "VC",
    "V.C": "VC",
    "VEH": "VC",
    "VC": "VC",
    "B & P": "BP",
    "B&P": "BP",
    "B/P": "BP",
    "B.P.": "BP",
    "BPC": "BP",
    "BP": "BP",
    "W & I": "WI",
    "W&I": "WI",
    "W/I": "WI",
    "WIC": "WI",
    "WI": "WI",
    "F&G": "FG",
    "FG": "FG",
    "GC": "GC",
    "RT": "RT",
    "MC": "MC",
    "CCR": "CCR",
    "US": "US",
    "USC": "US",
}

CODES: frozenset[str] = frozenset(_CODE_SPELLINGS.values())

# Sections whose number ends in a letter (PC 273a child endangerment, PC 288a, a PC 290
# registrable offence). Written glued ("273A PC"), the letter is part of the section;
# for any other section a glued letter is a subsection ("11357B HS" is HS 11357(b)).
LETTERED_SECTIONS: dict[str, frozenset[str]] = {
    "PC": frozenset(
        {
            "137b",
            "148a",
            "166a",
            "243e",
            "273a",
            "273d",
            "288a",
            "311a",
            "537e",
            "594a",
            "647b",
            "653f",
            "653g",
            "653h",
            "653j",
            "653k",
            "653m",
            "653w",
        }
    ),
    "VC": frozenset(),
    "HS": frozenset(),
}

_code_alternatives = "|".join(
    regex.escape(s).replace(r"\ ", r"\s*") for s in sorted(_CODE_SPELLINGS, key=len, reverse=True)
)
# A code word must stand on its own: "HS" but not the "HS" inside "PHS".
_CODE = rf"(?<![A-Z])(?P<code>{_code_alternatives})(?![A-Z])"

# The section with its subsections, e.g. "11360(A)(2)", "11357B", "490.2", "490,2" (an OCR
# comma for the dot), "11357 (B)". Subsections are letters, digits or roman numerals.
_SECTION = r"""
    (?P<number>\d{1,6}(?:\s?[.,]\s?\d{1,3})?)
    (?P<range>\s?-\s?(?!664(?![\d.]))\d{1,6}(?:\.\d{1,3})?)?   # combined sections: 484-487
    (?P<glued>[A-Z](?![A-Z]))?                    # 11357B
    (?P<glued_digit>(?<=[0-9][A-Z])[0-9](?![0-9.]))?  # 11357B2: (b)(2), as DOJ rows print it
    (?P<subs>(?:\s?-?\s?\(\s?[A-Z0-9]{1,4}\s?\))*)  # (A)(2), (c)(iv); combined: (A)-(B)
"""
# Attempt marker before the target ("664/11359", "664-11357(c)", "664 11357") or after
# it ("487(A)-664", "459/664").
_ATTEMPT_BEFORE = r"(?P<att_before>664\s?[/\-.]?\s?)"
_ATTEMPT_AFTER = r"(?P<att_after>\s?[/\-]\s?664(?![\d.]))"

_CODE_FIRST = regex.compile(
    rf"^\s*{_CODE}\s*[-:.]?\s*{_ATTEMPT_BEFORE}?{_SECTION}{_ATTEMPT_AFTER}?(?P<rest>.*)$",
    regex.VERBOSE | regex.IGNORECASE | regex.DOTALL,
)
_CODE_LAST = regex.compile(
    rf"^\s*{_ATTEMPT_BEFORE}?{_SECTION}{_ATTEMPT_AFTER}?\s*{_CODE}\.?(?P<rest>.*)$",
    regex.VERBOSE | regex.IGNORECASE | regex.DOTALL,
)

# Sections a combined charge (`11357-11359 HS`) must not be read from: the sections Prop 64
# changed, whose relief turns on which one it was. Such a charge stays unread, for a person.
COMBINED_UNREAD = frozenset({"11357", "11358", "11359", "11360"})

_TRAILING_ATTEMPT = regex.compile(r"\s?[/\-]\s?664(?![\d.])")

_SUB = regex.compile(r"\(\s?([A-Z0-9]{1,4})\s?\)", regex.IGNORECASE)


class ChargeParseError(ValueError):
    """The text does not name a code section that docmine can read."""


@dataclass(frozen=True, slots=True, order=True)
class Charge:
    """A code section as charged, e.g. ``Charge("HS", "11357", ("b",))``.

    `attempted` marks an attempt (PC 664) of the target charge: the charge stays
    the target's, as courts and the DOJ record it.
    """

    code: str
    section: str
    subsections: tuple[str, ...] = ()
    attempted: bool = False

    def __str__(self) -> str:
        return self.canonical

    @property
    def canonical(self) -> str:
        """`HS 11357(b)`: code, a space, the section, each subsection lower-case in parentheses."""
        return f"{self.code} {self.section}" + "".join(f"({s})" for s in self.subsections)

    @property
    def base(self) -> str:
        """Code and section without subsections: `HS 11357`."""
        return f"{self.code} {self.section}"

    @classmethod
    def parse(cls, text: str) -> "Charge":
        """Read a charge as written in a record; raise `ChargeParseError` if it names none.

        Text after the charge (a description such as `-POSSESS MARIJUANA`) is ignored.
        """
        charge, _ = cls.parse_prefix(text)
        return charge

    @classmethod
    def try_parse(cls, text: str | None) -> "Charge | None":
        """Like `parse`, but None where the text names no readable charge."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except ChargeParseError:
            return None

    @classmethod
    def parse_prefix(cls, text: str) -> tuple["Charge", int]:
        """Parse a charge at the start of `text`; return it and where the charge ends."""
        if text is None or not text.strip():
            raise ChargeParseError("empty charge text")
        for pattern in (_CODE_LAST, _CODE_FIRST):
            match = pattern.match(text)
            if match and _rest_is_description(match.group("rest")):
                charge, end = _build(match), match.start("rest")
                # "11359 HS/664": the attempt marker written after the code.
                trailing = _TRAILING_ATTEMPT.match(text, end)
                if trailing:
                    charge, end = replace(charge, attempted=True), trailing.end()
                return charge, end
        raise ChargeParseError(f"not a charge: {text!r}")


def _rest_is_description(rest: str) -> bool:
    """What follows a charge may be a description, never more section digits."""
    stripped = rest.lstrip()
    return not stripped or not stripped[0].isdigit() and stripped[0] not in "(.,"


def _build(match: regex.Match) -> Charge:
    code = _code_of(match.group("code"))
    number = regex.sub(r"\s", "", match.group("number")).replace(",", ".")
    attempted = bool(match.group("att_before") or match.group("att_after"))
    # "66411357" is an attempt glued to its target: no California section has six digits.
    if not attempted and len(number.split(".")[0]) >= 6 and number.startswith("664"):
        number, attempted = number[3:], True
    if len(number.split(".")[0]) >= 6:
        raise ChargeParseError(f"section number too long: {number}")
    combined = match.group("range") or "-" in (match.group("subs") or "")
    if combined and code == "HS" and number.split(".")[0] in COMBINED_UNREAD:
        # `11357-11359 HS`, `11360(A)-(B) HS`: which offence the court meant decides relief.
        raise ChargeParseError(f"combined sections of a Prop 64 offence: {match.group(0)!r}")
    if match.group("range"):
        number += "-" + regex.sub(r"\s", "", match.group("range")).lstrip("-")
    subs: list[str] = []
    glued = (match.group("glued") or "").lower()
    if glued and number + glued in LETTERED_SECTIONS.get(code, ()):
        number, glued = number + glued, ""
    if glued:
        subs.append(glued)
    if match.group("glued_digit"):
        subs.append(match.group("glued_digit"))
    # A combined subsection keeps its dash: `594(A)-(B)` is PC 594(a)-(b), written as the sub `a)-(b`.
    for piece in regex.split(r"\s?-\s?(?=\()", match.group("subs") or ""):
        found = [s.lower() for s in _SUB.findall(piece)]
        if found and subs and piece is not (match.group("subs") or "") and regex.match(r"\s?\(", piece):
            subs[-1] = subs[-1] + ")-(" + found[0]
            found = found[1:]
        subs.extend(found)
    return Charge(code=code, section=number, subsections=tuple(subs), attempted=attempted)


def _code_of(spelling: str) -> str:
    key = regex.sub(r"\s+", " ", spelling.upper())
    if key in _CODE_SPELLINGS:
        return _CODE_SPELLINGS[key]
    compact = key.replace(" ", "")
    for candidate, code in _CODE_SPELLINGS.items():
        if candidate.replace(" ", "") == compact:
            return code
    raise ChargeParseError(f"unknown code: {spelling!r}")
