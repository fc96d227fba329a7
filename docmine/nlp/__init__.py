"""docmine's spaCy entity model: a record tokenizer, pattern rules and a trained NER.

`docmine.nlp.components` registers the spaCy pieces (also exposed through entry points, so
`spacy.blank("en").add_pipe("docmine_patterns")` works after `pip install docmine`);
`docmine.nlp.model` loads the shipped model and runs it over a `DocText`;
`docmine.nlp.train` builds corpora and trains it; `docmine.nlp.align` projects gold spans
from one text onto another (truth onto OCR text).
"""

from docmine.nlp.model import entities, load_model  # noqa: E402

__all__ = ["entities", "load_model"]
