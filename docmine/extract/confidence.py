"""How far to trust an extracted count: a calibrated probability that its key fields are right.

A count read from a clean text layer is almost surely right; one read through a coffee
stain is not. The signals are what the pipeline already knows about the words a count came
from — their OCR confidence, the OCR repairs made inside them, whether the charge and
disposition were understood, whether the dates are plausible, and (when the entity model
ran) whether the model found the same spans the rules did. A model fitted by
`scripts/train_confidence.py` on held-out synthetic documents (clean and OCR'd) maps them to
the probability that every key field (charge, attempt, severity, disposition and its date,
event date, case number) is correct: gradient-boosted trees (`Calibrator`), shipped as plain
numbers in `models/confidence.json` and evaluated here without scikit-learn.
Counts below its `review_below` threshold are flagged for review rather than trusted, and
so is every count that fails a check the record format settles (`failed_hard_check`: a
court case number that fits none of its county's shapes), whatever its other signals say.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import regex

from docmine.extract.case_numbers import unshaped
from docmine.extract.evaluate import charge_family
from docmine.extract.ocr_charge import MARIJUANA_WORDS
from docmine.doctext import DocText, Entity
from docmine.paths import models_dir
from docmine.records import Count, DispositionKind, EventType, TextSource

CONFIDENCE_FILE = "confidence.json"
DEFAULT_REVIEW_BELOW = 0.5

# Fields whose words decide whether a count can be trusted, and the entity labels that
# agree with each.
KEY_PROVENANCE: dict[str, tuple[str, ...]] = {
    "charge": ("CHARGE",),
    "disposition": ("DISPOSITION",),
    "severity": ("SEVERITY",),
    "event_date": ("EVENT_DATE", "ARREST_DATE", "DISPOSITION_DATE", "SENTENCE_DATE", "UPDATE_DATE"),
    "disposition_date": ("DISPOSITION_DATE", "EVENT_DATE"),
    "case_number": ("CASE_NUMBER",),
    "count": ("COUNT_NO",),
}

FEATURES: tuple[str, ...] = (
    "ocr",  # the count's words came from OCR
    "min_word_confidence",  # lowest OCR confidence of the key fields' words
    "mean_word_confidence",
    "charge_word_confidence",  # the OCR confidence of the charge's, case number's and dates' own words
    "case_word_confidence",  # (after the second look: `docmine.ingest.reread`); 1.0 when absent
    "date_word_confidence",
    "repairs",  # OCR repairs made inside the key fields (normalize)
    "charge_unreadable",
    "charge_repaired",  # the section is not written as read (OCR damage undone)
    "description_disagrees",  # OCR'd count whose description and section disagree on marijuana
    "disposition_unrecognized",
    "missing_key_fields",  # key fields a court count should have but does not
    "implausible_dates",
    "case_number_unshaped",  # a court case number that fits none of its county's shapes
    "case_number_repaired",  # OCR misreads in it undone by its county's shapes
    "case_number_lookalike_lead",  # all digits, the first a letter's look-alike (`#C293230` read `0293230`)
    "model_ran",
    "model_disagrees",  # share of key fields the entity model did not also find
)


def count_features(
    count: Count,
    doc: DocText,
    entities: Sequence[Entity] | None = None,
    today: dt.date | None = None,
    index: EntityIndex | None = None,
) -> dict[str, float]:
    """`index`: `index_entities(doc, entities)`, when features of many counts are wanted."""
    today = today or dt.date.today()
    if entities is not None and index is None:
        index = index_entities(doc, entities)
    provenance = {k: count.provenance[k] for k in KEY_PROVENANCE if k in count.provenance}
    pages = {p.page.number: p for p in doc.pages}
    ocr = any(pages[p.page].page.source == TextSource.OCR for p in provenance.values() if p.page in pages)
    confidences = [p.confidence for p in provenance.values()] or [0.0]
    repairs = 0
    for p in provenance.values():
        page = pages.get(p.page)
        if page is not None:
            repairs += sum(1 for e in page.normalized.edits if e.start < p.end and e.end > p.start)
    court = count.event_type == EventType.COURT
    missing = sum(1 for key in ("charge", "count") if key not in provenance)
    if court:
        # A court disposes of every count it hears on a date: one without it lost its words.
        missing += sum(1 for key in ("disposition", "event_date", "disposition_date") if key not in provenance)
    features = {
        "ocr": float(ocr),
        "min_word_confidence": min(confidences),
        "mean_word_confidence": sum(confidences) / len(confidences),
        "charge_word_confidence": _word_confidence(provenance, "charge"),
        "case_word_confidence": _word_confidence(provenance, "case_number"),
        "date_word_confidence": _word_confidence(provenance, "event_date", "disposition_date"),
        "repairs": float(min(repairs, 5)),
        "charge_unreadable": float(count.charge is None),
        "charge_repaired": float(_charge_repaired(count)),
        "description_disagrees": float(ocr and _description_disagrees(count, pages)),
        "disposition_unrecognized": float(count.disposition == DispositionKind.UNRECOGNIZED),
        "missing_key_fields": float(missing),
        "implausible_dates": float(_implausible_dates(count, today)),
        "case_number_unshaped": float(unshaped(count)),
        "case_number_repaired": float(_case_number_repaired(count)),
        "case_number_lookalike_lead": float(bool(count.case_number and LOOKALIKE_LEAD.fullmatch(count.case_number))),
        "model_ran": float(entities is not None),
        "model_disagrees": _disagreement(count, index) if entities is not None else 0.0,
    }
    return features


def _word_confidence(provenance: dict, *keys: str) -> float:
    return min((provenance[k].confidence for k in keys if k in provenance), default=1.0)


def _case_number_repaired(count: Count) -> bool:
    p = count.provenance.get("case_number")
    return bool(count.case_number and p is not None and count.case_number not in p.text)


def _charge_repaired(count: Count) -> bool:
    p = count.provenance.get("charge")
    if count.charge is None or p is None:
        return False
    return count.charge.section not in p.text


def _description_disagrees(count: Count, pages: dict) -> bool:
    """The words after the charge name marijuana but the section is not a marijuana one,
    or the other way round: a digit OCR misread (`11387A HS-POSS MARIJUANA`)."""
    p = count.provenance.get("charge")
    page = pages.get(p.page) if p else None
    if count.charge is None or page is None:
        return False
    text = page.page.text
    line_end = text.find("\n", p.end)
    description = text[p.end : line_end if line_end >= 0 else len(text)]
    if len(description.strip()) < 4:
        return False
    says_marijuana = bool(MARIJUANA_WORDS.search(description))
    return says_marijuana != (charge_family(count.charge.canonical) == "marijuana")


def _implausible_dates(count: Count, today: dt.date) -> int:
    bad = 0
    earliest = dt.date(1940, 1, 1)
    for value in (count.event_date, count.disposition_date, count.arrest_date, count.offense_date):
        if value is not None and not earliest <= value <= today:
            bad += 1
    if count.person.dob and count.event_date and (count.event_date - count.person.dob).days < 8 * 365:
        bad += 1
    if count.event_date and count.disposition_date and count.disposition_date < count.event_date - dt.timedelta(days=1):
        bad += 1
    return bad


# Beside a `#`, Tesseract reads a number's first letter as a digit like it (C/O as 0, J as 3,
# S as 5, T as 7, B as 8): a number of digits only that starts with one may have lost a letter.
LOOKALIKE_LEAD = regex.compile(r"[03578][0-9]{4,}")

EntityIndex = dict[int, list[tuple[int, int, str]]]  # page -> model spans in that page's source offsets


def index_entities(doc: DocText, entities: Sequence[Entity]) -> EntityIndex:
    """The model's entities by page, mapped back to the page's original offsets (done once
    per document, not once per field of every count)."""
    index: EntityIndex = {}
    for entity in entities:
        if entity.source != "model":
            continue
        page = doc.page_at(entity.start)
        local_end = min(entity.end - page.offset, len(page.normalized.text))
        start, end = page.normalized.source_span(entity.start - page.offset, local_end)
        index.setdefault(page.page.number, []).append((start, end, entity.label))
    return index


def _disagreement(count: Count, index: EntityIndex) -> float:
    """Share of the count's key fields with no model entity of an agreeing label on their words."""
    checked = disagreed = 0
    for key, labels in KEY_PROVENANCE.items():
        p = count.provenance.get(key)
        if p is None:
            continue
        checked += 1
        found = any(label in labels and start < p.end and end > p.start for start, end, label in index.get(p.page, ()))
        disagreed += not found
    return disagreed / checked if checked else 0.0


