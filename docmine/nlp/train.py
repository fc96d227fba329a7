"""Build training corpora from synthetic records and train the docmine entity model.

Data (train split only; `mixed` dockets are never in train, so they stay held out):

* synthetic pages, drawn in memory with `docmine.synth.corpus.text_document` (the same
  pages `docmine synth` writes; with `corpus=DIR` they are read back from a written corpus
  with `ner_examples`), each once clean and `damaged_copies` times through
  `docmine.nlp.augment.damage` (OCR-like noise, spans carried exactly);
* optionally real OCR pages (`ocr_pages`: pickled `Document`s of heavy scans and their
  truth `pages.json`) with the gold spans projected onto the OCR text by alignment;
* gold annotations (`annotation_files`): every `*.jsonl` under `annotations/` (the shipped
  gold set's `gold/train.jsonl`, what `docmine annotate import` wrote under `imported/`),
  one page per line, `{"text": ..., "spans": [{"start", "end", "label"}, ...]}`, except the
  held-out `dev.jsonl` / `test.jsonl` files; a page whose text is also a held-out page is
  left out, so the fixed held-out split never leaks into training.

With `base=MODEL` the tok2vec and NER start from that model's weights (spaCy's
`source`/`resume_training`) instead of random ones: a few hundred steps then teach the
shipped model what annotators corrected without retraining it from nothing.

Every page is normalised first (`docmine.normalize`, as `DocText` does before the model
sees it) with its spans moved through the offset map, then cut into chunks of a few lines
(never inside a span) so batches stay small. Training is spaCy's own loop over
`docmine/nlp/config.cfg`; the saved pipeline is tokenizer -> tok2vec -> docmine_patterns
-> ner, so the NER predicts around what the rules found.
"""

from __future__ import annotations

import json
import pickle
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from docmine.labels import LABELS
from docmine.nlp import align
from docmine.nlp.augment import damage
from docmine.normalize import normalize

CONFIG_PATH = Path(__file__).with_name("config.cfg")
Span = tuple[int, int, str]


@dataclass(frozen=True)
class Page:
    text: str
    spans: tuple[Span, ...]
    origin: str  # "synthetic", "damaged", "ocr", "annotation"


# --- sources ---------------------------------------------------------------------------------


def synthetic_pages(
    n_docs: int, seed: int, splits: Sequence[str] = ("train",)
) -> Iterator[tuple[str, list[Span], str]]:
    """(page text, spans, layout) of the documents of a `docmine synth --n n_docs --seed seed`
    corpus that fall in `splits`, drawn in memory."""
    from docmine.synth.corpus import derive_seed, plan, split_for, text_document

    for index, (doc_type, layout) in enumerate(plan(n_docs, seed), start=1):
        if split_for(seed, index, layout) not in splits:
            continue
        doc = text_document(doc_type, layout, derive_seed(seed, "doc", index))
        for text, spans in zip(doc.texts, doc.spans):
            yield text, [(s["start"], s["end"], s["label"]) for s in spans], layout


def corpus_pages(root: str | Path, splits: Sequence[str] = ("train",)) -> Iterator[tuple[str, list[Span], str]]:
    """The same from a corpus written by `docmine synth`."""
    from docmine.synth.corpus import ner_examples

    for _stem, _number, text, spans in ner_examples(root, splits):
        yield text, list(spans), "corpus"


def ocr_pages(ocr_dir: str | Path, truth_dir: str | Path) -> Iterator[tuple[str, list[Span]]]:
    """(OCR page text, projected gold spans) for every `<stem>.pkl` Document in `ocr_dir`
    whose `<stem>.pages.json` is in `truth_dir`."""
    for path in sorted(Path(ocr_dir).glob("*.pkl")):
        truth_path = Path(truth_dir) / f"{path.stem}.pages.json"
        if not truth_path.is_file():
            continue
        with path.open("rb") as f:
            document = pickle.load(f)
        truth = json.loads(truth_path.read_text("utf-8"))
        for page, gold in zip(document.pages, truth["pages"]):
            spans = [(s["start"], s["end"], s["label"]) for s in gold["spans"]]
            yield page.text, align.project_spans(gold["text"], page.text, spans)


HELD_OUT_NAMES = frozenset({"dev.jsonl", "test.jsonl"})


