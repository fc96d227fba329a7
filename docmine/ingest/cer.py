"""Character error rate: how far OCR text is from what was printed.

Both texts are normalised first, so the score measures reading, not layout: lines are
stripped, runs of blanks inside a line become one space, blank lines go, and separator
rows (`* * * *`, `- - - -`, `=====`) are left out (OCR reads their spacing and count
unreliably and they carry no facts). The edit distance is Hyyrö's bit-parallel form of
Myers' algorithm on Python integers: O(n * m / 64) word operations, a few milliseconds for
a full page, no dependency.
"""

from __future__ import annotations

import re

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
    if len(a) < len(b):
        a, b = b, a  # the shorter one becomes the bit pattern
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (full ^ (xh | pv))
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        # Row 0 of the DP grows by one per text character, so a 1 is shifted in.
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = mh | (full ^ (xv | ph))
        mv = ph & xv
    return score


def cer(reference: str, hypothesis: str) -> float:
    """Edit distance between the normalised texts over the normalised reference's length.

    0.0 is perfect; it can exceed 1.0 when the hypothesis is much longer than the reference.
    An empty reference scores 0.0 against an empty hypothesis and 1.0 against anything else.
    """
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return levenshtein(ref, hyp) / len(ref)
