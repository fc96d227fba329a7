"""`docmine train`: a new model version, measured on the fixed held-out split, shipped only if better.

Every run writes a version folder (`models/versions/docmine-ner-vNNN/`, or `--out`) with the
pipeline (`model/`), `training.json`, `metrics.json` (held-out entity P/R/F1 per label for
the candidate and the shipped model) and `scores.json` (held-out precision per source and
label, what `docmine.nlp.model.entities` reports as a span's score). The shipped model
(`models/docmine-ner`) is replaced only when the candidate's micro F1 on the held-out gold
pages (`annotations/gold/test.jsonl`: OCR pages no training run ever reads) is higher;
`force` replaces it anyway, with a warning.
"""

from __future__ import annotations

import collections
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from docmine.errors import DocmineError
from docmine.nlp import align
from docmine.nlp.evaluate import Tally
from docmine.normalize import normalize

Span = tuple[int, int, str]
VERSIONS = "versions"
NAME = "docmine-ner"


def held_out(path: Path) -> list[tuple[str, list[Span]]]:
    from docmine.annotate.gold import read_gold

    return [(page.text, list(page.spans)) for page in read_gold(path)]


def score_model(nlp, pages: Sequence[tuple[str, Sequence[Span]]]) -> tuple[Tally, dict]:
    """Exact-match entity tally of rules + NER over the pages as the model reads them
    (normalised text, gold moved along), and precision per source and label."""
    from docmine.nlp.components import RULES_SPAN_KEY

    tally = Tally()
    by_source: dict[str, Tally] = collections.defaultdict(Tally)
    normalized = [normalize(text) for text, _ in pages]
    for norm, (_, spans), doc in zip(normalized, pages, nlp.pipe([n.text for n in normalized], batch_size=16)):
        gold = set(align.to_normalized(norm, spans))
        rules = {(s.start_char, s.end_char, s.label_) for s in doc.spans.get(RULES_SPAN_KEY, [])}
        predicted = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        tally.add(gold, predicted)
        for source, found in (("rules", predicted & rules), ("model", predicted - rules)):
            by_source[source].add(gold & found, found)  # precision only: fn are not this source's
    precision = {
        source: {label: round(t.prf(label)[0], 3) for label in sorted(set(t.tp) | set(t.fp))}
        for source, t in sorted(by_source.items())
    }
    return tally, precision


def summary(tally: Tally) -> dict:
    p, r, f, n = tally.prf()
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "gold": n,
        "labels": {
            label: dict(
                zip(
                    ("precision", "recall", "f1", "gold"),
                    [round(x, 4) for x in tally.prf(label)[:3]] + [tally.prf(label)[3]],
                )
            )
            for label in tally.labels()
        },
    }


def next_version(models_root: Path) -> Path:
    root = models_root / VERSIONS
    numbers = [int(p.name.rsplit("-v", 1)[1]) for p in root.glob(f"{NAME}-v*") if p.name.rsplit("-v", 1)[1].isdigit()]
    return root / f"{NAME}-v{max(numbers, default=0) + 1:03d}"


@dataclass(frozen=True)
class RetrainResult:
    candidate: Path
    shipped: Path
    candidate_f1: float
    shipped_f1: float | None
    promoted: bool
    forced: bool
    held_out_pages: int
    seconds: float
    train_pages: int


def retrain(
    *,
    shipped: Path,
    candidate: Path | None,
    annotations: Path | None,
    held_out_path: Path,
    force: bool = False,
    log: Callable[[str], None] = print,
    **train_args,
) -> RetrainResult:
    """Train a candidate (`docmine.nlp.train.train` with `train_args`), compare it with the
    shipped model on `held_out_path`, and promote it if it is better (or `force`)."""
    from docmine.nlp.model import load_model
    from docmine.nlp.train import train

    candidate = candidate or next_version(shipped.parent)
    if candidate.resolve() == shipped.resolve():
        raise DocmineError(
            f"{candidate}: the candidate cannot be written over the shipped model; it replaces it only when better"
        )
    pages = held_out(held_out_path) if held_out_path.is_file() else []
    if not pages and not force:
        raise DocmineError(
            f"{held_out_path}: no held-out gold pages to compare against (use --force to ship unmeasured)"
        )
    try:
        result = train(candidate, annotations=annotations, log=log, **train_args)
    except ValueError as exc:
        raise DocmineError(str(exc).splitlines()[0]) from None
    new = load_model(candidate)
    metrics: dict = {"held_out": held_out_path.as_posix(), "held_out_pages": len(pages)}
    candidate_f1, shipped_f1 = 0.0, None
    if pages:
        tally, precision = score_model(new, pages)
        metrics["candidate"] = summary(tally)
        candidate_f1 = tally.prf()[2]
        (candidate / "scores.json").write_text(json.dumps(precision, indent=1, sort_keys=True) + "\n", "utf-8")
        if (shipped / "model").is_dir() or (shipped / "config.cfg").is_file():
            old_tally, _ = score_model(load_model(shipped), pages)
            metrics["shipped"] = summary(old_tally)
            shipped_f1 = old_tally.prf()[2]
    better = shipped_f1 is None or candidate_f1 > shipped_f1
    promoted = better or force
    metrics["promoted"] = promoted
    metrics["forced"] = force and not better
    info = {
        "seconds": round(result.seconds, 1),
        "train_pages": result.train_pages,
        "dev_pages": result.dev_pages,
        "spans_lost_to_tokenization": result.lost_spans,
        "dev_scores": {k: v for k, v in result.scores.items() if k in ("ents_f", "ents_p", "ents_r")},
        **{k: (str(v) if isinstance(v, Path) else v) for k, v in train_args.items() if k != "log"},
    }
    (candidate / "training.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", "utf-8")
    (candidate / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True) + "\n", "utf-8")
    if promoted:
        if not better:
            log(
                f"warning: --force: shipping {candidate} although its held-out F1 {candidate_f1:.4f} "
                f"is not above the shipped model's {shipped_f1:.4f}"
            )
        _promote(candidate, shipped)
    return RetrainResult(
        candidate, shipped, candidate_f1, shipped_f1, promoted, force and not better, len(pages), result.seconds,
        result.train_pages,
    )  # fmt: skip


def _promote(candidate: Path, shipped: Path) -> None:
    """Copy the candidate's pipeline and measurements into the shipped folder, pipeline
    swapped in by rename so a reader never sees half a model."""
    shipped.mkdir(parents=True, exist_ok=True)
    staging = shipped / "model.new"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(candidate / "model", staging)
    old = shipped / "model.old"
    shutil.rmtree(old, ignore_errors=True)
    if (shipped / "model").exists():
        (shipped / "model").rename(old)
    staging.rename(shipped / "model")
    shutil.rmtree(old, ignore_errors=True)
    for name in ("scores.json", "metrics.json", "training.json"):
        if (candidate / name).is_file():
            shutil.copy2(candidate / name, shipped / name)
    version = {"version": candidate.name, "from": candidate.as_posix()}
    (shipped / "version.json").write_text(json.dumps(version, indent=1) + "\n", "utf-8")