def annotation_files(folder: str | Path, held_out: bool = False) -> list[Path]:
    """The training (or, with `held_out`, the held-out) gold files under `folder`, sorted."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.rglob("*.jsonl")) if (p.name in HELD_OUT_NAMES) == held_out]


def annotation_pages(
    folder: str | Path, *, exclude_texts: frozenset[str] = frozenset()
) -> Iterator[tuple[str, list[Span]]]:
    """Training gold pages under `folder` (`{"text", "spans": [{"start","end","label"}]}` per
    line), without the held-out files and without pages whose text is in `exclude_texts`."""
    for path in annotation_files(folder):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                spans = [(int(s["start"]), int(s["end"]), str(s["label"])) for s in record["spans"]]
                text = record["text"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not an annotation line ({exc})") from None
            for start, end, label in spans:
                if label not in LABELS or not 0 <= start < end <= len(text):
                    raise ValueError(f"{path}:{number}: bad span {start}:{end} {label}")
            if text in exclude_texts:
                continue
            yield text, spans


def held_out_pages(folder: str | Path, name: str = "test.jsonl") -> list[tuple[str, list[Span]]]:
    """The pages of every held-out file called `name` under `folder`."""
    pages = []
    for path in annotation_files(folder, held_out=True):
        if path.name != name:
            continue
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                pages.append(
                    (record["text"], [(int(s["start"]), int(s["end"]), str(s["label"])) for s in record["spans"]])
                )
    return pages


# --- preparing -------------------------------------------------------------------------------


def normalized_page(text: str, spans: Iterable[Span], origin: str) -> Page:
    """The page as the model sees it at run time: normalised, spans moved along."""
    normalized = normalize(text)
    return Page(normalized.text, tuple(align.to_normalized(normalized, spans)), origin)


def chunks(page: Page, max_lines: int | None = 14) -> list[Page]:
    """Cut a page at line breaks that no span covers, about `max_lines` lines a piece
    (`None`: the whole page is one piece)."""
    if max_lines is None:
        return [page] if page.text.strip() else []
    covered = [False] * (len(page.text) + 1)
    for start, end, _ in page.spans:
        for k in range(start, end):
            covered[k] = True
    cuts = [0]
    lines = 0
    for k, ch in enumerate(page.text):
        if ch == "\n":
            lines += 1
            if lines >= max_lines and not covered[k]:
                cuts.append(k + 1)
                lines = 0
    cuts.append(len(page.text))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = page.text[a:b]
        if not piece.strip():
            continue
        spans = tuple((s - a, e - a, label) for s, e, label in page.spans if a <= s and e <= b)
        out.append(Page(piece, spans, page.origin))
    return out


def build_pages(
    *,
    n_docs: int,
    seed: int,
    corpus: str | Path | None,
    annotations: str | Path | None,
    ocr_dir: str | Path | None,
    ocr_truth: str | Path | None,
    damaged_copies: int,
    splits: Sequence[str],
    annotation_copies: int = 1,
) -> list[Page]:
    rng = random.Random(seed)
    pages: list[Page] = []
    source = corpus_pages(corpus, splits) if corpus else synthetic_pages(n_docs, seed, splits)
    for text, spans, _layout in source:
        pages.append(normalized_page(text, spans, "synthetic"))
        for _ in range(damaged_copies):
            noisy, noisy_spans = damage(text, spans, rng, level=rng.choice((0.5, 1.0, 1.5)))
            pages.append(normalized_page(noisy, noisy_spans, "damaged"))
    if ocr_dir and ocr_truth:
        for text, spans in ocr_pages(ocr_dir, ocr_truth):
            page = normalized_page(text, spans, "ocr")
            pages += [page, page]  # few and precious: seen twice an epoch
    if annotations:
        held_out = frozenset(text for name in HELD_OUT_NAMES for text, _ in held_out_pages(annotations, name))
        for text, spans in annotation_pages(annotations, exclude_texts=held_out):
            page = normalized_page(text, spans, "annotation")
            pages += [page] * annotation_copies
    return pages


def to_docbin(nlp, pages: Iterable[Page], max_lines: int | None = 14):
    """A DocBin of the pages' chunks; returns it and how many spans would not align."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    docbin = DocBin(store_user_data=False)
    lost = 0
    for page in pages:
        for piece in chunks(page, max_lines):
            doc = nlp.make_doc(piece.text)
            ents = []
            for start, end, label in piece.spans:
                span = doc.char_span(start, end, label=label) or doc.char_span(
                    start, end, label=label, alignment_mode="expand"
                )
                if span is None or not span.text.strip() or span[0].is_space or span[-1].is_space:
                    lost += 1
                    continue
                ents.append(span)
            kept = filter_spans(ents)
            lost += len(ents) - len(kept)
            doc.ents = kept
            docbin.add(doc)
    return docbin, lost


# --- training --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainResult:
    model_dir: Path
    seconds: float
    train_pages: int
    dev_pages: int
    lost_spans: int
    scores: dict


