"""Entity-level precision / recall / F1 of the entity model, by label, against gold spans.

A predicted entity counts only with the exact start, end and label of a gold span.
Gold comes from the synthetic truth (`pages.json` spans, or `text_document` spans) moved
onto the text the model reads: through `docmine.normalize`'s offset map for clean text,
through a character alignment (`docmine.nlp.align`) for OCR text.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Iterable

import regex

from docmine.doctext import DocText
from docmine.nlp import align
from docmine.nlp.patterns import rule_spans

Span = tuple[int, int, str]


@dataclass
class Tally:
    tp: collections.Counter = field(default_factory=collections.Counter)
    fp: collections.Counter = field(default_factory=collections.Counter)
    fn: collections.Counter = field(default_factory=collections.Counter)

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        gold, predicted = set(gold), set(predicted)
        for s in gold & predicted:
            self.tp[s[2]] += 1
        for s in predicted - gold:
            self.fp[s[2]] += 1
        for s in gold - predicted:
            self.fn[s[2]] += 1

    def prf(self, label: str | None = None) -> tuple[float, float, float, int]:
        """(precision, recall, F1, gold count) for one label, or micro-averaged over all."""
        if label is None:
            tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        else:
            tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def labels(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def page_predictions(nlp, doc: DocText, *, rules_only: bool) -> list[list[Span]]:
    """Per page of `doc`: predicted spans in that page's normalised-text coordinates."""
    if rules_only:
        return [rule_spans_aligned(nlp, page.normalized.text) for page in doc.pages]
    out = []
    for parsed in nlp.pipe([page.normalized.text for page in doc.pages]):
        out.append([(e.start_char, e.end_char, e.label_) for e in parsed.ents])
    return out


def rule_spans_aligned(nlp, text: str) -> list[Span]:
    """The pattern rules' spans as the pipeline sets them (expanded to token boundaries)."""
    if nlp is None:
        return rule_spans(text)
    from docmine.nlp.components import RULES_SPAN_KEY

    with nlp.select_pipes(enable=["docmine_patterns"]):
        parsed = nlp(text)
    return [(s.start_char, s.end_char, s.label_) for s in parsed.spans[RULES_SPAN_KEY]]


def gold_on_normalized(doc: DocText, truth_pages: list[list[Span]]) -> list[list[Span]]:
    """Gold spans of the exact page texts, moved onto each page's normalised text."""
    return [align.to_normalized(page.normalized, spans) for page, spans in zip(doc.pages, truth_pages)]


def gold_on_ocr(doc: DocText, truth_texts: list[str], truth_pages: list[list[Span]]) -> list[list[Span]]:
    """Gold spans of the drawn page texts, projected onto each OCR page's normalised text."""
    return [
        align.project_spans(text, page.normalized.text, spans)
        for page, text, spans in zip(doc.pages, truth_texts, truth_pages)
    ]


_ENTRY_HEAD = regex.compile(
    r"^(?:[0-9]{1,2}[/-][0-9]{1,2}[/-][0-9]{2,4}|[0-9]{1,2}-[A-Z]{3,9}-[0-9]{2,4}|[A-Z]{3,9}\.? [0-9]{1,2},? [0-9]{4})"
    r"(?:[ \t]+DEPT\.? [0-9A-Z]+)?[ \t]*\n(?:[ \t]{2,}\S[^\n]*(?:\n|$))+",
    regex.MULTILINE,
)


def entry_regions(text: str) -> list[tuple[int, int]]:
    """The dated free-text entries of a docket (a date line and its indented paragraph)."""
    return [(m.start(), m.end()) for m in _ENTRY_HEAD.finditer(text)]


def within(spans: Iterable[Span], regions: list[tuple[int, int]]) -> list[Span]:
    return [s for s in spans if any(a <= s[0] and s[1] <= b for a, b in regions)]


def format_table(title: str, tallies: dict[str, Tally]) -> str:
    """A Markdown table: one row per label, P/R/F1 per system side by side."""
    systems = list(tallies)
    labels = sorted(set().union(*(t.labels() for t in tallies.values())))
    head = "| label | gold | " + " | ".join(f"{s} P | {s} R | {s} F1" for s in systems) + " |"
    rule = "|---|---:|" + "---:|" * (3 * len(systems))
    rows = [f"**{title}**", "", head, rule]
    for label in [*labels, None]:
        cells = []
        gold = 0
        for s in systems:
            p, r, f, gold = tallies[s].prf(label)
            cells += [f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"]
        name = label or "**all (micro)**"
        rows.append(f"| {name} | {gold} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
