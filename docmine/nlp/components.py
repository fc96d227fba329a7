"""spaCy factories docmine registers: the record tokenizer and the pattern-rule component.

Records glue their fields with punctuation (`DOB/19650314`, `CNT:01`, `#BA123456`,
`11357 HS-POSS MARIJUANA`, `* * * *`), so the tokenizer also splits on `/ : # * - ( ) , ;
| =` wherever they stand; every entity boundary in the synthetic truth then falls on a
token boundary. Both are registered on import and through the `spacy_tokenizers` /
`spacy_factories` entry points.
"""

from __future__ import annotations

from typing import Callable

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, filter_spans

from docmine.nlp.patterns import rule_spans

TOKENIZER_NAME = "docmine.RecordTokenizer.v1"
PATTERNS_FACTORY = "docmine_patterns"
RULES_SPAN_KEY = "docmine_rules"

_RECORD_PUNCT = r"[/:#*\-(),;|=_~\[\]{}<>'\"‘’“”!?]"


def record_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's English tokenizer plus a split at every record punctuation mark."""
    defaults = nlp.Defaults
    prefixes = compile_prefix_regex([_RECORD_PUNCT, *defaults.prefixes])
    suffixes = compile_suffix_regex([_RECORD_PUNCT, *defaults.suffixes])
    infixes = compile_infix_regex([_RECORD_PUNCT, *defaults.infixes])
    # No URL/token_match and no exceptions: `A.M.`-style special cases would glue record
    # fields back together; a record is not prose.
    return Tokenizer(
        nlp.vocab, rules={}, prefix_search=prefixes.search, suffix_search=suffixes.search,
        infix_finditer=infixes.finditer, token_match=None, url_match=None,
    )  # fmt: skip


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_record_tokenizer() -> Callable[[Language], Tokenizer]:
    return record_tokenizer


class PatternEntities:
    """Pattern-rule entities (`docmine.nlp.patterns`), set like an `entity_ruler`.

    The spans go to `doc.spans["docmine_rules"]` and into `doc.ents`; an `ner` placed after
    this component keeps them and predicts only around them. With `overwrite=False`,
    entities already on the doc win over overlapping rule spans.
    """

    def __init__(self, nlp: Language, name: str, overwrite: bool):
        self.name = name
        self.overwrite = overwrite

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end, label in rule_spans(doc.text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        spans = filter_spans(spans)
        doc.spans[RULES_SPAN_KEY] = spans
        if self.overwrite:
            kept = [e for e in doc.ents if not any(_overlaps(e, s) for s in spans)]
            doc.ents = sorted(kept + spans, key=lambda s: s.start)
        else:
            existing = list(doc.ents)
            added = [s for s in spans if not any(_overlaps(e, s) for e in existing)]
            doc.ents = sorted(existing + added, key=lambda s: s.start)
        return doc


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


@Language.factory(PATTERNS_FACTORY, default_config={"overwrite": False})
def create_pattern_entities(nlp: Language, name: str, overwrite: bool) -> PatternEntities:
    return PatternEntities(nlp, name, overwrite)


def blank_pipeline() -> Language:
    """`spacy.blank("en")` with the record tokenizer."""
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
