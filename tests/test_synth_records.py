"""Synthetic records: determinism, exact truth, schema, eras, page breaks, layouts, realism."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from docmine.charges import Charge
from docmine.contract import count_to_dict, read_counts, sha256_file, validate_count
from docmine.labels import LABELS, OTHER_DOC_LABELS
from docmine.records import DispositionKind, EventType
from docmine.synth import DOCKET_LAYOUTS, HELD_OUT_LAYOUTS, Manifest, generate, text_document
from docmine.synth.corpus import derive_seed, plan, split_for
from docmine.synth.facts import OLD_MARIJUANA_SECTIONS

EARLIEST, LATEST = date(1961, 1, 1), date(2019, 12, 31)
PAGE_MARK = re.compile(r"PAGE (\d+)(?: OF (\d+))?", re.IGNORECASE)  # `Page n` alone on printouts drawn with Variety


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Manifest:
    """Twelve documents, text-layer PDFs only (fast): every doc type and docket layout."""
    out = tmp_path_factory.mktemp("synth")
    return generate(12, seed=11, out=out, noise="light", formats=("pdf",), workers=1)


def _root(m: Manifest) -> Path:
    return Path(m.root)


def _pages(m: Manifest, stem: str) -> dict:
    return json.loads((_root(m) / "truth" / f"{stem}.pages.json").read_text("utf-8"))


def _counts(m: Manifest, stem: str) -> list:
    return list(read_counts(_root(m) / "truth" / f"{stem}.counts.jsonl"))


def _all_counts(m: Manifest) -> list:
    return [c for d in m.documents for c in _counts(m, d.stem)]


# --- determinism --------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    fmts = ("pdf", "scan_pdf", "png", "tiff")
    generate(2, seed=5, out=tmp_path / "a", noise="heavy", formats=fmts, workers=1)
    generate(2, seed=5, out=tmp_path / "b", noise="heavy", formats=fmts, workers=2)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert sorted(a) == sorted(b)
    assert any(k.endswith(".png") for k in a) and any(k.endswith(".tif") for k in a)
    for name in a:
        assert a[name] == b[name], name


def test_different_seed_differs(tmp_path):
    generate(2, seed=5, out=tmp_path / "a", formats=("pdf",))
    generate(2, seed=6, out=tmp_path / "b", formats=("pdf",))
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a["manifest.json"] != b["manifest.json"]
    assert a["truth/doc-00001.pages.json"] != b.get("truth/doc-00001.pages.json")


# --- exact truth --------------------------------------------------------------------------


def test_spans_and_provenance_match_page_text(corpus):
    for d in corpus.documents:
        pages = _pages(corpus, d.stem)["pages"]
        for page in pages:
            text = page["text"]
            last_end = 0
            for s in page["spans"]:
                assert s["label"] in LABELS
                assert text[s["start"] : s["end"]] == s["text"], (d.stem, s)
                assert s["start"] >= last_end, "spans overlap"
                last_end = s["end"]
                if d.doc_type == "other":
                    assert s["label"] in OTHER_DOC_LABELS
            for w in page["words"]:
                assert text[w["start"] : w["end"]] == w["text"]
        for c in _counts(corpus, d.stem):
            assert c.provenance, c.count_id
            for key, p in c.provenance.items():
                assert pages[p.page - 1]["text"][p.start : p.end] == p.text, (d.stem, key, p)
                assert p.box is not None and p.box[0] < p.box[2]
            assert c.provenance["count"].page == c.page
            assert c.provenance["charge"].text == c.charge_text
            if c.disposition not in (DispositionKind.PENDING,):
                assert c.provenance["disposition"].text == c.disposition_text


def test_every_count_validates_and_ids_hash_the_text_pdf(corpus):
    n = 0
    for d in corpus.documents:
        sha = sha256_file(_root(corpus) / "docs" / f"{d.stem}.pdf")
        counts = _counts(corpus, d.stem)
        assert len(counts) == d.counts
        ids = [c.count_id for c in counts]
        assert len(set(ids)) == len(ids)
        for c in counts:
            validate_count(count_to_dict(c))
            assert c.count_id.startswith(sha[:16] + "-")
            assert c.document == d.stem and c.doc_type.value == d.doc_type
            assert c.confidence == 1.0
            # the drawn spelling reads back as the charge the generator chose
            assert Charge.parse(c.charge_text) == c.charge, (c.charge_text, c.charge)
            n += 1
        if d.doc_type == "other":
            assert counts == []
    assert n > 20


def test_every_count_of_every_event_is_written(corpus):
    counts = _all_counts(corpus)
    kinds = {c.event_type for c in counts}
    assert {EventType.ARREST, EventType.COURT} <= kinds
    by_event: dict[tuple, list[int]] = {}
    for c in counts:
        _, event_ordinal, _ = c.count_id.split("-")
        by_event.setdefault((c.document, event_ordinal), []).append(c.count)
    for numbers in by_event.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_charge_eras_and_date_range(corpus):
    counts = _all_counts(corpus)
    # plus many more RAP sheets and dockets as text only (no rendering)
    for i in range(40):
        for kind, layout in (("rap_sheet", "rap"), ("docket", DOCKET_LAYOUTS[i % 3])):
            doc = text_document(kind, layout, derive_seed(3, i, kind))
            counts += doc.drafts  # drafts carry the same date and charge fields as counts
    old = {tuple(k.split()) for k in OLD_MARIJUANA_SECTIONS}
    seen_old = seen_sub = False
    for c in counts:
        dates = [c.event_date, c.arrest_date, c.offense_date, c.disposition_date]
        dates += [u.date for u in c.updates]
        if c.sentence is not None:
            dates.append(c.sentence.date)
        for d in dates:
            if d is not None:
                assert EARLIEST <= d <= LATEST, (c.charge, d)
        if c.charge is None:
            continue
        when = [d for d in (c.event_date, c.disposition_date) if d]
        if c.charge.code == "HS" and c.charge.section == "11357" and c.charge.subsections:
            seen_sub = True
            assert all(d >= date(1976, 1, 1) for d in when), (c.charge, when)
        if (c.charge.code, c.charge.section) in old:
            seen_old = True
            assert all(d < date(1973, 1, 1) for d in when), (c.charge, when)
    assert seen_sub and seen_old


def test_page_breaks_fall_inside_counts(corpus):
    """Some counts start on one page and carry fields onto the next, past `PAGE n OF m`."""
    found = 0
    for d in corpus.documents:
        pages = _pages(corpus, d.stem)["pages"]
        for c in _counts(corpus, d.stem):
            later = [p for k, p in c.provenance.items() if not k.startswith("person.") and p.page > c.page]
            if later:
                assert any(PAGE_MARK.search(pages[i]["text"]) for i in (c.page - 1, c.page))
                found += 1
    assert found >= 1


# --- layouts and splits -------------------------------------------------------------------


def test_corpus_holds_every_kind_and_layout(corpus):
    kinds = {(d.doc_type, d.layout) for d in corpus.documents}
    assert {("docket", lay) for lay in DOCKET_LAYOUTS} <= kinds
    assert any(t == "other" for t, _ in kinds) and any(t == "rap_sheet" for t, _ in kinds)
    shares = [sum(1 for d in corpus.documents if d.doc_type == t) for t in ("rap_sheet", "docket", "other")]
    assert shares[0] > shares[1] > shares[2] >= 1


def test_mixed_layout_never_in_train_or_dev(corpus):
    assert HELD_OUT_LAYOUTS == {"mixed"}
    for d in corpus.documents:
        if d.layout == "mixed":
            assert d.split == "test"
    items = plan(300, seed=2)
    splits = {split_for(2, i + 1, lay) for i, (_, lay) in enumerate(items) if lay == "mixed"}
    assert splits == {"test"}
    assert {split_for(2, i + 1, lay) for i, (_, lay) in enumerate(items)} == {"train", "dev", "test"}


def test_manifest_round_trips(corpus):
    loaded = Manifest.load(_root(corpus))
    assert loaded.to_dict() == corpus.to_dict()
    assert loaded.seed == 11 and loaded.n == 12 and loaded.generator_version
    for d in loaded.documents:
        for key in ("pdf", "counts", "pages"):
            assert (_root(corpus) / d.files[key]).is_file()


# --- realism ------------------------------------------------------------------------------


def test_rendered_rap_sheet_looks_like_the_fixture_format(corpus, cfa_fixtures):
    import pypdfium2 as pdfium

    raps = [d for d in corpus.documents if d.doc_type == "rap_sheet"]
    texts = []
    for d in raps:
        pdf = pdfium.PdfDocument(str(_root(corpus) / "docs" / f"{d.stem}.pdf"))
        texts.append("\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf))))
        pdf.close()
    allt = "\n".join(texts).replace("\r\n", "\n")
    for pattern in (
        r"^\* \* \* \*\s*$",
        r"^- - - -\s*$",
        r"^CNT:\d{2,3}",
        r"^\*DISPO:CONVICTED\s*$",
        r"^ARR/DET/CITE",
        r"^COURT:",
        r"^CII/A\d{8}",
        r"^DOB/\d{8} SEX/[MF] RAC/",
        r"^NAM/01 [A-Z]",
        r"CONV STATUS:(FELONY|MISDEMEANOR|INFRACTION)",
        r"SEN: ",
        r"END OF MESSAGE",
        r"^RE: QHY\.",
        r"PAGE \d+ OF \d+",
    ):
        assert re.search(pattern, allt, re.M), pattern
    # and the same line shapes occur in the public fixtures
    fixture = "\n".join(p.read_text("utf-8") for p in sorted(cfa_fixtures.glob("rap-sheet-assistant/*.txt")))
    for pattern in (r"^\* \* \* \*\s*$", r"^- - - -\s*$", r"^CNT:\d{2}", r"^\*DISPO:CONVICTED\s*$", r"^NAM/01 "):
        assert re.search(pattern, fixture, re.M), pattern


def test_marijuana_counts_and_lookalikes_appear():
    mj, look, attempts, ranges, dispos = set(), set(), 0, 0, set()
    for i in range(30):
        doc = text_document("rap_sheet", "rap", derive_seed(8, i))
        for d in doc.drafts:
            if d.charge is None:
                continue
            dispos.add(d.disposition)
            if d.charge.code == "HS" and d.charge.section in ("11357", "11358", "11359", "11360"):
                mj.add(d.charge.canonical)
                attempts += d.charge.attempted
            if d.charge.code == "HS" and d.charge.section in (
                "11357.5",
                "11350",
                "11351",
                "11364",
                "11366",
                "11377",
                "11361",
                "11362.3",
                "11550",
            ):
                look.add(d.charge.section)
            if "-" in d.prov["count"].text:
                ranges += 1
    assert len(mj) >= 5 and len(look) >= 4 and attempts >= 1 and ranges >= 1
    assert {
        DispositionKind.CONVICTED,
        DispositionKind.DISMISSED,
        DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE,
        DispositionKind.PROSECUTION_REJECTED,
        DispositionKind.DETENTION_ONLY,
        DispositionKind.PENDING,
    } <= dispos


def test_ner_examples_come_from_the_chosen_splits(corpus):
    from docmine.synth.corpus import ner_examples

    train = list(ner_examples(_root(corpus), splits=("train",)))
    assert train
    stems = {d.stem for d in corpus.documents if d.split == "train"}
    for stem, page, text, spans in train:
        assert stem in stems
        for start, end, label in spans:
            assert label in LABELS and 0 <= start < end <= len(text)
    held = {d.stem for d in corpus.documents if d.layout in HELD_OUT_LAYOUTS}
    assert not held & {stem for stem, *_ in train}
