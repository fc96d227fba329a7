"""Label Studio: tasks with pre-annotations out, exported annotations back.

Export: a JSON array of tasks in Label Studio's import format (the "Basic Label Studio JSON
format" of the pre-annotation guide, labelstud.io/guide/predictions): `data.text` holds the
page, `predictions[0].result` one region per model span::

    {"data": {"text": "...", "page_id": "...", "uncertainty": 0.12, ...},
     "predictions": [{"model_version": "docmine-ner", "score": 0.9,
                      "result": [{"id": "p3", "from_name": "label", "to_name": "text", "type": "labels",
                                  "score": 0.98, "value": {"start": 10, "end": 19, "text": "DOE,JANE",
                                                           "labels": ["PERSON_NAME"]}}]}]}

`labeling_config()` is the project's labeling interface (`<Labels name="label" toName="text">`
over `<Text name="text" value="$text">`), written beside the tasks. Offsets are JavaScript
string offsets (UTF-16 code units); they equal code points unless a page holds a character
outside the BMP, and are converted both ways.

Import: Label Studio's JSON export (tasks with `annotations[].result`, `completed_by`,
`was_cancelled`, `ground_truth`) or its JSON-MIN export (`[{"text", "label": [{"start",
"end", "text", "labels"}], "annotator"}]`). Cancelled (skipped) annotations are not gold.
"""

from __future__ import annotations

import json
from typing import Sequence
from xml.sax.saxutils import quoteattr

from docmine.annotate.tasks import LABEL_FIELD, TEXT_FIELD, Annotation, ExportPage, Rejected, cp_to_utf16
from docmine.annotate.tasks import json_array_items, utf16_to_cp
from docmine.labels import LABELS

MODEL_VERSION = "docmine-ner"


def labeling_config() -> str:
    labels = "\n".join(f"    <Label value={quoteattr(label)}/>" for label in LABELS)
    return (
        f'<View>\n  <Labels name="{LABEL_FIELD}" toName="{TEXT_FIELD}">\n{labels}\n  </Labels>\n'
        f'  <Text name="{TEXT_FIELD}" value="${TEXT_FIELD}" granularity="symbol"/>\n</View>\n'
    )


def task(page: ExportPage, model_version: str = MODEL_VERSION) -> dict:
    result = []
    for i, p in enumerate(page.predictions):
        result.append(
            {
                "id": f"p{i}",
                "from_name": LABEL_FIELD,
                "to_name": TEXT_FIELD,
                "type": "labels",
                "score": p.score,
                "origin": "prediction",
                "value": {
                    "start": cp_to_utf16(page.text, p.start),
                    "end": cp_to_utf16(page.text, p.end),
                    "text": page.text[p.start : p.end],
                    "labels": [p.label],
                },
            }
        )
    scores = [p.score for p in page.predictions]
    return {
        "data": {TEXT_FIELD: page.text, "page_id": page.id, "uncertainty": round(page.uncertainty, 6), **page.meta},
        "predictions": [
            {"model_version": model_version, "score": round(min(scores), 6) if scores else 1.0, "result": result}
        ],
    }


def dumps(pages: Sequence[ExportPage], model_version: str = MODEL_VERSION) -> str:
    return json.dumps([task(p, model_version) for p in pages], ensure_ascii=False, indent=1) + "\n"


def loads(text: str) -> tuple[list[Annotation], list[Rejected]]:
    """Annotations of a Label Studio JSON (or JSON-MIN) export."""
    out: list[Annotation] = []
    rejected: list[Rejected] = []
    try:
        items = list(json_array_items(text))
    except ValueError as exc:
        return [], [Rejected(1, f"not a Label Studio JSON export ({exc})")]
    for line, item in items:
        try:
            if isinstance(item, dict) and "data" in item:
                out += _task_annotations(item, line)
            elif isinstance(item, dict) and TEXT_FIELD in item:
                out.append(_min_annotation(item, line))
            else:
                raise ValueError('neither a task (with "data") nor a JSON-MIN row (with "text")')
        except (ValueError, KeyError, TypeError) as exc:
            rejected.append(Rejected(line, f"task: {exc}"))
    return out, rejected


def _task_annotations(item: dict, line: int) -> list[Annotation]:
    data = item["data"]
    text = data[TEXT_FIELD]
    if not isinstance(text, str):
        raise ValueError("data.text is not a string")
    page_id = str(data.get("page_id", item.get("id", "")))
    meta = {k: v for k, v in data.items() if k not in (TEXT_FIELD, "page_id")}
    out = []
    for ann in item.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue
        who = ann.get("completed_by")
        if isinstance(who, dict):
            who = who.get("email") or who.get("id")
        spans = _regions(text, ann.get("result") or [])
        out.append(
            Annotation(
                page_id,
                text,
                spans,
                str(who if who is not None else ann.get("id", "")),
                line,
                meta,
                bool(ann.get("ground_truth")),
            )
        )
    return out


def _regions(text: str, result: list) -> tuple[tuple, ...]:
    table = utf16_to_cp(text)
    spans = []
    for region in result:
        if region.get("type") != "labels" or region.get("from_name", LABEL_FIELD) != LABEL_FIELD:
            continue  # other controls (a comment box, a choice) carry no spans
        value = region["value"]
        labels = value.get("labels") or []
        if len(labels) != 1:
            raise ValueError(f"region {value.get('start')}:{value.get('end')} has {len(labels)} labels, needs one")
        start, end = value["start"], value["end"]
        if table is not None and isinstance(start, int) and isinstance(end, int) and 0 <= start <= end < len(table):
            start, end = table[start], table[end]
        spans.append((start, end, labels[0], value.get("text")))
    return tuple(spans)


def _min_annotation(item: dict, line: int) -> Annotation:
    text = item[TEXT_FIELD]
    regions = [{"type": "labels", "value": v} for v in item.get(LABEL_FIELD) or []]
    meta = {k: v for k, v in item.items() if k not in (TEXT_FIELD, LABEL_FIELD, "page_id", "annotator", "id")}
    return Annotation(
        str(item.get("page_id", item.get("id", ""))), text, _regions(text, regions),
        str(item.get("annotator", "")), line, meta,
    )  # fmt: skip


# The import format as Label Studio documents it (guide/predictions, guide/task_format):
# a list of tasks; each has `data` (the text under the `value="$text"` key) and optionally
# `predictions`, each prediction a `result` list of regions whose `value` holds `start`,
# `end`, `text` and exactly one of the project's labels.
TASKS_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "array",
    "items": {
        "type": "object",
        "required": ["data"],
        "properties": {
            "data": {"type": "object", "required": [TEXT_FIELD], "properties": {TEXT_FIELD: {"type": "string"}}},
            "predictions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["result"],
                    "properties": {
                        "model_version": {"type": "string"},
                        "score": {"type": "number"},
                        "result": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["from_name", "to_name", "type", "value"],
                                "properties": {
                                    "id": {"type": "string"},
                                    "from_name": {"const": LABEL_FIELD},
                                    "to_name": {"const": TEXT_FIELD},
                                    "type": {"const": "labels"},
                                    "score": {"type": "number"},
                                    "value": {
                                        "type": "object",
                                        "required": ["start", "end", "labels"],
                                        "properties": {
                                            "start": {"type": "integer", "minimum": 0},
                                            "end": {"type": "integer", "minimum": 0},
                                            "text": {"type": "string"},
                                            "labels": {
                                                "type": "array",
                                                "minItems": 1,
                                                "maxItems": 1,
                                                "items": {"enum": list(LABELS)},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}
