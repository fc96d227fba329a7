"""doccano: sequence-labeling JSONL out and back.

Export: one JSON object per line, `{"text": ..., "label": [[start, end, "LABEL"], ...],
"page_id": ..., "uncertainty": ...}`: doccano's sequence-labeling import format ("JSONL"
with a `label` column; the other keys become the example's metadata). The labels must
exist in the project (create them from `docmine.labels.LABELS`).

Import: doccano's export of a sequence-labeling project: the same shape (`label` as
`[start, end, label]` triples), or, from projects with relations, `entities` as
`{"start_offset", "end_offset", "label"}` objects. Without collaborative mode doccano
exports one file per user (`<user>.jsonl`, in a zip): the annotator is that file name, or
the record's `user`/`annotator` key when present.
"""

from __future__ import annotations

import json
from typing import Sequence

from docmine.annotate.tasks import Annotation, ExportPage, Rejected, read_jsonl_annotations


def record(page: ExportPage) -> dict:
    return {
        "text": page.text,
        "label": [[p.start, p.end, p.label] for p in page.predictions],
        "page_id": page.id,
        "uncertainty": round(page.uncertainty, 6),
        **page.meta,
    }


def dumps(pages: Sequence[ExportPage]) -> str:
    return "".join(json.dumps(record(p), ensure_ascii=False) + "\n" for p in pages)


def loads(text: str, annotator: str = "") -> tuple[list[Annotation], list[Rejected]]:
    def read(line: int, item: dict) -> Annotation:
        if "entities" in item:
            spans = tuple((e["start_offset"], e["end_offset"], e["label"], None) for e in item["entities"])
        else:
            labels = item.get("label") or []
            if any(not isinstance(x, list) or len(x) != 3 for x in labels):
                raise ValueError('"label" must hold [start, end, label] triples')
            spans = tuple((s, e, label, None) for s, e, label in labels)
        meta = {k: v for k, v in item.items() if k not in _NOT_META}
        who = item.get("user", item.get("annotator", annotator))
        return Annotation(str(item.get("page_id", item.get("id", ""))), item["text"], spans, str(who), line, meta)

    return read_jsonl_annotations(text, read, "example")


# Keys of an example that are doccano's own or docmine's, not page metadata.
_NOT_META = ("text", "label", "entities", "relations", "page_id", "id", "user", "annotator", "Comments")
