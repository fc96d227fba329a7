"""Character error rate: how far OCR text is from what was printed.

Both texts are normalised first, so the score measures reading, not layout: lines are
stripped, runs of blanks inside a line become one space, blank lines go, and separator
rows (`* * * *`, `- - - -`, `=====`) are left out (OCR reads their spacing and count
unreliably and they carry no facts). The edit distance is RapidFuzz's (the one
Levenshtein docmine uses; `docmine.people.names` compares names with it too).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

# A row made only of rule characters and blanks.
_SEPARATOR = re.compile(r"[\s*\-=_~.#+|]*")


def normalize(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and not _SEPARATOR.fullmatch(line):
            lines.append(line)
    return "\n".join(lines)


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute: cost 1 each) between two strings."""
    return Levenshtein.distance(a, b)


def cer(reference: str, hypothesis: str) -> float:
    """Edit distance between the normalised texts over the normalised reference's length.

    0.0 is perfect; it can exceed 1.0 when the hypothesis is much longer than the reference.
    An empty reference scores 0.0 against an empty hypothesis and 1.0 against anything else.
    """
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)
