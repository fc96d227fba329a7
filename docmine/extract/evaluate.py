"""Score extracted counts against gold counts: per field, per charge family, review rate.

Both sides are counts in the output contract (dicts as `docmine.contract` reads them).
Counts are paired within a document: the document is the file name without its format
suffix (`doc-00005.scan.pdf` and `doc-00005` are one document) and, inside it, counts are
aligned in reading order on (count number, charge), so one missed event does not shift
every later pair. A count's id is not used for pairing: a scan and its text-layer PDF
hash differently.

Charge detection is scored per family (a predicted count is a true positive for a family
when it is paired with a gold count of that family and is itself of that family); fields
are scored on paired counts, on all of them and on those not flagged for review.
"""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from docmine.reference.marijuana import PRE_1973_MARIJUANA, PROP64_SECTIONS
from docmine.errors import DocmineError

# Prop 64's sections (HS 11357-11360) and, before the 1972-73 recodification, the
# sections that held the same conduct: the eligibility stage's lists, with their sources.
MARIJUANA_BASES = frozenset({f"HS {s}" for s in PROP64_SECTIONS} | {o.section for o in PRE_1973_MARIJUANA.values()})
LOOK_ALIKE_BASES = frozenset(
    {
        "HS 11357.5",
        "HS 11350",
        "HS 11351",
        "HS 11364",
        "HS 11366",
        "HS 11377",
        "HS 11361",
        "HS 11362.3",
        "HS 11550",
        "HS 11358.5",
    }
)

# Fields compared on paired counts; `value_of` says how each is read from a count.
FIELDS: tuple[str, ...] = (
    "charge",
    "attempted",
    "severity",
    "disposition",
    "disposition_date",
    "event_date",
    "arrest_date",
    "offense_date",
    "case_number",
    "court",
    "county",
    "event_type",
    "cycle",
    "sentence",
    "updates",
    "person.name",
    "person.dob",
    "person.cii",
)
# The fields the accuracy targets name for trustworthy counts.
KEY_FIELDS: tuple[str, ...] = (
    "charge",
    "attempted",
    "severity",
    "disposition",
    "disposition_date",
    "event_date",
    "case_number",
)


def load_counts(path: str | Path) -> list[dict]:
    """Counts from a JSON Lines file, as dicts; a bad line is a one-line error naming it."""
    counts = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line_number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    count = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DocmineError(f"{path}: line {line_number}: not JSON ({exc.msg})") from None
                if not isinstance(count, dict) or "document" not in count or "count" not in count:
                    raise DocmineError(f"{path}: line {line_number}: not a count (needs `document` and `count`)")
                counts.append(count)
    except (OSError, UnicodeDecodeError) as exc:
        raise DocmineError(f"{path}: cannot be read ({exc})") from None
    return counts


def base_of(charge: str | None) -> str | None:
    """`HS 11357(b)` -> `HS 11357` (the section without subsections)."""
    if not charge:
        return None
    return charge.split("(", 1)[0]


def charge_family(charge: str | None) -> str:
    base = base_of(charge)
    if base is None:
        return "unreadable"
    if base in MARIJUANA_BASES:
        return "marijuana"
    return base.split(" ", 1)[0]  # the code: HS, PC, VC, BP, ...