def train(
    out: str | Path,
    *,
    seed: int = 0,
    n_docs: int = 900,
    corpus: str | Path | None = None,
    annotations: str | Path | None = None,
    ocr_dir: str | Path | None = None,
    ocr_truth: str | Path | None = None,
    max_steps: int = 3000,
    damaged_copies: int = 2,
    log=print,
    base: str | Path | None = None,
    annotation_copies: int = 1,
    learn_rate: float | None = None,
) -> TrainResult:
    """Train the model and save it (pipeline with rules) to `out`.

    `base`: a model folder whose tok2vec and NER weights training starts from (fine-tuning);
    `annotation_copies`: how often each gold page is seen per epoch (few, precious pages
    against many synthetic ones); the dev set is the synthetic dev split plus the gold
    `dev.jsonl` pages under `annotations`."""
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop
    from spacy.util import load_config

    from docmine.nlp import components  # noqa: F401  (registers the tokenizer and factory)

    started = time.time()
    out = Path(out)
    work = Path(tempfile.mkdtemp(prefix="docmine-train-"))
    try:
        nlp = components.blank_pipeline()
        drawn = {"n_docs": n_docs, "seed": seed, "corpus": corpus}
        train_pages = build_pages(
            **drawn, annotations=annotations, ocr_dir=ocr_dir, ocr_truth=ocr_truth, splits=("train",),
            damaged_copies=damaged_copies, annotation_copies=annotation_copies,
        )  # fmt: skip
        # The dev split: synthetic pages only, one damaged copy each (gold dev pages join below).
        dev_pages = build_pages(
            **drawn, annotations=None, ocr_dir=None, ocr_truth=None, damaged_copies=1, splits=("dev",)
        )
        if not train_pages:
            raise ValueError("no training pages: the corpus has no train split")
        dev_pages = dev_pages[:120] or train_pages[:20]
        if annotations:
            dev_pages += [
                normalized_page(text, spans, "annotation") for text, spans in held_out_pages(annotations, "dev.jsonl")
            ]
        train_bin, lost = to_docbin(nlp, train_pages)
        dev_bin, _ = to_docbin(nlp, dev_pages)
        train_bin.to_disk(work / "train.spacy")
        dev_bin.to_disk(work / "dev.spacy")
        log(
            f"train: {len(train_pages)} pages ({len(train_bin)} chunks), dev: {len(dev_pages)} pages, "
            f"spans lost to tokenization: {lost}"
        )
        overrides = {
            "paths.train": str(work / "train.spacy"),
            "paths.dev": str(work / "dev.spacy"),
            "training.max_steps": max_steps,
            "system.seed": seed,
            "training.eval_frequency": max(50 if base else 100, max_steps // 6),
        }
        if learn_rate is not None:
            overrides["training.optimizer.learn_rate"] = learn_rate
        config = load_config(CONFIG_PATH, overrides=overrides)
        if base is not None:
            from docmine.nlp.model import _pipeline_dir

            source = str(_pipeline_dir(Path(base)).resolve())
            # Sourced components keep their weights; init_nlp resumes training them.
            config["components"]["tok2vec"] = {"source": source}
            config["components"]["ner"] = {"source": source}
            log(f"starting from the weights of {source}")
        nlp = init_nlp(config)
        (work / "output").mkdir()
        train_loop(nlp, output_path=work / "output", stdout=_LogStream(log))
        # A short fine-tune keeps its last weights (the held-out comparison decides whether
        # it ships); training from scratch keeps the best on the dev set.
        trained = spacy.load(work / "output" / ("model-last" if base is not None else "model-best"))
        trained.add_pipe(components.PATTERNS_FACTORY, before="ner")
        trained.meta.update(
            {
                "name": "docmine_ner",
                "version": "0.1.0",
                "description": "docmine record entities: pattern rules + NER (synthetic training data)",
            }
        )
        scores = dict(trained.meta.get("performance", {}))
        if out.exists():
            shutil.rmtree(out / "model", ignore_errors=True)
        out.mkdir(parents=True, exist_ok=True)
        trained.to_disk(out / "model")
        # The config's [paths] point into a temporary folder; clear them so the shipped
        # config does not name a path that no longer exists.
        cfg_path = out / "model" / "config.cfg"
        cfg_text = cfg_path.read_text("utf-8")
        cfg_text = cfg_text.replace(str(work / "train.spacy"), "null").replace(str(work / "dev.spacy"), "null")
        if base is not None:
            cfg_text = cfg_text.replace(source, "docmine-ner")  # no machine path in a shipped file
        cfg_path.write_text(cfg_text.replace('"null"', "null"), "utf-8")
        return TrainResult(out / "model", time.time() - started, len(train_pages), len(dev_pages), lost, scores)
    finally:
        shutil.rmtree(work, ignore_errors=True)


class _LogStream:
    def __init__(self, log):
        self.log = log

    def write(self, text: str) -> None:
        if text.strip():
            self.log(text.rstrip())

    def flush(self) -> None:
        pass
