"""Load the shipped entity model and run it over a document's text.

`load_model()` finds `docmine-ner` among the shipped models (`docmine.paths.models_dir()`:
`models/` in a checkout, `docmine/_models` in a wheel). `entities(nlp, doc)` runs it page
by page over `DocText`'s normalised text and returns `Entity` spans in `DocText.text`
coordinates: `source="rules"` for pattern-rule spans, `source="model"` for what the NER
added around them. The score is the precision measured for that label and source on the
held-out OCR evaluation (`scores.json` beside the model; 0.9/0.7 where not measured), so
downstream confidence can weigh a model span below a rule span.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from docmine.errors import DocmineError
from docmine.doctext import DocText, Entity

MODEL_NAME = "docmine-ner"
DEFAULT_SCORE = {"rules": 0.9, "model": 0.7}


def default_model_dir() -> Path:
    from docmine.paths import models_dir

    return models_dir() / MODEL_NAME


def _pipeline_dir(path: Path) -> Path:
    """Accept the model folder (with its card) or the spaCy pipeline folder inside it."""
    if (path / "model" / "config.cfg").is_file():
        return path / "model"
    if (path / "config.cfg").is_file():
        return path
    raise DocmineError(f"{path}: not a docmine entity model (no config.cfg)")


def load_model(path: str | Path | None = None):
    """The entity pipeline (record tokenizer, tok2vec, pattern rules, NER)."""
    import spacy

    from docmine.nlp import components  # noqa: F401  (registers the tokenizer and factory)

    try:
        folder = Path(path) if path is not None else default_model_dir()
    except FileNotFoundError as exc:
        raise DocmineError(str(exc)) from None
    if not folder.is_dir():
        raise DocmineError(f"{folder}: entity model folder not found")
    pipeline = _pipeline_dir(folder)
    try:
        nlp = spacy.load(pipeline)
    except (OSError, ValueError) as exc:
        raise DocmineError(f"{pipeline}: cannot load the entity model ({str(exc).splitlines()[0]})") from None
    nlp.meta.setdefault("docmine_scores", _scores(folder))
    return nlp


def _scores(folder: Path) -> dict:
    path = folder / "scores.json"
    if not path.is_file():
        path = folder.parent / "scores.json"
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def entities(nlp, doc: DocText, *, batch_size: int = 16, cache: dict | None = None) -> list[Entity]:
    """Entity spans of the whole document, page by page, in `doc.text` coordinates. `cache`
    (a dict kept by the caller): each page's spans by its text, so a page read again with the
    same words (the second look mostly confirms) is not parsed again."""
    from docmine.nlp.components import RULES_SPAN_KEY

    scores = nlp.meta.get("docmine_scores") or {}
    texts = [page.normalized.text for page in doc.pages]
    cache = {} if cache is None else cache
    new = [t for t in dict.fromkeys(texts) if t not in cache]
    for text, parsed in zip(new, nlp.pipe(new, batch_size=batch_size)):
        rules = {(s.start_char, s.end_char, s.label_) for s in parsed.spans.get(RULES_SPAN_KEY, [])}
        spans = []
        for ent in parsed.ents:
            key = (ent.start_char, ent.end_char, ent.label_)
            source = "rules" if key in rules else "model"
            score = scores.get(source, {}).get(ent.label_, DEFAULT_SCORE[source])
            spans.append((ent.start_char, ent.end_char, ent.label_, float(score), source))
        cache[text] = spans
    return [
        Entity(page.offset + start, page.offset + end, label, score, source)
        for page, text in zip(doc.pages, texts)
        for start, end, label, score, source in cache[text]
    ]


@lru_cache(maxsize=2)
def shipped_model():
    """The shipped model, loaded once per process."""
    return load_model()
