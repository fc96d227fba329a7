"""What OCR reads for what was printed: the one table of character confusions.

Every reader that repairs OCR damage (the normaliser, RAP-sheet and docket readers, case
numbers, names and CII numbers) and the noise model that teaches the entity model to expect
it take their tables from here, so a confusion learned once is repaired everywhere.

- `MISREADS`: a printed character and what Tesseract may read instead (measured by aligning
  OCR text of heavy scans to the drawn text); the noise model draws from it.
- `DIGIT_FOR_LETTER` (loose): letters read for digits, for slots that hold digits only (dates,
  count numbers). `DIGIT_FOR_LETTER_STRICT`: only the common confusions, for slots that may
  also hold letters (case numbers, code sections).
- `LETTER_FOR_DIGIT`: digits read for letters, for words that hold letters only.
- `ALTERNATIVES`: what else a character read may have been, both ways, for trying every
  reading of a short value against a known shape (court case numbers).
- `NAME_SKELETON`, `NUMBER_SKELETON`: one representative per confusion group, so that an OCR
  slip and the right character compare equal (names; CII numbers and dates).
"""

from __future__ import annotations

import regex

MISREADS: dict[str, str] = {
    "O": "0QDC",
    "0": "OQ",
    "I": "l1|T",
    "l": "I1",
    "1": "Il|",
    "S": "5$",
    "5": "S",
    "B": "8E",
    "8": "B",
    "N": "MWR",
    "M": "N",
    "E": "FK",
    "F": "EP",
    "C": "cG",
    "G": "C6",
    "P": "F",
    "H": "B",
    "T": "I",
    "2": "Z",
    "Z": "2",
    "6": "G",
    "U": "V",
    "A": "4",
    "D": "0",
    "/": "l",
    ":": ".;",
    ",": ".",
    "(": "{",
    ")": "}",
}

DIGIT_FOR_LETTER_STRICT: dict[str, str] = {
    "O": "0",
    "o": "0",
    "I": "1",
    "l": "1",
    "i": "1",
    "|": "1",
    "S": "5",
    "s": "5",
    "$": "5",
    "B": "8",
    "Z": "2",
    "z": "2",
}
DIGIT_FOR_LETTER: dict[str, str] = {**DIGIT_FOR_LETTER_STRICT, "Q": "0", "D": "0", "G": "6", "g": "9", "T": "7"}
LETTER_FOR_DIGIT: dict[str, str] = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"}

ALTERNATIVES: dict[str, str] = {
    "O": "0",
    "0": "OC",
    "Q": "0",
    "D": "0",
    "C": "0",
    "I": "1",
    "1": "I",
    "L": "1",
    "S": "58",
    "5": "S",
    "B": "8",
    "8": "BS",
    "Z": "2",
    "2": "Z",
    "G": "6",
    "6": "G",
    "€": "6",
    "~": "-",
    "T": "7",
    "P": "F",
}

# Upper-case text: a name's digits become the letters they stand for, and I, L, | and ! one
# stroke; a number's letters become digits.
NAME_SKELETON: dict[str, str] = {**LETTER_FOR_DIGIT, "L": "I", "|": "I", "!": "I"}
NUMBER_SKELETON: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "I": "1",
    "L": "1",
    "|": "1",
    "!": "1",
    "S": "5",
    "B": "8",
    "Z": "2",
    "G": "6",
}


def translation(table: dict[str, str]) -> dict[int, str]:
    """`table` for `str.translate`."""
    return str.maketrans(table)


def confusable(table: dict[str, str]) -> str:
    """The characters `table` repairs, escaped for a regex character class."""
    return regex.escape("".join(table))


def digitish(table: dict[str, str] = DIGIT_FOR_LETTER) -> str:
    """A regex character class: a digit, or a letter `table` reads as one."""
    return f"[0-9{confusable(table)}]"


__all__ = [
    "ALTERNATIVES",
    "DIGIT_FOR_LETTER",
    "DIGIT_FOR_LETTER_STRICT",
    "LETTER_FOR_DIGIT",
    "MISREADS",
    "NAME_SKELETON",
    "NUMBER_SKELETON",
    "confusable",
    "digitish",
    "translation",
]
