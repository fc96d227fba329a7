"""Prodigy: `ner.manual` input with pre-highlighted spans out, `db-out` annotations back.

Export: JSON Lines, one task per page in the format Prodigy's manual NER interface reads
(prodi.gy/docs/api-interfaces#ner_manual): `text`, `tokens` (`text`, `start`, `end`, `id`,
`ws`; docmine's record tokenizer, so a highlighted span always starts and ends on a token),
`spans` (`start`, `end`, `label`, `token_start`, `token_end` inclusive) and `meta` (page
id, uncertainty; Prodigy shows `meta` under the card). Load with e.g.
`prodigy ner.manual DATASET blank:en FILE --label PERSON_NAME,DOB,...` (tokens given in the
task are kept).

Import: `prodigy db-out DATASET` JSON Lines: the same task plus `answer` (`accept`,
`reject`, `ignore`) and, in multi-user sessions, `_annotator_id` / `_session_id`. Only
accepted answers are gold.
"""

from __future__ import annotations

import json
from typing import Sequence

from docmine.annotate.tasks import Annotation, ExportPage, Rejected, read_jsonl_annotations


def _tokens(nlp, text: str) -> list[dict]:
    doc = nlp.make_doc(text)
    return [
        {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)} for t in doc
    ]


def task(nlp, page: ExportPage) -> dict:
    tokens = _tokens(nlp, page.text)
    starts = {t["start"]: t["id"] for t in tokens}
    ends = {t["end"]: t["id"] for t in tokens}
    spans = []
    for p in page.predictions:
        if p.start in starts and p.end in ends:  # a span Prodigy could not show is left out
            spans.append(
                {
                    "start": p.start,
                    "end": p.end,
                    "label": p.label,
                    "token_start": starts[p.start],
                    "token_end": ends[p.end],
                    "source": p.source,
                    "score": p.score,
                }
            )
    return {
        "text": page.text,
        "tokens": tokens,
        "spans": spans,
        "meta": {"page_id": page.id, "uncertainty": round(page.uncertainty, 6), **page.meta},
    }


def dumps(pages: Sequence[ExportPage]) -> str:
    from docmine.nlp.components import blank_pipeline

    nlp = blank_pipeline()
    return "".join(json.dumps(task(nlp, p), ensure_ascii=False) + "\n" for p in pages)


def loads(text: str) -> tuple[list[Annotation], list[Rejected]]:
    def read(line: int, record: dict) -> Annotation | None:
        if record.get("answer", "accept") != "accept":
            return None
        spans = tuple((s["start"], s["end"], s["label"], s.get("text")) for s in record.get("spans") or [])
        meta = dict(record.get("meta") or {})
        page_id = str(meta.pop("page_id", record.get("_input_hash", "")))
        who = record.get("_annotator_id") or record.get("_session_id") or ""
        return Annotation(page_id, record["text"], spans, str(who), line, meta)

    return read_jsonl_annotations(text, read, "task")
