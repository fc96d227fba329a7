"""How far to trust an extracted count: a calibrated probability that its key fields are right.

A count read from a clean text layer is almost surely right; one read through a coffee
stain is not. The signals are what the pipeline already knows about the words a count came
from — their OCR confidence, the OCR repairs made inside them, whether the charge and
disposition were understood, whether the dates are plausible, and (when the entity model
ran) whether the model found the same spans the rules did. A logistic regression fitted by
`scripts/train_confidence.py` on held-out synthetic documents (clean and OCR'd) maps them to
the probability that every key field (charge, attempt, severity, disposition and its date,
event date, case number) is correct; it ships as plain numbers in `models/confidence.json`.
Counts below its `review_below` threshold are flagged for review rather than trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from docmine.extract.case_numbers import unshaped
from docmine.extract.evaluate import charge_family
from docmine.extract.ocr_charge import MARIJUANA_WORDS
from docmine.extract.text import DocText, Entity
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
    "ocr",                  # the count's words came from OCR
    "min_word_confidence",  # lowest OCR confidence of the key fields' words
    "mean_word_confidence",
    "charge_word_confidence",  # the OCR confidence of the charge's, case number's and dates' own words
    "case_word_confidence",    # (after the second look: `docmine.ingest.reread`); 1.0 when absent
    "date_word_confidence",
    "repairs",              # OCR repairs made inside the key fields (normalize)
    "charge_unreadable",
    "charge_repaired",      # the section is not written as read (OCR damage undone)
    "description_disagrees",  # OCR'd count whose description and section disagree on marijuana
    "disposition_unrecognized",
    "missing_key_fields",   # key fields a court count should have but does not
    "implausible_dates",
    "case_number_unshaped",   # a court case number that fits none of its county's shapes
    "case_number_repaired",   # OCR misreads in it undone by its county's shapes
    "model_ran",
    "model_disagrees",      # share of key fields the entity model did not also find
)


def count_features(count: Count, doc: DocText, entities: Sequence[Entity] | None = None,
                   today: dt.date | None = None, index: EntityIndex | None = None) -> dict[str, float]:
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
    description = text[p.end: line_end if line_end >= 0 else len(text)]
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
        found = any(label in labels and start < p.end and end > p.start
                    for start, end, label in index.get(p.page, ()))
        disagreed += not found
    return disagreed / checked if checked else 0.0


@dataclass(frozen=True)
class Calibrator:
    """Logistic regression over `FEATURES`, and the threshold below which a count is reviewed."""

    coef: tuple[float, ...]
    intercept: float
    review_below: float = DEFAULT_REVIEW_BELOW

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Calibrator":
        path = Path(path) if path else models_dir() / CONFIDENCE_FILE
        data = json.loads(Path(path).read_text())
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path}: features {data['features']} do not match this docmine's {list(FEATURES)}")
        return cls(tuple(data["coef"]), float(data["intercept"]), float(data["review_below"]))

    def probability(self, features: dict[str, float]) -> float:
        z = self.intercept + sum(c * features[name] for c, name in zip(self.coef, FEATURES))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


@lru_cache(maxsize=4)
def default_calibrator(path: str | None = None) -> Calibrator | None:
    try:
        return Calibrator.load(path)
    except FileNotFoundError:
        return None


def calibrate(counts: Sequence[Count], doc: DocText, entities: Sequence[Entity] | None = None,
              calibrator: Calibrator | None = None) -> list[Count]:
    """The counts with `confidence` set to the calibrated probability (4 decimals)."""
    calibrator = calibrator or default_calibrator()
    if calibrator is None:
        return list(counts)
    index = index_entities(doc, entities) if entities is not None else None
    return [replace(c, confidence=round(calibrator.probability(count_features(c, doc, entities, index=index)), 4))
            for c in counts]
