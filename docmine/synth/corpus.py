"""Write a synthetic corpus: documents in every format, exact truth, and a manifest.

`generate(n, seed, out)` writes::

    out/manifest.json                  seed, n, noise, formats, generator version, documents
    out/docs/<stem>.pdf                text-layer PDF (always written: count ids hash it)
    out/docs/<stem>.scan.pdf           image-only, degraded        (format "scan_pdf")
    out/docs/<stem>-p001.png ...       degraded page images        (format "png")
    out/docs/<stem>.tif                multi-page TIFF             (format "tiff")
    out/truth/<stem>.counts.jsonl      every count, output contract (docmine.contract)
    out/truth/<stem>.pages.json        per page: exact text, word boxes, entity spans

Mix: about 55% RAP sheets, 30% court dockets (layouts `table`, `minute`, `mixed`; every
`mixed` docket goes to the `test` split, never `train`/`dev`) and 15% other papers that are
not conviction records. The same seed gives byte-identical files.

Truth conventions (what an extractor is scored against):

* `count_id = count_id(sha256(docs/<stem>.pdf), event_ordinal, count_ordinal)`: events are
  numbered 1.. in document order (every RAP event block, DECEASED included; a docket is one
  event), counts 1.. within their event. A RAP range `CNT:001-004` is four counts.
* `cycle` is the 1-based ordinal of the RAP cycle (`* * * *` block) as a string; "1" for a docket.
* Values are what the page states: severity is `unknown` unless printed (`CONV STATUS:`, a
  docket's level); `person` holds only what the document prints (dockets: one DOB, AKAs,
  CII/sex/race only where shown); `county` is the agency's or court's county even where the
  county name is not printed (then it has no provenance).
* RAP disposition dates default to the event date; custody releases (`DISPO:PAROLED`) are
  `unrecognized` with their text. Arrest counts without a `DISPO:` line are `pending`.
* `charge_text`, `disposition_text` are the exact characters; `sentence.text` and
  `updates[].text` are the drawn text with line breaks/indentation collapsed to single
  spaces (an update that carries a new `SEN:` line includes it).
* `provenance` keys: `count`, `charge`, `severity`, `disposition`, `disposition_date`,
  `event_date`, `arrest_date`, `offense_date`, `court`, `county`, `case_number`, `sentence`,
  `sentence.date`, `updates.<i>`, `updates.<i>.date`, `person.name`, `person.dob`,
  `person.cii` (each only where drawn). Boxes are text-layer points, top-left origin; the
  page's `scan.transform` in pages.json maps them onto the degraded images.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

from docmine.contract import count_id, count_to_dict, sha256_file, validate_count, write_counts
from docmine.records import Count, DocType, Provenance
from docmine.synth import docket as _docket
from docmine.synth import other as _other
from docmine.synth import rap as _rap
from docmine.synth.facts import CountDraft, Drawn, make_history
from docmine.synth.layout import assemble, collapse, spans_of

GENERATOR_VERSION = "1.0"
DEFAULT_FORMATS: tuple[str, ...] = ("pdf", "scan_pdf", "png", "tiff")
MIX: tuple[tuple[str, float], ...] = (("rap_sheet", 0.55), ("docket", 0.30), ("other", 0.15))
DOCKET_LAYOUTS: tuple[str, ...] = _docket.LAYOUTS  # ("table", "minute", "mixed")
HELD_OUT_LAYOUTS: frozenset[str] = frozenset({"mixed"})  # never in train or dev
OTHER_LAYOUTS: tuple[str, ...] = _other.LAYOUTS


@dataclass
class DocumentEntry:
    stem: str
    doc_type: str
    layout: str
    split: str
    seed: int
    pages: int
    counts: int
    files: dict = field(default_factory=dict)  # format -> path(s) relative to the corpus root; "counts", "pages"


@dataclass
class Manifest:
    seed: int
    n: int
    noise: str
    formats: list[str]
    generator_version: str
    documents: list[DocumentEntry]
    root: str = ""  # where it was written (not serialised)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("root")
        return data

    def by_split(self, split: str) -> list[DocumentEntry]:
        return [d for d in self.documents if d.split == split]

    @classmethod
    def load(cls, path: str | Path) -> "Manifest":
        path = Path(path)
        if path.is_dir():
            path = path / "manifest.json"
        data = json.loads(path.read_text("utf-8"))
        docs = [DocumentEntry(**d) for d in data.pop("documents")]
        return cls(documents=docs, root=str(path.parent), **data)


# --- planning -----------------------------------------------------------------------------


def derive_seed(seed: int, *parts: object) -> int:
    key = ":".join(str(p) for p in (seed, *parts)).encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big") >> 1


def plan(n: int, seed: int) -> list[tuple[str, str]]:
    """(doc_type, layout) for each of n documents: the mix by largest remainder, layouts in
    turn (so a small corpus still holds every layout), order shuffled by the seed."""
    quotas = [(kind, n * share) for kind, share in MIX]
    counts = {kind: int(q) for kind, q in quotas}
    rest = n - sum(counts.values())
    for kind, q in sorted(quotas, key=lambda kq: (-(kq[1] - int(kq[1])), [k for k, _ in MIX].index(kq[0]))):
        if rest <= 0:
            break
        counts[kind] += 1
        rest -= 1
    items: list[tuple[str, str]] = []
    items += [("rap_sheet", _rap.LAYOUT)] * counts["rap_sheet"]
    items += [("docket", DOCKET_LAYOUTS[i % len(DOCKET_LAYOUTS)]) for i in range(counts["docket"])]
    items += [("other", OTHER_LAYOUTS[i % len(OTHER_LAYOUTS)]) for i in range(counts["other"])]
    random.Random(derive_seed(seed, "plan")).shuffle(items)
    return items


def split_for(seed: int, index: int, layout: str) -> str:
    if layout in HELD_OUT_LAYOUTS:
        return "test"
    r = random.Random(derive_seed(seed, "split", index)).random()
    return "train" if r < 0.8 else ("dev" if r < 0.9 else "test")


# --- drawing ------------------------------------------------------------------------------


def draw_document(doc_type: str, layout: str, doc_seed: int) -> Drawn:
    """Draw one document's pages and count drafts (no files)."""
    rng = random.Random(doc_seed)
    if doc_type == "rap_sheet":
        return _rap.draw_rap_sheet(make_history(rng), rng)
    if doc_type == "docket":
        return _docket.draw_docket(rng, layout)
    if doc_type == "other":
        return _other.draw_other(rng, layout)
    raise ValueError(f"unknown doc_type {doc_type!r}")