def document_key(name: str) -> str:
    name = name.rsplit("/", 1)[-1]
    for suffix in (".scan.pdf", ".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg", ".txt"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def value_of(count: dict, name: str) -> Any:
    if name.startswith("person."):
        return (count.get("person") or {}).get(name.split(".", 1)[1])
    if name == "sentence":
        sentence = count.get("sentence")
        if not sentence:
            return None
        terms = ((t["kind"], t.get("length"), t.get("unit"), t.get("amount")) for t in sentence.get("terms", []))
        # a term of no stated length (`SEN: PROBATION`) sorts before the others of its kind
        return (sentence.get("date"), tuple(sorted(terms, key=lambda t: tuple((v is not None, v or 0) for v in t))))
    if name == "updates":
        return tuple((u.get("date"), u.get("kind")) for u in count.get("updates", []))
    return count.get(name)


@dataclass
class FamilyScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class FieldScore:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass
class Report:
    families: dict[str, FamilyScore] = field(default_factory=lambda: defaultdict(FamilyScore))
    fields: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    fields_marijuana: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    fields_trusted: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    # Marijuana counts (by gold) not flagged for review: the measure of trust.
    fields_marijuana_trusted: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    gold_counts: int = 0
    predicted_counts: int = 0
    paired: int = 0
    marijuana_predicted: int = 0
    marijuana_flagged: int = 0
    look_alikes_as_marijuana: int = 0
    errors: list[dict] = field(default_factory=list)  # a sample of field errors, for reading

    @property
    def review_rate(self) -> float:
        return self.marijuana_flagged / self.marijuana_predicted if self.marijuana_predicted else 0.0

    def as_dict(self) -> dict:
        def fields_dict(scores):
            return {
                k: {"accuracy": round(v.accuracy, 4), "correct": v.correct, "total": v.total}
                for k, v in sorted(scores.items())
            }

        return {
            "gold_counts": self.gold_counts,
            "predicted_counts": self.predicted_counts,
            "paired": self.paired,
            "families": {
                k: {
                    "precision": round(v.precision, 4),
                    "recall": round(v.recall, 4),
                    "f1": round(v.f1, 4),
                    "tp": v.tp,
                    "fp": v.fp,
                    "fn": v.fn,
                }
                for k, v in sorted(self.families.items())
            },
            "fields": fields_dict(self.fields),
            "fields_marijuana": fields_dict(self.fields_marijuana),
            "fields_trusted": fields_dict(self.fields_trusted),
            "fields_marijuana_trusted": fields_dict(self.fields_marijuana_trusted),
            "marijuana_predicted": self.marijuana_predicted,
            "marijuana_flagged": self.marijuana_flagged,
            "review_rate": round(self.review_rate, 4),
            "look_alikes_as_marijuana": self.look_alikes_as_marijuana,
        }


def score(
    gold: Iterable[dict],
    predicted: Iterable[dict],
    *,
    review_threshold: float = 0.5,
    documents: Sequence[str] | None = None,
    max_errors: int = 200,
) -> Report:
    """Score `predicted` counts against `gold` counts.

    `documents` limits scoring to those documents (keys as `document_key` gives them); by
    default every document that appears on either side. A count is flagged for review when
    its `confidence` is below `review_threshold`.
    """
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    pred_by_doc: dict[str, list[dict]] = defaultdict(list)
    for count in gold:
        gold_by_doc[document_key(count["document"])].append(count)
    for count in predicted:
        pred_by_doc[document_key(count["document"])].append(count)
    keys = sorted(set(documents) if documents is not None else set(gold_by_doc) | set(pred_by_doc))
    report = Report()
    for key in keys:
        _score_document(report, gold_by_doc.get(key, []), pred_by_doc.get(key, []), review_threshold, max_errors)
    return report


def _signature(count: dict) -> tuple:
    return (count.get("count"), count.get("charge") or count.get("charge_text"))


def pair(gold: Sequence[dict], predicted: Sequence[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Align one document's counts in reading order: (pairs, unpaired gold, unpaired predicted)."""
    matcher = difflib.SequenceMatcher(
        a=[_signature(c) for c in gold], b=[_signature(c) for c in predicted], autojunk=False
    )
    pairs: list[tuple[dict, dict]] = []
    lone_gold: list[dict] = []
    lone_pred: list[dict] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pairs.extend(zip(gold[a0:a1], predicted[b0:b1]))
            continue
        # A replaced run: pair counts that share a count number, in order (a misread charge).
        golds, preds = list(gold[a0:a1]), list(predicted[b0:b1])
        for g in list(golds):
            match = next((p for p in preds if p.get("count") == g.get("count")), None)
            if match is not None:
                pairs.append((g, match))
                golds.remove(g)
                preds.remove(match)
        lone_gold.extend(golds)
        lone_pred.extend(preds)
    return pairs, lone_gold, lone_pred


def _score_document(report: Report, gold: list[dict], predicted: list[dict], threshold: float, max_errors: int) -> None:
    report.gold_counts += len(gold)
    report.predicted_counts += len(predicted)
    pairs, lone_gold, lone_pred = pair(gold, predicted)
    report.paired += len(pairs)
    for count in predicted:
        if charge_family(count.get("charge")) == "marijuana":
            report.marijuana_predicted += 1
            if count.get("confidence", 1.0) < threshold:
                report.marijuana_flagged += 1
    for g, p in pairs:
        gold_family, pred_family = charge_family(g.get("charge")), charge_family(p.get("charge"))
        if gold_family == pred_family:
            report.families[gold_family].tp += 1
        else:
            report.families[gold_family].fn += 1
            report.families[pred_family].fp += 1
        if pred_family == "marijuana" and base_of(g.get("charge")) in LOOK_ALIKE_BASES:
            report.look_alikes_as_marijuana += 1
        trusted = p.get("confidence", 1.0) >= threshold
        for name in FIELDS:
            ok = value_of(g, name) == value_of(p, name)
            for scores, applies in (
                (report.fields, True),
                (report.fields_marijuana, gold_family == "marijuana"),
                (report.fields_trusted, trusted),
                (report.fields_marijuana_trusted, trusted and gold_family == "marijuana"),
            ):
                if applies:
                    scores[name].total += 1
                    scores[name].correct += ok
            if not ok and len(report.errors) < max_errors:
                report.errors.append(
                    {
                        "document": p.get("document"),
                        "count_id": p.get("count_id"),
                        "field": name,
                        "gold": value_of(g, name),
                        "predicted": value_of(p, name),
                    }
                )
    for g in lone_gold:
        report.families[charge_family(g.get("charge"))].fn += 1
    for p in lone_pred:
        report.families[charge_family(p.get("charge"))].fp += 1


def summary_rows(report: Report) -> list[tuple[str, str, str]]:
    """(what, figure, detail) rows for printing."""
    rows = []
    for family, s in sorted(report.families.items()):
        rows.append(
            (
                f"charge family {family}",
                f"F1 {s.f1:.4f}",
                f"P {s.precision:.4f} R {s.recall:.4f} (tp {s.tp}, fp {s.fp}, fn {s.fn})",
            )
        )
    for name in FIELDS:
        s, t, m = report.fields[name], report.fields_trusted[name], report.fields_marijuana_trusted[name]
        rows.append(
            (
                f"field {name}",
                f"{s.accuracy:.4f}",
                f"{s.correct}/{s.total}; not flagged {t.accuracy:.4f} "
                f"({t.correct}/{t.total}); marijuana not flagged {m.accuracy:.4f} ({m.correct}/{m.total})",
            )
        )
    rows.append(
        (
            "review rate (marijuana counts)",
            f"{report.review_rate:.4f}",
            f"{report.marijuana_flagged}/{report.marijuana_predicted}",
        )
    )
    rows.append(("look-alikes read as marijuana", str(report.look_alikes_as_marijuana), ""))
    return rows
