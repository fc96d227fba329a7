"""The annotation loop closed from the desk: a field corrected on a page docmine read (a scan or
a PDF) becomes a gold page that `docmine train` learns from.

When an approver approves a decision that corrects fields of a document's count, the page is
read again (`docmine.ingest`, as extraction read it), the shipped model's spans are taken as the
page's annotation (`annotate.predict`, what `docmine annotate export` proposes), and each
corrected field's span is set from the reviewer's value: moved to where the page prints that
value when the model had marked other words, else kept where the value was read (the words
were right, the reading of them was not). The page is written in the gold format
(`annotate.gold`) to `ANNOTATIONS/review/<results folder>.jsonl`, one record per page, the
newest correction winning. Exports for annotators redact it as they redact any gold page.
This runs after the approval, in the background: a page read again by OCR takes seconds."""

from __future__ import annotations

import json
import re
import threading
from datetime import date
from pathlib import Path

from docmine import labels
from docmine.annotate.gold import GoldPage, check_spans, read_gold, write_jsonl

# corrected field -> (the count's provenance keys it was read from, the label of its span)
FIELD_SPANS: dict[str, tuple[tuple[str, ...], str]] = {
    "charge": (("charge",), labels.CHARGE),
    "conviction_date": (("disposition_date", "event_date"), labels.EVENT_DATE),
    "offense_date": (("offense_date",), labels.OFFENSE_DATE),
    "arrest_date": (("arrest_date",), labels.ARREST_DATE),
    "disposition": (("disposition",), labels.DISPOSITION),
    "severity": (("severity",), labels.SEVERITY),
    "case_number": (("case_number",), labels.CASE_NUMBER),
    "dob": (("person.dob",), labels.DOB),
}

_lock = threading.Lock()
_model = None


def _nlp():
    global _model
    with _lock:
        if _model is None:
            from docmine.nlp import load_model

            _model = load_model()
        return _model


def _printed(field: str, value: str) -> list[str]:
    """The ways a record may print a corrected value (dates in the forms RAP sheets and dockets use)."""
    if field in ("conviction_date", "offense_date", "arrest_date", "dob"):
        d = date.fromisoformat(value)
        return [d.strftime("%Y%m%d"), d.strftime("%m/%d/%Y"), d.strftime("%m-%d-%Y"), d.strftime("%m/%d/%y")]
    if field == "charge":
        m = re.match(r"(\w+) (\d+(?:\.\d+)?)", value)
        return [m.group(2)] if m else [value]
    return [value]


def _find(text: str, field: str, value: str) -> tuple[int, int] | None:
    for form in _printed(field, value):
        m = re.search(r"(?<![0-9A-Za-z])" + re.escape(form) + r"(?![0-9])", text, re.I)
        if m:
            return m.start(), m.end()
    return None


def _contract_count(desk, count_id: str) -> dict | None:
    """The count as extraction wrote it (the output contract, with provenance)."""
    from docmine.review.redecide import read_inputs

    for read in read_inputs(desk.results):
        if read.item.kind != "document" or not read.item.counts_path:
            continue
        try:
            with open(read.item.counts_path, encoding="utf-8") as handle:
                for line in handle:
                    if count_id in line:
                        record = json.loads(line)
                        if record.get("count_id") == count_id:
                            record["_input"] = read.file
                            return record
        except (OSError, ValueError):
            continue
    return None


def gold_page(desk, proposal) -> GoldPage | None:
    """The corrected page as a gold page; None when the count was not read from a page."""
    from docmine.annotate.predict import predict_pages
    from docmine.ingest import load

    record = _contract_count(desk, proposal.count_id)
    if record is None:
        return None
    provenance = record.get("provenance") or {}
    placed = []  # (field, provenance entry) for the corrected fields read from a page
    for field in proposal.corrections:
        keys, _ = FIELD_SPANS.get(field, ((), ""))
        entry = next((provenance[k] for k in keys if k in provenance), None)
        if entry is not None:
            placed.append((field, entry))
    if not placed:
        return None
    page_number = placed[0][1]["page"]
    document = load(record["_input"])
    if not 1 <= page_number <= len(document.pages):
        return None
    text = document.pages[page_number - 1].text
    spans = {(p.start, p.end): p.label for p in predict_pages(_nlp(), [text])[0].spans}
    for field, entry in placed:
        if entry["page"] != page_number:
            continue
        label = FIELD_SPANS[field][1]
        where = (entry["start"], entry["end"])
        found = _find(text, field, proposal.corrections[field])
        if found is not None and found != where:
            where = found
        for key in [k for k in spans if k[0] < where[1] and where[0] < k[1]]:
            del spans[key]
        spans[where] = label
    checked = check_spans(text, sorted((s, e, label) for (s, e), label in spans.items()))
    meta = {
        "source": "review desk",
        "document": Path(record["_input"]).name,
        "page": page_number,
        "count_id": proposal.count_id,
        "corrections": proposal.corrections,
        "reviewer": proposal.reviewer,
        "approver": proposal.approver,
    }
    return GoldPage(f"review-{document.sha256[:16]}-p{page_number}", text, checked, meta)


def gold_file(desk) -> Path:
    return Path(desk.annotations) / "review" / f"{desk.results.resolve().name or 'results'}.jsonl"


def write_gold(desk, page: GoldPage) -> Path:
    target = gold_file(desk)
    with _lock:
        pages = read_gold(target) if target.is_file() else []
        pages = [p for p in pages if p.id != page.id] + [page]
        target.parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(target, pages)
    return target


def save_correction(desk, proposal) -> threading.Thread:
    """Write the gold page of an approved correction, in the background (`desk.wait_for_gold`)."""

    def run() -> None:
        try:
            page = gold_page(desk, proposal)
            if page is not None:
                write_gold(desk, page)
        except Exception as exc:  # the decision stands; the page is not kept
            desk.gold_problems.append(f"{proposal.count_id}: no gold page: {type(exc).__name__}")

    thread = threading.Thread(target=run, name=f"gold-{proposal.id}", daemon=True)
    desk.gold_threads.append(thread)
    thread.start()
    return thread