@dataclass(frozen=True)
class Tree:
    """One regression tree of the boosted ensemble, as flat node arrays: node i sends a
    count left when its `feature[i]` is at most `threshold[i]`; a leaf adds `value[i]`."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]
    leaf: tuple[bool, ...]

    def predict(self, x: Sequence[float]) -> float:
        i = 0
        while not self.leaf[i]:
            i = self.left[i] if x[self.feature[i]] <= self.threshold[i] else self.right[i]
        return self.value[i]


@dataclass(frozen=True)
class Calibrator:
    """Gradient-boosted trees over `FEATURES` (the sum of the trees' leaves and a baseline,
    through the logistic function) and the threshold below which a count is reviewed.
    Trees, because the signals interact: a low case-number confidence matters on an arrest
    number with a letter prefix and hardly on a court number its county's shape confirmed.
    A calibrator with no trees is the logistic regression `coef`/`intercept`."""

    coef: tuple[float, ...]
    intercept: float
    review_below: float = DEFAULT_REVIEW_BELOW
    trees: tuple[Tree, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Calibrator":
        path = Path(path) if path else models_dir() / CONFIDENCE_FILE
        data = json.loads(Path(path).read_text())
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} do not match this docmine's {list(FEATURES)}")
        trees = tuple(
            Tree(
                tuple(t["feature"]),
                tuple(t["threshold"]),
                tuple(t["left"]),
                tuple(t["right"]),
                tuple(t["value"]),
                tuple(bool(v) for v in t["leaf"]),
            )
            for t in data.get("trees", ())
        )
        if trees:
            return cls((), float(data["baseline"]), float(data["review_below"]), trees)
        return cls(tuple(data["coef"]), float(data["intercept"]), float(data["review_below"]))

    def raw(self, features: dict[str, float]) -> float:
        """The log-odds that every key field of the count is right."""
        if self.trees:
            x = [features[name] for name in FEATURES]
            return self.intercept + sum(tree.predict(x) for tree in self.trees)
        return self.intercept + sum(c * features[name] for c, name in zip(self.coef, FEATURES))

    def probability(self, features: dict[str, float]) -> float:
        z = self.raw(features)
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@lru_cache(maxsize=4)
def default_calibrator(path: str | None = None) -> Calibrator | None:
    try:
        return Calibrator.load(path)
    except FileNotFoundError:
        return None


def calibrate(
    counts: Sequence[Count],
    doc: DocText,
    entities: Sequence[Entity] | None = None,
    calibrator: Calibrator | None = None,
) -> list[Count]:
    """The counts with `confidence` set to the calibrated probability (4 decimals)."""
    calibrator = calibrator or default_calibrator()
    if calibrator is None:
        return list(counts)
    index = index_entities(doc, entities) if entities is not None else None
    return [
        replace(c, confidence=_confidence(calibrator, count_features(c, doc, entities, index=index))) for c in counts
    ]


def _confidence(calibrator: Calibrator, features: dict[str, float]) -> float:
    probability = calibrator.probability(features)
    if failed_hard_check(features):
        # A check the record format settles is not outvoted by sure-looking words: the
        # count is reviewed whatever its other signals say.
        probability = min(probability, calibrator.review_below / 2)
    return round(probability, 4)


def failed_hard_check(features: dict[str, float]) -> bool:
    """A court case number that fits none of its county's shapes (`case_numbers.unshaped`)."""
    return features["case_number_unshaped"] > 0