@dataclass
class TextDocument:
    """A drawn and assembled document: exact page texts, spans, and count drafts (marks placed)."""

    doc_type: str
    layout: str
    texts: list[str]
    spans: list[list[dict]]
    drafts: list[CountDraft]


def text_document(doc_type: str, layout: str, doc_seed: int) -> TextDocument:
    drawn = draw_document(doc_type, layout, doc_seed)
    texts = assemble(drawn.pages)
    spans = spans_of(drawn.pages, texts, drawn.allowed_labels)
    _check_drafts(drawn.drafts)
    return TextDocument(drawn.doc_type, drawn.layout, texts, spans, drawn.drafts)


def _check_drafts(drafts: Sequence[CountDraft]) -> None:
    """The values written as truth agree with the characters they point at."""
    for d in drafts:
        for key, m in d.prov.items():
            if not m.placed:
                raise AssertionError(f"mark for {key} was never drawn")
        p = d.prov
        if "charge" in p and p["charge"].text != d.charge_text:
            raise AssertionError(f"charge_text {d.charge_text!r} != {p['charge'].text!r}")
        if "disposition" in p and p["disposition"].text != d.disposition_text:
            raise AssertionError(f"disposition_text {d.disposition_text!r} != {p['disposition'].text!r}")
        if d.sentence is not None and "sentence" in p and collapse(p["sentence"].text) != d.sentence.text:
            raise AssertionError(f"sentence {d.sentence.text!r} != {p['sentence'].text!r}")
        for i, u in enumerate(d.updates):
            m = p.get(f"updates.{i}")
            if m is not None and collapse(m.text) != u.text:
                raise AssertionError(f"update {u.text!r} != {m.text!r}")
        if "case_number" in p and p["case_number"].text != d.case_number:
            raise AssertionError(f"case_number {d.case_number!r} != {p['case_number'].text!r}")
        if "court" in p and collapse(p["court"].text) != d.court:
            raise AssertionError(f"court {d.court!r} != {p['court'].text!r}")


def _box_for(words: list[dict], start: int, end: int) -> tuple[float, float, float, float] | None:
    """The box around characters [start, end) of a page: the renderer's word boxes cut to
    those characters (Courier is monospace, so every character has the same advance)."""
    boxes = []
    for w in words:
        if w["start"] < end and w["end"] > start:
            x0, y0, x1, y1 = w["box"]
            adv = (x1 - x0) / max(1, w["end"] - w["start"])
            a, b = max(start, w["start"]), min(end, w["end"])
            boxes.append((x0 + (a - w["start"]) * adv, y0, x0 + (b - w["start"]) * adv, y1))
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def build_counts(doc: TextDocument, stem: str, sha256: str, page_words: list[list[dict]] | None = None) -> list[Count]:
    counts = []
    for d in doc.drafts:
        prov = {}
        for key in sorted(d.prov):
            m = d.prov[key]
            box = _box_for(page_words[m.page - 1], m.start, m.end) if page_words else None
            prov[key] = Provenance(
                page=m.page, start=m.start, end=m.end, text=m.text,
                box=tuple(round(v, 3) for v in box) if box else None, confidence=1.0,
            )  # fmt: skip
        count = Count(
            count_id=count_id(sha256, d.event_ordinal, d.count_ordinal), document=stem,
            doc_type=DocType(doc.doc_type), page=d.first_mark.page, person=d.person, cycle=d.cycle,
            event_type=d.event_type, count=d.number, charge=d.charge, charge_text=d.charge_text,
            event_date=d.event_date, offense_date=d.offense_date, arrest_date=d.arrest_date, court=d.court,
            county=d.county, case_number=d.case_number, attempted=bool(d.charge and d.charge.attempted),
            severity=d.severity, disposition=d.disposition, disposition_text=d.disposition_text,
            disposition_date=d.disposition_date, updates=tuple(d.updates), sentence=d.sentence, confidence=1.0,
            provenance=prov,
        )  # fmt: skip
        counts.append(count)
    return counts


