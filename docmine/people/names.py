"""Names, CII numbers and dates of birth as records print them, made comparable.

Records print a name `LAST,FIRST MIDDLE` (RAP sheets, the DOJ file's PRI_NAME, most dockets)
or `FIRST MIDDLE LAST`; a scan adds the usual OCR confusions (0/O, 1/I/L, 5/S, 8/B, 2/Z, 6/G).
`name_parts` reads both orders; `skeleton` maps each confusable character to one
representative, so an OCR slip and the right letter compare equal; `similar` allows a small
edit distance on top (last and first name, either order).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from docmine.confusions import NAME_SKELETON, NUMBER_SKELETON, translation

SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV", "2ND", "3RD"})

# One representative per OCR confusion group, for names (letters) and for numbers (digits).
_NAME_OCR = translation(NAME_SKELETON)
_NUMBER_OCR = translation(NUMBER_SKELETON)


@lru_cache(maxsize=100_000)
def name_parts(text: str | None) -> tuple[str, str] | None:
    """(last, first) as OCR skeletons, from `LAST,FIRST MIDDLE` or `FIRST MIDDLE LAST`;
    None for no name. Suffixes (JR, III) and punctuation inside a name are dropped."""
    if not text:
        return None
    t = text.upper().replace(".", " ")
    if "," in t:
        last, _, rest = t.partition(",")
        rest_words = [w for w in rest.split() if w not in SUFFIXES]
        last = _letters(last)
        first = _letters(rest_words[0]) if rest_words else ""
    else:
        words = [w for w in t.split() if w not in SUFFIXES]
        if not words:
            return None
        last = _letters(words[-1])
        first = _letters(words[0]) if len(words) > 1 else ""
    if not last:
        return None
    return skeleton(last), skeleton(first)


def _letters(text: str) -> str:
    """A name part without spaces, hyphens or apostrophes (`DE LA CRUZ` = `DELACRUZ`); digits
    stay, as OCR may have read a letter as one."""
    return "".join(ch for ch in text if ch.isalnum())


def skeleton(text: str) -> str:
    return text.upper().translate(_NAME_OCR)


def name_key(parts: tuple[str, str]) -> str:
    return parts[0] + "|" + parts[1]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early past `limit` (returns limit + 1 then)."""
    return Levenshtein.distance(a, b, score_cutoff=limit)


def allowed_edits(a: tuple[str, str], b: tuple[str, str]) -> int:
    """1 edit for short names, 2 where last and first together run to 10 letters or more."""
    return 2 if min(len(a[0]) + len(a[1]), len(b[0]) + len(b[1])) >= 10 else 1


def similar(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Last and first name within `allowed_edits` of each other (summed), in either order (a
    name printed `FIRST LAST` on one record and `LAST,FIRST` on another). A record with no
    first name matches on the last name alone only when it is exact."""
    if a == b:
        return True
    if not a[1] or not b[1]:
        return a[0] == b[0] and bool(a[0])
    limit = allowed_edits(a, b)
    for first, last in ((b[1], b[0]), (b[0], b[1])):
        d = edit_distance(a[0], last, limit)
        if d <= limit and d + edit_distance(a[1], first, limit) <= limit:
            return True
    return False


def norm_cii(text: str | None) -> str | None:
    """A CII number compared: letters OCR reads for digits made digits, separators dropped
    (`A12 345 678` and `A12345678`); a leading letter stays. None for nothing readable."""
    if not text:
        return None
    t = "".join(ch for ch in text.upper() if ch.isalnum())
    if not t:
        return None
    head, tail = (t[0], t[1:]) if t[0].isalpha() and len(t) > 8 else ("", t)
    out = head + tail.translate(_NUMBER_OCR)
    return out if any(ch.isdigit() for ch in out) else None


def norm_case(text: str | None) -> str | None:
    """A court case number compared: upper case, separators dropped, OCR digit confusions
    mapped on every character (the same on both sides, so `BA123456` and `8A123456` agree),
    leading zeros of the number dropped (`18CR-012345` = `18CR12345`)."""
    if not text:
        return None
    t = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_NUMBER_OCR)
    if not t:
        return None
    out, digits = [], ""
    for ch in t + " ":
        if ch.isdigit():
            digits += ch
            continue
        if digits:
            out.append(digits.lstrip("0") or "0")
            digits = ""
        if ch != " ":
            out.append(ch)
    return "".join(out)


def norm_county(text: str | None) -> str | None:
    if not text:
        return None
    t = " ".join(text.upper().replace("COUNTY OF", " ").replace("COUNTY", " ").split())
    return t or None


def one_digit_apart(a: date, b: date) -> bool:
    """Whether two dates written YYYYMMDD differ in exactly one digit (one OCR misread)."""
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(p != q for p, q in zip(x, y)) == 1
