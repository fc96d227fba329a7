"""Which kind of paper a document is: RAP sheet, court docket, or other.

Only RAP sheets and dockets are parsed into counts; other papers (letters, civil, family
and traffic minute orders, probation reports) are reported as such, and a document the
router cannot place with confidence is `unrecognized` — reported for a person to look at,
never guessed into convictions.

The router is a linear text classifier (TF-IDF over words, logistic regression) trained
with scikit-learn by `scripts/train_router.py` on synthetic papers with OCR-like noise.
It ships as plain numbers in `models/router.json` (no pickle), so reading it needs only
numpy and gives the same answer everywhere.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from docmine.paths import models_dir
from docmine.records import DocType

ROUTER_FILE = "router.json"
# Below this probability the best class is not trusted: the document is `unrecognized`.
MIN_PROBABILITY = 0.6
# The first pages say what a paper is; reading more only costs time.
PAGES_READ = 2

# The lines only a DOJ RAP sheet prints. A text with two kinds of them, one a count or an
# event header, is a RAP sheet however short: the classifier weighs words, and a sheet of
# one count has too few of them to outweigh its prior.
_RAP_STRUCTURE: dict[str, regex.Pattern] = {
    name: regex.compile(pattern, regex.MULTILINE | regex.IGNORECASE)
    for name, pattern in (
        ("count", r"^[ \t]*CNT[ \t]*[:;][ \t]*[0-9]"),
        (
            "event",
            r"^[ \t]*(?:ARR/DET/CITE|COURT|CUSTODY|REGISTRATION|DECEASED|PROBATION|SUPPLEMENTAL ARR|APPLICANT)"
            r"[ \t]*:",
        ),
        ("cycle", r"^[ \t]*\*[ \t]*\*[ \t]*\*[ \t]*\*[ \t]*$"),
        ("disposition", r"^[ \t]*\*?[ \t]*DISPO[ \t]*:"),
        ("subject", r"^[ \t]*CII/[A-Z]?[0-9]{6,}"),
    )
}


def rap_structure(text: str) -> list[str]:
    """Which kinds of RAP-sheet lines `text` has (`count`, `event`, `cycle`, `disposition`, `subject`)."""
    return [name for name, pattern in _RAP_STRUCTURE.items() if pattern.search(text)]


_TOKEN = regex.compile(r"[A-Za-z][A-Za-z&/.]*[A-Za-z]|[A-Za-z]|\*")


def tokens(text: str) -> list[str]:
    """Words as the router sees them: letters only, upper-case, `*` kept (RAP separators)."""
    return [t.upper() for t in _TOKEN.findall(text)]


@dataclass(frozen=True)
class Route:
    doc_type: DocType
    probability: float
    reason: str


@dataclass(frozen=True)
class Router:
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features); binary problems are stored with both rows
    intercept: np.ndarray

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Router":
        path = Path(path) if path else models_dir() / ROUTER_FILE
        data = json.loads(Path(path).read_text())
        return cls(
            tuple(data["classes"]),
            dict(data["vocabulary"]),
            np.asarray(data["idf"], dtype=float),
            np.asarray(data["coef"], dtype=float),
            np.asarray(data["intercept"], dtype=float),
        )

    def features(self, text: str) -> np.ndarray:
        """Sublinear TF-IDF, L2-normalised (scikit-learn's TfidfVectorizer(sublinear_tf=True))."""
        vector = np.zeros(len(self.vocabulary))
        for token in tokens(text):
            index = self.vocabulary.get(token)
            if index is not None:
                vector[index] += 1
        nonzero = vector > 0
        vector[nonzero] = (1 + np.log(vector[nonzero])) * self.idf[nonzero]
        norm = math.sqrt(float(vector @ vector))
        return vector / norm if norm else vector

    def probabilities(self, text: str) -> dict[str, float]:
        scores = self.coef @ self.features(text) + self.intercept
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return {c: float(p) for c, p in zip(self.classes, scores)}

    def route(self, pages: list[str]) -> Route:
        text = "\n".join(pages[:PAGES_READ])
        if not text.strip():
            return Route(DocType.UNRECOGNIZED, 0.0, "no text on the first pages")
        probabilities = self.probabilities(text)
        best = max(probabilities, key=probabilities.get)
        probability = probabilities[best]
        shares = ", ".join(f"{c} {p:.2f}" for c, p in sorted(probabilities.items(), key=lambda kv: -kv[1]))
        if best != DocType.RAP_SHEET.value or probability < MIN_PROBABILITY:
            found = rap_structure(text)
            if len(found) >= 2 and {"count", "event"} & set(found):
                return Route(
                    DocType.RAP_SHEET,
                    probabilities.get(DocType.RAP_SHEET.value, 0.0),
                    f"RAP-sheet structure ({', '.join(found)}); router: {shares}",
                )
        if probability < MIN_PROBABILITY:
            return Route(DocType.UNRECOGNIZED, probability, f"no kind of paper is likely enough ({shares})")
        return Route(DocType(best), probability, f"router: {shares}")


@lru_cache(maxsize=4)
def default_router(path: str | None = None) -> Router:
    return Router.load(path)


def route(pages: list[str], router: Router | None = None) -> Route:
    """The kind of paper whose page texts are `pages`."""
    return (router or default_router()).route(pages)