# --- writing ------------------------------------------------------------------------------


def _dump(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=False, indent=1) + "\n", encoding="utf-8")


def _render(texts: list[str], out_dir: Path, stem: str, noise: str, seed: int, formats: Sequence[str]) -> dict:
    """Integration point with `docmine.synth.render` (files + per-page word truth)."""
    from docmine.synth.render import render_document

    return render_document(texts, out_dir, stem, noise=noise, seed=seed, formats=tuple(formats))


def write_document(
    index: int, doc_type: str, layout: str, seed: int, out: Path, noise: str, formats: Sequence[str]
) -> DocumentEntry:
    stem = f"doc-{index:05d}"
    doc_seed = derive_seed(seed, "doc", index)
    doc = text_document(doc_type, layout, doc_seed)
    docs_dir, truth_dir = out / "docs", out / "truth"
    rendered = _render(doc.texts, docs_dir, stem, noise, doc_seed, formats)
    pages_out = []
    for text, spans, page in zip(doc.texts, doc.spans, rendered["pages"]):
        if page["text"] != text:
            raise AssertionError(f"{stem}: the renderer changed page {page['number']}'s text")
        pages_out.append({**page, "spans": spans})
    sha = sha256_file(docs_dir / f"{stem}.pdf")
    counts = build_counts(doc, stem, sha, [p["words"] for p in rendered["pages"]])
    for c in counts:
        validate_count(count_to_dict(c))
    write_counts(truth_dir / f"{stem}.counts.jsonl", counts)
    _dump(
        truth_dir / f"{stem}.pages.json",
        {
            "stem": stem,
            "doc_type": doc.doc_type,
            "layout": doc.layout,
            "sha256": sha,
            "generator_version": GENERATOR_VERSION,
            "pages": pages_out,
        },
    )
    files: dict = {
        k: ([f"docs/{x}" for x in v] if isinstance(v, list) else f"docs/{v}") for k, v in rendered["files"].items()
    }
    files["counts"] = f"truth/{stem}.counts.jsonl"
    files["pages"] = f"truth/{stem}.pages.json"
    return DocumentEntry(
        stem=stem, doc_type=doc.doc_type, layout=doc.layout, split=split_for(seed, index, layout), seed=doc_seed,
        pages=len(doc.texts), counts=len(counts), files=files,
    )  # fmt: skip


def ner_examples(root: str | Path, splits: Sequence[str] = ("train",)):
    """Yield `(stem, page_number, page_text, [(start, end, label), ...])` for every page of
    the documents in `splits`, read back from a written corpus (for training an NER)."""
    root = Path(root)
    manifest = Manifest.load(root)
    for d in manifest.documents:
        if d.split not in splits:
            continue
        data = json.loads((root / "truth" / f"{d.stem}.pages.json").read_text("utf-8"))
        for page in data["pages"]:
            yield d.stem, page["number"], page["text"], [(s["start"], s["end"], s["label"]) for s in page["spans"]]


def _write_task(args: tuple) -> DocumentEntry:
    return write_document(*args)


def generate(
    n: int,
    seed: int,
    out: str | Path,
    noise: str = "light",
    formats: Sequence[str] = DEFAULT_FORMATS,
    workers: int | None = None,
) -> Manifest:
    """Write n synthetic documents with exact truth under `out`; return the manifest.

    `formats` picks the renderer's outputs ("pdf", "scan_pdf", "png", "tiff", "jpeg");
    the text-layer PDF is always written because count ids hash it. `workers` > 1 renders
    documents in that many processes (output is identical either way); None uses the
    machine's cores (at most 8).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    if workers is None:
        workers = min(8, os.cpu_count() or 1)
    out = Path(out)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    formats = ("pdf", *[f for f in formats if f != "pdf"])
    tasks = [(i + 1, kind, layout, seed, out, noise, formats) for i, (kind, layout) in enumerate(plan(n, seed))]
    if workers > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            entries = list(pool.map(_write_task, tasks))
    else:
        entries = [_write_task(t) for t in tasks]
    manifest = Manifest(
        seed=seed, n=n, noise=noise, formats=list(formats), generator_version=GENERATOR_VERSION, documents=entries,
        root=str(out),
    )  # fmt: skip
    _dump(out / "manifest.json", manifest.to_dict())
    return manifest
