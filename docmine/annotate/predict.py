"""Pre-annotations and uncertainty: what the entity model proposes for a page, and how sure it is.

The model reads a page as it does at run time (`docmine.normalize`d text: rules first, NER
around them); spans are mapped back onto the page text the annotator sees through the
normaliser's offset map.

Uncertainty (for `--select uncertain`): the NER is a greedy transition parser with no
per-span probability, so the page is also parsed with a beam (`EntityRecognizer.beam_parse`,
width 8) and each candidate entity gets its beam marginal `p` (`scored_ents`: the share of
beam probability on parses that contain it). A page's uncertainty is `sum(min(p, 1 - p))`
over its candidates: the expected number of entity decisions the model would get wrong if
the beam were calibrated. Pattern-rule spans are fixed before the NER runs, so they are
certain (p = 1). The beam of a greedily trained model is over-confident, so the number is
small in absolute terms; only the order it gives is used (most uncertain page first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from docmine.normalize import normalize

BEAM_WIDTH = 8


@dataclass(frozen=True)
class Predicted:
    start: int  # in the page text as read (not normalised)
    end: int
    label: str
    score: float  # beam marginal of this span (1.0 for a rule span)
    source: str  # "rules" or "model"


@dataclass(frozen=True)
class PagePrediction:
    spans: tuple[Predicted, ...]
    uncertainty: float


def predict_pages(nlp, texts: Sequence[str], *, beam_width: int = BEAM_WIDTH) -> list[PagePrediction]:
    """Model spans (page-text offsets) with beam scores, and each page's uncertainty."""
    from docmine.nlp.components import RULES_SPAN_KEY

    ner = nlp.get_pipe("ner")
    before_ner = [name for name in nlp.pipe_names if name != "ner"]
    normalized = [normalize(text) for text in texts]
    out: list[PagePrediction] = []
    with nlp.select_pipes(enable=before_ner):
        docs = list(nlp.pipe([n.text for n in normalized], batch_size=16))
    for norm, doc in zip(normalized, docs):
        rules = {(s.start_char, s.end_char, s.label_) for s in doc.spans.get(RULES_SPAN_KEY, [])}
        marginals = ner.scored_ents(ner.beam_parse([doc], beam_width=beam_width))[0] if len(doc) else {}
        doc = ner(doc)  # the greedy parse: what `entities()` returns at run time
        spans = []
        for ent in doc.ents:
            key = (ent.start_char, ent.end_char, ent.label_)
            source = "rules" if key in rules else "model"
            score = 1.0 if source == "rules" else float(marginals.get((ent.start, ent.end, ent.label_), 0.0))
            start, end = norm.source_span(ent.start_char, ent.end_char)
            spans.append(Predicted(start, end, ent.label_, round(score, 6), source))
        uncertainty = sum(min(p, 1.0 - p) for p in marginals.values())
        out.append(PagePrediction(tuple(spans), float(uncertainty)))
    return out
