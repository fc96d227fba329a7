"""Annotation workflow: export formats, redaction, import validation, agreement, the gold set."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

from docmine.annotate import labelstudio
from docmine.annotate.gold import read_gold, write_jsonl
from docmine.annotate.redact import Redactor, load_key
from docmine.annotate.workflow import export, import_annotations
from docmine.errors import DocmineError
from docmine.labels import LABELS

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations" / "gold"


def _pages(seed: int, n: int) -> list[dict]:
    from docmine.synth.corpus import derive_seed, plan, text_document

    out = []
    for i, (doc_type, layout) in enumerate(plan(n, seed), start=1):
        doc = text_document(doc_type, layout, derive_seed(seed, "doc", i))
        for number, (text, spans) in enumerate(zip(doc.texts, doc.spans), start=1):
            out.append(
                {
                    "id": f"s{seed}-d{i}-p{number}",
                    "text": text,
                    "spans": [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in spans],
                    "meta": {"doc_type": doc_type},
                }
            )
    return out


@pytest.fixture(scope="module")
def nlp():
    from docmine.nlp.model import shipped_model

    return shipped_model()


@pytest.fixture(scope="module")
def pool(tmp_path_factory) -> tuple[Path, dict]:
    """Gold pages of a few synthetic documents (RAP sheets, dockets, other papers)."""
    pages = _pages(808, 7)
    path = tmp_path_factory.mktemp("pool") / "pages.jsonl"
    write_jsonl(path, pages)
    return path, {p["id"]: p for p in pages}


@pytest.fixture(scope="module")
def exported(pool, nlp, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exported")
    out = {}
    for tool, name in (("label-studio", "tasks.json"), ("prodigy", "tasks.jsonl"), ("doccano", "tasks.jsonl")):
        (folder / tool).mkdir()
        export([pool[0]], tool, folder / tool / name, nlp=nlp)
        out[tool] = folder / tool / name
    return out


def _spans(record: dict) -> set[tuple[int, int, str]]:
    return {(s["start"], s["end"], s["label"]) for s in record["spans"]}


# --- export formats --------------------------------------------------------------------------


def test_label_studio_export_follows_the_documented_task_format(exported, pool):
    tasks = json.loads(exported["label-studio"].read_text("utf-8"))
    jsonschema.validate(tasks, labelstudio.TASKS_SCHEMA)
    assert len(tasks) == len(pool[1])
    for task in tasks:
        text = task["data"]["text"]
        assert text == pool[1][task["data"]["page_id"]]["text"]
        for region in task["predictions"][0]["result"]:
            value = region["value"]
            assert text[value["start"] : value["end"]] == value["text"]
    config = exported["label-studio"].with_name("tasks.label_config.xml").read_text("utf-8")
    assert re.findall(r'<Label value="([A-Z_]+)"/>', config) == list(LABELS)


def test_pre_annotations_are_the_models_spans_and_mostly_right(exported, pool):
    """The pre-annotations are worth correcting: on clean synthetic text they match the
    generator's truth almost everywhere."""
    tasks = json.loads(exported["label-studio"].read_text("utf-8"))
    tp = total = predicted = 0
    for task in tasks:
        gold = _spans(pool[1][task["data"]["page_id"]])
        found = {
            (r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in task["predictions"][0]["result"]
        }
        tp, total, predicted = tp + len(gold & found), total + len(gold), predicted + len(found)
    assert total > 100
    assert tp / total > 0.9 and tp / predicted > 0.9


def test_prodigy_tasks_have_tokens_under_every_span(exported):
    lines = [json.loads(x) for x in exported["prodigy"].read_text("utf-8").splitlines()]
    for task in lines:
        tokens = task["tokens"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        for span in task["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
        assert task["meta"]["page_id"]


def test_doccano_export_is_text_with_label_triples(exported, pool):
    for line in exported["doccano"].read_text("utf-8").splitlines():
        record = json.loads(line)
        assert set(record) >= {"text", "label", "page_id"}
        assert all(isinstance(s, int) and isinstance(e, int) and label in LABELS for s, e, label in record["label"])


# --- round trips: the annotator's corrections come back exactly -------------------------------


def _corrected(page: dict) -> list[tuple[int, int, str]]:
    """What our annotator marks: the generator's truth minus the first CHARGE_DESC span, so
    the result differs from the pre-annotation."""
    spans = sorted(_spans(page))
    descs = [s for s in spans if s[2] == "CHARGE_DESC"]
    if descs:
        spans.remove(descs[0])
    return spans


def test_label_studio_round_trip(exported, pool, tmp_path):
    tasks = json.loads(exported["label-studio"].read_text("utf-8"))
    for task in tasks:
        text = task["data"]["text"]
        result = [
            {
                "id": f"a{k}",
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]},
            }
            for k, (s, e, label) in enumerate(_corrected(pool[1][task["data"]["page_id"]]))
        ]
        task["annotations"] = [{"id": 1, "completed_by": 7, "result": result, "was_cancelled": False}]
    done = tmp_path / "export.json"
    done.write_text(json.dumps(tasks, indent=2), "utf-8")
    result = import_annotations([done], "label-studio", tmp_path / "imported", name="ls")
    assert result.pages == len(tasks) and not result.rejected
    for page in read_gold(result.jsonl):
        assert set(page.spans) == set(_corrected(pool[1][page.id]))
        assert page.text == pool[1][page.id]["text"]
    assert result.docbin.stat().st_size > 0


def test_label_studio_json_min_export_is_read_too(pool, tmp_path):
    rows = []
    for page in list(pool[1].values())[:3]:
        rows.append(
            {
                "id": 1,
                "page_id": page["id"],
                "text": page["text"],
                "annotator": 3,
                "label": [
                    {"start": s, "end": e, "text": page["text"][s:e], "labels": [label]}
                    for s, e, label in _corrected(page)
                ],
            }
        )
    path = tmp_path / "min.json"
    path.write_text(json.dumps(rows), "utf-8")
    result = import_annotations([path], "label-studio", tmp_path / "out")
    assert {p.id: set(p.spans) for p in read_gold(result.jsonl)} == {
        r["page_id"]: set(_corrected(pool[1][r["page_id"]])) for r in rows
    }


def test_prodigy_round_trip_keeps_only_accepted_answers(exported, pool, tmp_path):
    lines = []
    for k, line in enumerate(exported["prodigy"].read_text("utf-8").splitlines()):
        task = json.loads(line)
        page = pool[1][task["meta"]["page_id"]]
        task["spans"] = [{"start": s, "end": e, "label": label} for s, e, label in _corrected(page)]
        task["answer"] = "reject" if k == 0 else "accept"
        task["_annotator_id"] = "docmine-alice"
        lines.append(json.dumps(task))
    path = tmp_path / "db-out.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = import_annotations([path], "prodigy", tmp_path / "imported")
    assert result.pages == len(lines) - 1
    for page in read_gold(result.jsonl):
        assert set(page.spans) == set(_corrected(pool[1][page.id]))
        assert page.meta["annotator"] == "docmine-alice"


def test_doccano_round_trip_from_a_per_user_zip(exported, pool, tmp_path):
    records = []
    for line in exported["doccano"].read_text("utf-8").splitlines():
        record = json.loads(line)
        record["label"] = [[s, e, label] for s, e, label in _corrected(pool[1][record["page_id"]])]
        record["id"] = len(records) + 1
        records.append(record)
    # doccano without collaborative mode: one file per user in the export zip; the second
    # user writes the newer `entities` form.
    other = [
        {
            "id": r["id"],
            "text": r["text"],
            "page_id": r["page_id"],
            "entities": [
                {"id": k, "start_offset": s, "end_offset": e, "label": label}
                for k, (s, e, label) in enumerate(r["label"])
            ],
            "relations": [],
        }
        for r in records
    ]
    path = tmp_path / "project.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("admin.jsonl", "".join(json.dumps(r) + "\n" for r in records))
        z.writestr("bob.jsonl", "".join(json.dumps(r) + "\n" for r in other))
    result = import_annotations([path], "doccano", tmp_path / "imported")
    assert result.pages == len(records) and not result.rejected
    for page in read_gold(result.jsonl):
        assert set(page.spans) == set(_corrected(pool[1][page.id]))
        assert page.meta["annotators"] == ["admin", "bob"]
    overall = result.agreement[-1]
    assert overall.label == "all" and overall.f1 == 1.0


# --- validation ---------------------------------------------------------------------------------


def test_bad_spans_are_rejected_with_their_line_and_the_rest_imported(pool, tmp_path):
    page = next(iter(pool[1].values()))
    text = page["text"]
    good = sorted(_spans(page))
    s, e, label = good[0]
    bad_rows = [
        [[s, e, label], [s + 1, e, "CHARGE"]],  # overlap
        [[s, e, "NOT_A_LABEL"]],  # unknown label
        [[s, len(text) + 5, label]],  # outside the text
    ]
    lines = [json.dumps({"text": text, "page_id": "good", "label": [list(x) for x in good]})]
    lines += [json.dumps({"text": text, "page_id": f"bad{k}", "label": row}) for k, row in enumerate(bad_rows)]
    lines.append("{not json")
    path = tmp_path / "user.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = import_annotations([path], "doccano", tmp_path / "out")
    assert result.pages == 1
    reasons = {int(re.search(r"line (\d+)", r).group(1)): r for r in result.rejected}
    assert sorted(reasons) == [2, 3, 4, 5]
    assert "overlap" in reasons[2] and "unknown label 'NOT_A_LABEL'" in reasons[3]
    assert "outside the text" in reasons[4] and "not JSON" in reasons[5]


def test_label_studio_text_mismatch_is_rejected_with_the_tasks_line(pool, tmp_path):
    page = next(iter(pool[1].values()))
    s, e, label = sorted(_spans(page))[0]
    tasks = [
        {
            "data": {"text": page["text"], "page_id": "x"},
            "annotations": [
                {
                    "completed_by": 1,
                    "result": [
                        {
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": s, "end": e, "text": "SOMETHING ELSE", "labels": [label]},
                        }
                    ],
                }
            ],
        }
    ]
    path = tmp_path / "export.json"
    path.write_text("\n\n" + json.dumps(tasks, indent=1), "utf-8")
    with pytest.raises(DocmineError, match=r"line 4: page x: span .* says 'SOMETHING ELSE'"):
        import_annotations([path], "label-studio", tmp_path / "out")


def test_import_command_reports_rejections_in_one_line_each(pool, tmp_path):
    page = next(iter(pool[1].values()))
    path = tmp_path / "alice.jsonl"
    path.write_text(json.dumps({"text": page["text"], "label": [[0, 3, "WRONG"]]}) + "\n", "utf-8")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docmine",
            "annotate",
            "import",
            str(path),
            "--from",
            "doccano",
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "alice.jsonl: line 1" in run.stderr and "WRONG" in run.stderr
    assert "Traceback" not in run.stderr


# --- agreement ----------------------------------------------------------------------------------


def test_agreement_per_label_between_two_prodigy_annotators(pool, tmp_path):
    pages = [p for p in pool[1].values() if any(s["label"] == "CHARGE" for s in p["spans"])][:3]
    lines = []
    dropped = 0
    for page in pages:
        spans = sorted(_spans(page))
        lines.append(
            {
                "text": page["text"],
                "meta": {"page_id": page["id"]},
                "answer": "accept",
                "_annotator_id": "a",
                "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
            }
        )
        charges = [x for x in spans if x[2] == "CHARGE"]
        spans.remove(charges[0])  # annotator b misses one charge per page
        dropped += 1
        lines.append(
            {
                "text": page["text"],
                "meta": {"page_id": page["id"]},
                "answer": "accept",
                "_annotator_id": "b",
                "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
            }
        )
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    result = import_annotations([path], "prodigy", tmp_path / "out")
    rows = {r.label: r for r in result.agreement}
    n_charge = sum(1 for p in pages for s in p["spans"] if s["label"] == "CHARGE")
    assert rows["CHARGE"].first == n_charge and rows["CHARGE"].second == n_charge - dropped
    assert rows["CHARGE"].f1 == pytest.approx(2 * (n_charge - dropped) / (2 * n_charge - dropped))
    assert rows["COUNT_NO"].f1 == 1.0 and rows["all"].pages == len(pages)
    # The gold version is the first annotator's.
    assert all(len(p.spans) == len(_spans(pool[1][p.id])) for p in read_gold(result.jsonl))


# --- redaction ----------------------------------------------------------------------------------


def test_redaction_is_consistent_keyed_and_keeps_offsets(pool, tmp_path):
    key = load_key(tmp_path / "k" / "project.key")
    assert stat.S_IMODE((tmp_path / "k" / "project.key").stat().st_mode) == 0o600
    assert load_key(tmp_path / "k" / "project.key") == key  # created once, then read
    redactor, other = Redactor(key), Redactor(b"another project's key, 32 bytes")
    seen_names = {}
    for page in pool[1].values():
        spans = sorted(_spans(page))
        red = redactor.redact(page["text"], spans)
        moved = red.to_redacted(spans)
        assert len(moved) == len(spans)
        for (s, e, label), (s2, e2, label2) in zip(spans, moved):
            assert label == label2
            before, after = page["text"][s:e], red.text[s2:e2]
            if label == "PERSON_NAME":
                assert after != before and re.sub(r"[A-Z]", "A", after) != "" and after.isupper() == before.isupper()
                for word in re.findall(r"[A-Z]{2,}", before):
                    seen_names.setdefault(word, redactor.name_part(word))
                    # Nowhere on the page, unless as another name's pseudonym (the key is
                    # random: a fake name may happen to be a real one printed elsewhere).
                    for hit in re.finditer(rf"\b{word}\b", red.text):
                        assert any(
                            s3 <= hit.start() and hit.end() <= e3 and page["text"][s0:e0] != red.text[s3:e3]
                            for (s0, e0, l0), (s3, e3, _) in zip(spans, moved)
                            if l0 == "PERSON_NAME"
                        ), word
            elif label == "DOB":
                assert after != before and re.sub(r"[0-9]", "9", after) == re.sub(r"[0-9]", "9", before)
            elif label in ("CII", "CASE_NUMBER"):
                assert after != before and len(after) == len(before)
                assert re.sub(r"[0-9]", "9", after) == re.sub(r"[0-9]", "9", before)
            else:
                assert after == before  # charges, dispositions, dates of events: untouched
        assert red.to_original(moved) == spans
        assert other.redact(page["text"], spans).text != red.text
    # The same name gets the same fake on every page and with every call.
    for word, fake in seen_names.items():
        assert redactor.name_part(word) == fake and fake != word


def test_redaction_cannot_be_reversed_without_the_key():
    """A fake depends on the key: with a guessed key, hashing a list of candidate names does
    not reproduce the project's fakes."""
    project, guess = Redactor(b"k" * 32), Redactor(b"g" * 32)
    from docmine.synth.names import POOLS

    candidates = sorted({n for pool in POOLS.values() for n in pool["surnames"]})[:200]
    matches = sum(project.name_part(n) == guess.name_part(n) for n in candidates)
    assert matches < 20  # chance level (~1/pool size per name), not a lookup table


def test_redacted_export_restores_onto_the_original_text(pool, nlp, tmp_path):
    plain = export([pool[0]], "doccano", tmp_path / "plain.jsonl", nlp=nlp).out
    predicted = {
        r["page_id"]: [tuple(x) for x in r["label"]] for r in map(json.loads, plain.read_text("utf-8").splitlines())
    }
    out = tmp_path / "tasks.jsonl"
    result = export([pool[0]], "doccano", out, redact=True, key_path=tmp_path / "key", nlp=nlp)
    assert result.sidecar is not None and result.sidecar.name == "tasks.jsonl.office-only.jsonl"
    exported_text = out.read_text("utf-8")
    for page in pool[1].values():
        for s in page["spans"]:
            if s["label"] in ("PERSON_NAME", "DOB", "CII"):
                assert page["text"][s["start"] : s["end"]] not in exported_text
    assert '"file"' not in exported_text  # file names may name a person
    records = []
    for line in exported_text.splitlines():
        record = json.loads(line)
        assert len(record["label"]) == len(predicted[record["page_id"]])
        record["label"] = record["label"][:-1]  # the annotator removes the last span
        records.append(record)
    done = tmp_path / "admin.jsonl"
    done.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    back = import_annotations([done], "doccano", tmp_path / "imported", restore=result.sidecar)
    assert not back.rejected and back.pages == len(records)
    for page in read_gold(back.jsonl):
        assert page.text == pool[1][page.id]["text"]
        assert list(page.spans) == sorted(predicted[page.id][:-1])
    # Without the map the gold stays on the redacted text, offsets valid there.
    kept = import_annotations([done], "doccano", tmp_path / "redacted")
    assert {p.text for p in read_gold(kept.jsonl)} == {r["text"] for r in records}


# --- selection ----------------------------------------------------------------------------------


def test_select_uncertain_orders_pages_and_limits(pool, nlp, tmp_path):
    out = tmp_path / "top.json"
    result = export([pool[0]], "label-studio", out, select="uncertain", limit=4, nlp=nlp)
    tasks = json.loads(out.read_text("utf-8"))
    assert result.pages == len(tasks) == 4 and result.of == len(pool[1])
    values = [t["data"]["uncertainty"] for t in tasks]
    assert values == sorted(values, reverse=True)
    everything = json.loads(
        (Path(export([pool[0]], "label-studio", tmp_path / "all.json", nlp=nlp).out)).read_text("utf-8")
    )
    assert max(t["data"]["uncertainty"] for t in everything) == values[0]


def test_export_command_skips_an_unreadable_file_and_goes_on(pool, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docmine",
            "annotate",
            "export",
            str(broken),
            str(pool[0]),
            "--to",
            "doccano",
            "--out",
            str(tmp_path / "t.jsonl"),
            "--limit",
            "2",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert "broken.pdf" in run.stderr and "Traceback" not in run.stderr
    assert len((tmp_path / "t.jsonl").read_text("utf-8").splitlines()) == 2


# --- the shipped gold set -----------------------------------------------------------------------


def test_shipped_gold_set_is_valid_and_split_by_document():
    splits = {name: read_gold(GOLD / f"{name}.jsonl") for name in ("train", "dev", "test")}
    assert sum(len(p) for p in splits.values()) >= 300
    docs = {name: {(p.meta["seed"], p.meta["stem"]) for p in pages} for name, pages in splits.items()}
    assert not docs["train"] & docs["test"] and not docs["train"] & docs["dev"] and not docs["dev"] & docs["test"]
    for pages in splits.values():
        for page in pages:
            assert page.meta["source"] == "synthetic-ocr"
            assert all(page.text[s:e].strip() for s, e, _ in page.spans)
    readme = (ROOT / "annotations" / "README.md").read_text("utf-8")
    assert "audit" in readme.lower() and "test.jsonl" in readme


def test_training_never_reads_the_held_out_pages(tmp_path):
    from docmine.nlp.train import annotation_files, annotation_pages

    gold = tmp_path / "gold"
    page = {"text": "CNT:01\n  11357 HS-POSS MARIJUANA\n", "spans": [{"start": 9, "end": 17, "label": "CHARGE"}]}
    write_jsonl(gold / "train.jsonl", [page, {**page, "text": page["text"] + "\n"}])
    write_jsonl(gold / "test.jsonl", [page])
    write_jsonl(gold / "dev.jsonl", [page])
    assert [p.name for p in annotation_files(tmp_path)] == ["train.jsonl"]
    texts = [t for t, _ in annotation_pages(tmp_path, exclude_texts=frozenset({page["text"]}))]
    assert texts == [page["text"] + "\n"]


def test_train_command_refuses_to_write_over_the_shipped_model(tmp_path):
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "docmine",
            "train",
            "--out",
            str(ROOT / "models" / "docmine-ner"),
            "--shipped",
            str(ROOT / "models" / "docmine-ner"),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0
    assert "replaces it only when better" in run.stderr


def test_redacted_page_images_show_the_fakes_not_the_names(nlp, tmp_path):
    """`--images` with `--redact`: Tesseract reading the exported page image finds the fake
    names where the real ones were, and none of the real ones."""
    import pytesseract
    from PIL import Image

    from docmine.synth.corpus import generate

    generate(1, 4040, tmp_path / "corpus", formats=("pdf",), workers=1)
    pdf = tmp_path / "corpus" / "docs" / "doc-00001.pdf"
    truth = json.loads((tmp_path / "corpus" / "truth" / "doc-00001.pages.json").read_text("utf-8"))["pages"][0]
    names = {truth["text"][s["start"] : s["end"]] for s in truth["spans"] if s["label"] == "PERSON_NAME"}
    surnames = {re.split(r"[ ,]", n.strip())[0] for n in names}
    assert surnames
    out = tmp_path / "tasks.json"
    (tmp_path / "key").write_bytes(b"a fixed key: the test's fakes are the same every run")
    export(
        [pdf], "label-studio", out, redact=True, key_path=tmp_path / "key", nlp=nlp, images=tmp_path / "images", limit=1
    )
    task = json.loads(out.read_text("utf-8"))[0]
    image = tmp_path / task["data"]["image"]
    read = pytesseract.image_to_string(Image.open(image).convert("L"), config="--psm 6")
    for surname in surnames:
        assert surname not in read
        assert surname not in task["data"]["text"]
    redactor = Redactor(load_key(tmp_path / "key"))
    assert any(redactor.name_part(s) in read for s in surnames)
