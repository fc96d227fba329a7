"""`docmine annotate export` and `import`: the library functions behind the commands.

Export reads pages (scans/PDFs through `docmine.ingest`, or gold `.jsonl` pages), has the
entity model propose spans and rate its uncertainty, optionally orders pages most uncertain
first and keeps `limit` of them, optionally redacts, and writes the tool's import file.
Import reads a tool's export, validates every span, keeps one gold version per page (the
tool's ground-truth flag, else the first annotator), reports agreement where several
annotators labelled a page, and writes `annotations/imported/<name>.jsonl` and `.spacy`.

With redaction a second file, `<out>.office-only.jsonl`, keeps each page's original text
and the replacement map: it never leaves the office, and `import --restore` uses it to move
the annotators' spans back onto the original text.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from docmine.annotate import doccano, labelstudio, prodigy
from docmine.annotate.agreement import LabelAgreement, agreement
from docmine.annotate.gold import GoldPage, SpanError, check_spans, read_gold, write_docbin, write_jsonl
from docmine.annotate.predict import Predicted, predict_pages
from docmine.annotate.tasks import Annotation, ExportPage, Rejected
from docmine.errors import DocmineError

FORMATS = ("label-studio", "prodigy", "doccano")
SUFFIXES = {"label-studio": ".json", "prodigy": ".jsonl", "doccano": ".jsonl"}
SIDECAR_SUFFIX = ".office-only.jsonl"


@dataclass(frozen=True)
class SourcePage:
    id: str
    text: str
    gold: tuple[tuple[int, int, str], ...]  # known spans (gold input), used to find what to redact
    meta: dict = field(default_factory=dict, compare=False, hash=False)
    origin: tuple | None = field(default=None, compare=False, hash=False)  # (path, media type, records.Page)


def read_pages(inputs: Sequence[Path], *, log: Callable[[str], None] = print, workers: int = 1) -> list[SourcePage]:
    """Pages of gold `.jsonl` files and of documents (OCR'd or text layer); a file that
    cannot be read is reported and skipped."""
    from docmine.ingest import load

    pages: list[SourcePage] = []
    for path in inputs:
        try:
            if path.suffix == ".jsonl":
                for g in read_gold(path):
                    pages.append(SourcePage(g.id or _text_id(g.text), g.text, g.spans, dict(g.meta)))
                continue
            if not path.is_file():
                raise DocmineError(f"{path}: no such file")
            document = load(path, workers=workers)
        except DocmineError as exc:
            log(f"skipped: {exc}")
            continue
        except Exception as exc:  # an unreadable document (DocumentError and kin): the batch goes on
            log(f"skipped: {path}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
            continue
        for page in document.pages:
            if page.error or not page.text.strip():
                log(f"skipped: {path}, page {page.number}: {page.error or 'no text'}")
                continue
            pages.append(
                SourcePage(
                    f"{document.sha256[:16]}-p{page.number}",
                    page.text,
                    (),
                    {"file": path.name, "page": page.number, "text_source": page.source.value},
                    (path, document.media_type, page),
                )
            )
    return pages


def _text_id(text: str) -> str:
    return "t" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ExportResult:
    out: Path
    pages: int
    of: int
    sidecar: Path | None
    config: Path | None


def export(
    inputs: Sequence[Path],
    fmt: str,
    out: Path,
    *,
    select: str = "all",
    limit: int | None = None,
    redact: bool = False,
    key_path: Path | None = None,
    model: Path | None = None,
    nlp=None,
    log: Callable[[str], None] = print,
    workers: int = 1,
    images: Path | None = None,
) -> ExportResult:
    """Write `out` for `fmt`; with `images`, also each document page's image there
    (`<page id>.png`, redacted with the text when `redact`), named in the task's `image`."""
    if fmt not in FORMATS:
        raise DocmineError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if select not in ("all", "uncertain"):
        raise DocmineError(f"unknown selection {select!r} (all or uncertain)")
    pages = read_pages(inputs, log=log, workers=workers)
    if not pages:
        raise DocmineError("no readable page in the input")
    if nlp is None:
        from docmine.nlp.model import load_model

        nlp = load_model(model)
    predictions = predict_pages(nlp, [p.text for p in pages])
    order = list(range(len(pages)))
    if select == "uncertain":
        order.sort(key=lambda i: (-predictions[i].uncertainty, pages[i].id))
    if limit is not None:
        order = order[:limit]
    redactor = None
    if redact:
        from docmine.annotate.redact import Redactor, load_key

        redactor = Redactor(load_key(key_path))
    exported: list[ExportPage] = []
    office: list[dict] = []
    for i in order:
        page, pred = pages[i], predictions[i]
        spans = [(p.start, p.end, p.label) for p in pred.spans]
        text, meta, moved = page.text, dict(page.meta), list(pred.spans)
        red = None
        if redactor is not None:
            red = redactor.redact(page.text, [*page.gold, *spans])
            text = red.text
            meta = {k: v for k, v in meta.items() if k in ("page", "text_source", "noise", "doc_type", "layout")}
            moved = []
            for p in pred.spans:
                new = red.to_redacted([(p.start, p.end, p.label)])
                if new:
                    moved.append(Predicted(new[0][0], new[0][1], p.label, p.score, p.source))
            office.append(
                {
                    "id": page.id,
                    "original": page.text,
                    "redacted_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "map": red.offset_map(),
                }
            )
        if images is not None and page.origin is not None:
            meta["image"] = _write_image(images, page, red)
        exported.append(ExportPage(page.id, text, tuple(moved), pred.uncertainty, meta))
    out.parent.mkdir(parents=True, exist_ok=True)
    config = None
    if fmt == "label-studio":
        out.write_text(labelstudio.dumps(exported), "utf-8")
        config = out.with_name(out.stem + ".label_config.xml")
        config.write_text(labelstudio.labeling_config(), "utf-8")
    elif fmt == "prodigy":
        out.write_text(prodigy.dumps(exported), "utf-8")
    else:
        out.write_text(doccano.dumps(exported), "utf-8")
    sidecar = None
    if redactor is not None:
        sidecar = out.with_name(out.name + SIDECAR_SUFFIX)
        write_jsonl(sidecar, office)
    return ExportResult(out, len(exported), len(pages), sidecar, config)


def _write_image(folder: Path, page: SourcePage, red) -> str:
    from docmine.annotate.images import page_image, redact_image, write_png

    path, media_type, record = page.origin
    img = page_image(path, media_type, record.number)
    if red is not None:
        img = redact_image(img, record, red)
    write_png(img, folder / f"{page.id}.png")
    return f"{folder.name}/{page.id}.png"


# --- import ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    jsonl: Path
    docbin: Path
    pages: int
    spans: int
    annotations: int
    rejected: list[str]  # "FILE: line N: reason"
    agreement: list[LabelAgreement]
    lost_spans: int


def read_annotations(path: Path, fmt: str) -> tuple[list[Annotation], list[Rejected]]:
    """A tool's export file (doccano: also a zip of per-user files)."""
    if fmt not in FORMATS:
        raise DocmineError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if not path.is_file():
        raise DocmineError(f"{path}: no such file")
    if fmt == "doccano" and path.suffix == ".zip":
        import zipfile

        annotations, rejected = [], []
        try:
            with zipfile.ZipFile(path) as z:
                for member in sorted(n for n in z.namelist() if n.endswith(".jsonl")):
                    a, r = doccano.loads(z.read(member).decode("utf-8"), annotator=Path(member).stem)
                    annotations += a
                    rejected += [Rejected(x.line, f"{member}: {x.reason}") for x in r]
        except (zipfile.BadZipFile, UnicodeDecodeError) as exc:
            raise DocmineError(f"{path}: not a doccano export ({exc})") from None
        return annotations, rejected
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocmineError(f"{path}: cannot read ({exc})") from None
    if fmt == "label-studio":
        return labelstudio.loads(text)
    if fmt == "prodigy":
        return prodigy.loads(text)
    return doccano.loads(text, annotator=path.stem)


def import_annotations(
    files: Sequence[Path], fmt: str, out_dir: Path, *, name: str | None = None, restore: Path | None = None
) -> ImportResult:
    office = _read_sidecar(restore) if restore is not None else None
    rejected: list[str] = []
    groups: dict[str, list[tuple[Annotation, tuple]]] = {}
    count = 0
    for path in files:
        annotations, bad = read_annotations(path, fmt)
        rejected += [f"{path}: line {r.line}: {r.reason}" for r in bad]
        for ann in annotations:
            try:
                spans = check_spans(ann.text, ann.spans)
                text = ann.text
                if office is not None:
                    text, spans = _restored(ann, spans, office)
            except SpanError as exc:
                rejected.append(f"{path}: line {ann.line}: page {ann.page_id or '?'}: {exc}")
                continue
            count += 1
            key = ann.page_id or hashlib.sha256(text.encode("utf-8")).hexdigest()
            groups.setdefault(key, []).append((ann, (text, spans, path.name)))
    if not groups:
        raise DocmineError(
            f"no valid annotation in {', '.join(str(f) for f in files)}"
            + (f" ({len(rejected)} rejected; first: {rejected[0]})" if rejected else "")
        )
    gold: list[GoldPage] = []
    shared = []
    for key in sorted(groups):
        versions = groups[key]
        by_annotator: dict[str, tuple] = {}
        for ann, (text, spans, _) in versions:
            by_annotator.setdefault(ann.annotator, (text, spans))
        if len(by_annotator) >= 2:
            shared.append([(who, spans) for who, (_, spans) in sorted(by_annotator.items())])
        chosen = next((v for v in versions if v[0].ground_truth), versions[0])
        ann, (text, spans, file_name) = chosen
        meta = {
            **ann.meta,
            "source": fmt,
            "file": file_name,
            "annotator": ann.annotator,
            "annotators": sorted(by_annotator),
        }
        gold.append(GoldPage(key, text, spans, meta))
    name = name or f"{fmt}-{files[0].stem}"
    jsonl, docbin = out_dir / f"{name}.jsonl", out_dir / f"{name}.spacy"
    write_jsonl(jsonl, gold)
    lost = write_docbin(docbin, gold)
    return ImportResult(
        jsonl, docbin, len(gold), sum(len(g.spans) for g in gold), count, rejected,
        agreement(shared) if shared else [], lost,
    )  # fmt: skip


def _read_sidecar(path: Path) -> dict[str, dict]:
    if not path.is_file():
        raise DocmineError(f"{path}: no such file")
    out = {}
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
                out[record["id"]] = record
            except (ValueError, KeyError) as exc:
                raise DocmineError(f"{path}: line {number}: not a redaction map ({exc})") from None
    return out


def _restored(ann: Annotation, spans, office: dict[str, dict]):
    """The annotation's spans moved back onto the page's original (unredacted) text."""
    from docmine.annotate.redact import Redacted, Replacement

    record = office.get(ann.page_id)
    if record is None:
        raise SpanError("not in the redaction map (exported without --redact, or from another export)")
    if hashlib.sha256(ann.text.encode("utf-8")).hexdigest() != record["redacted_sha256"]:
        raise SpanError("the text differs from the exported redacted text (edited in the tool?)")
    red = Redacted(record["original"], ann.text, tuple(Replacement(*r) for r in record["map"]))
    original = record["original"]
    return original, check_spans(original, red.to_original(spans))
