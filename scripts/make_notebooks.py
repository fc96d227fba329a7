"""Write the research notebooks in notebooks/ from the cells below, outputs cleared.

    .venv/bin/python scripts/make_notebooks.py            # (re)write notebooks/*.ipynb
    .venv/bin/python scripts/make_notebooks.py --check    # exit 1 if a notebook differs from its cells here

The notebooks are generated so that a change to one is reviewed here, as Python, and so that
the files in the repository never carry outputs (nor a person's data). Each starts with a
cell tagged `parameters` (small synthetic sizes that run in CI in well under a minute; raise
them for real work) and writes into `WORK` (a new temporary folder when None).
tests/test_notebooks.py runs every notebook top to bottom with nbclient.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "notebooks"


def md(text: str):
    return new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str, parameters: bool = False):
    cell = new_code_cell(textwrap.dedent(text).strip())
    if parameters:
        cell.metadata["tags"] = ["parameters"]
    return cell


SETUP = """
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

import docmine

pd.set_option("display.max_colwidth", 80)
work = Path(WORK) if WORK else Path(tempfile.mkdtemp(prefix="docmine-notebook-"))
work.mkdir(parents=True, exist_ok=True)
print("writing into", work)
"""

QUICKSTART = [
    md("""
    # Quickstart: from records to counts and people

    `docmine.process` reads RAP sheets, court dockets (PDFs, scans, text) and DOJ bulk research
    files, extracts every count, links counts to people and decides Prop 64 relief
    (HS 11361.8) under a policy. It returns pandas DataFrames: `counts` (one row per count),
    `people` (one row per person) and `review` (counts a person must look at). Every column is in
    the data dictionary (`docmine.api.DATA_DICTIONARY`, `docs/data-dictionary.md`).

    This notebook makes a small **synthetic** archive (no real person's data), processes it, and
    looks at the result. Raise the sizes in the next cell for a bigger sample.
    """),
    code(
        """
    SEED = 1            # same seed, same archive
    DOCUMENTS = 6       # synthetic RAP sheets, dockets and other papers (text-layer PDFs)
    DOJ_ROWS = 400      # rows of a synthetic DOJ bulk research file
    POLICY = "statute"  # or los-angeles-2020, san-francisco, sacramento, ... or a policy .toml file
    AS_OF = "2024-01-01"
    WORK = None         # folder to write into; None: a new temporary folder
    """,
        parameters=True,
    ),
    code(SETUP),
    md("""
    ## A sample archive

    `docmine.synth` draws fictional records with exact ground truth. Here: a few documents as
    text-layer PDFs and a DOJ bulk file in the 95-column layout counties receive.
    """),
    code("""
    from docmine.synth.corpus import generate
    from docmine.synth.doj import write_doj_file

    archive = work / "archive"
    manifest = generate(DOCUMENTS, SEED, archive, formats=("pdf",), workers=1)
    write_doj_file(archive / "doj_bulk.csv", rows=DOJ_ROWS, seed=SEED)
    inputs = sorted((archive / "docs").glob("*.pdf")) + [archive / "doj_bulk.csv"]
    pd.DataFrame([{"document": d.stem, "type": d.doc_type, "pages": d.pages, "counts": d.counts}
                  for d in manifest.documents])
    """),
    md("""
    ## Process it

    The same run as `docmine check INPUTS --policy statute --as-of 2024-01-01 --out RESULTS`;
    `docmine.load_results(RESULTS)` reads a folder written earlier (by `check` or `batch`).
    """),
    code("""
    results = docmine.process(inputs, policy=POLICY, as_of=AS_OF, out=work / "RESULTS")
    results
    """),
    code("""
    from docmine.report.tables import headline

    pd.Series(headline(results), name="figure").to_frame()
    """),
    md("""
    ## Counts

    One row per count read, decided or not. `relief` is the policy's decision; `final_relief`
    applies a reviewer's decision where `decisions.csv` has one. Dates are `datetime64`.
    """),
    code("""
    counts = results.counts
    counts[["person_id", "source", "document", "page", "charge", "severity", "disposition",
            "conviction_date", "final_relief"]].head(10)
    """),
    code("""
    convicted = counts["disposition"].isin(["convicted", "sustained"])
    marijuana = counts["marijuana"].fillna(False)
    counts[convicted & marijuana].groupby(["source", "final_relief"]).size().unstack(fill_value=0)
    """),
    md("""
    Every decision carries its reason, the clause that decided it, and the facts it used with
    where each was read (a DOJ row and column, or a page and its words).
    """),
    code("""
    import json

    decided = counts[counts["final_relief"] != ""].sort_values("count_id")
    row = decided.iloc[0]
    print(row["charge"], "->", row["final_relief"], f"({row['clause']})")
    print(row["reason"])
    pd.DataFrame(json.loads(row["facts"])).head(8)
    """),
    code("""
    ax = (counts.loc[counts["final_relief"] != "", "final_relief"].value_counts().sort_values()
          .plot.barh(title="Relief by type (counts)", color="#0072B2"))
    ax.set_xlabel("counts")
    plt.show()
    """),
    md("""
    ## People

    Counts are linked to people across documents and the DOJ file. `no_felony_left`: the person
    had a felony conviction and has none after relief; `no_conviction_left`: no conviction at all
    is left.
    """),
    code("""
    people = results.people
    people[["person_id", "name", "race", "convictions", "marijuana_convictions", "felonies_before",
            "felonies_after", "no_felony_left", "no_conviction_left"]].sort_values(
        ["marijuana_convictions", "person_id"], ascending=[False, True]).head(10)
    """),
    code("""
    pd.DataFrame({
        "people with a marijuana conviction": [int((people["marijuana_convictions"] > 0).sum())],
        "no felony left": [int(people["no_felony_left"].sum())],
        "no conviction left": [int(people["no_conviction_left"].sum())],
    })
    """),
    md("""
    ## What a person must look at

    `review` lists the counts whose decision needs a person, with the fact in doubt and where it
    was read. A reviewer's decisions go into `RESULTS/decisions.csv`; the next run applies them.
    """),
    code("""
    results.review[["count_id", "name", "charge", "reason", "document", "page"]].head()
    """),
    md("""
    ## The data dictionary and the report
    """),
    code("""
    from docmine.api import DATA_DICTIONARY

    pd.DataFrame([(column, kind, meaning) for column, (kind, meaning) in DATA_DICTIONARY["people"].items()],
                 columns=["column", "type", "meaning"])
    """),
    code("""
    from docmine.report import write_report

    report = write_report(results.path)  # the same as `docmine report RESULTS`
    print(report, f"{report.stat().st_size:,} bytes")
    """),
    code("""
    # The figures agree with each other (a notebook that runs in CI checks what it shows).
    assert len(people) == results.run["people"] and len(counts) == results.run["counts"]
    assert people["convictions"].sum() == convicted.sum()
    assert (people["felonies_after"] <= people["felonies_before"]).all()
    """),
]

POLICY_COMPARISON = [
    md("""
    # One archive, four policies

    The same DOJ bulk file decided under the statute (HS 11361.8) and three county policies:
    Los Angeles (2020), San Francisco and Sacramento. For each: counts dismissed and
    redesignated, people left with no felony and with no conviction, and how the relief falls
    across race and ethnicity **as the records state it** (DOJ `RACE_DESCR`, RAP sheet `RAC/`);
    docmine never infers race.

    The file is **synthetic** (`docmine.synth.doj`): the figures show how the policies differ,
    not how any county's population is made up. Small groups give unstable percentages.

    A county policy considers only the convictions of its own county (its `[scope] county`);
    the statute considers every county's. So the whole-file figures differ first by scope; the
    section "Within each county" compares like with like.
    """),
    code(
        """
    SEED = 3
    DOJ_ROWS = 2500     # rows of the synthetic DOJ bulk file (a real extract has millions)
    AS_OF = "2024-01-01"
    POLICIES = ["statute", "los-angeles-2020", "san-francisco", "sacramento"]
    MIN_GROUP = 5       # races with fewer people with a marijuana conviction are pooled as "other groups"
    WORK = None
    """,
        parameters=True,
    ),
    code(SETUP),
    code("""
    from docmine.synth.doj import write_doj_file

    doj = work / "doj_bulk.csv"
    write_doj_file(doj, rows=DOJ_ROWS, seed=SEED)
    runs = {policy: docmine.process([doj], policy=policy, as_of=AS_OF, out=work / policy) for policy in POLICIES}
    runs
    """),
    md("""
    ## Side by side

    Counts by final relief, and people by what is left of their record after relief.
    """),
    code("""
    def outcomes(results):
        final, people = results.counts["final_relief"], results.people
        relieved = people["dismissed_and_sealed"] + people["redesignated"] + people["resentenced"]
        return {
            "counts considered": int((results.counts["relief"] != "").sum()),
            "dismissed and sealed": int((final == "dismiss_and_seal").sum()),
            "redesignated": int(final.isin(["redesignate_misdemeanor", "redesignate_infraction"]).sum()),
            "recalled and resentenced": int((final == "recall_and_resentence").sum()),
            "hand review": int((final == "hand_review").sum()),
            "referred": int((final == "refer").sum()),
            "not eligible": int((final == "not_eligible").sum()),
            "people granted relief": int((relieved > 0).sum()),
            "people with no felony left": int(people["no_felony_left"].sum()),
            "people with no conviction left": int(people["no_conviction_left"].sum()),
        }

    comparison = pd.DataFrame({policy: outcomes(results) for policy, results in runs.items()})
    comparison
    """),
    code("""
    shown = ["dismissed and sealed", "redesignated", "people with no felony left", "people with no conviction left"]
    ax = comparison.loc[shown].T.plot.bar(figsize=(9, 4), rot=0, color=["#0072B2", "#E69F00", "#009E73", "#D55E00"])
    ax.set_ylabel("counts / people")
    ax.set_title("Relief under each policy")
    ax.legend(frameon=False)
    plt.show()
    """),
    md("""
    ## Within each county

    The counts each county policy considers (its county's), decided under the statute and under
    the county's policy.
    """),
    code("""
    def tally(counts):
        final = counts["final_relief"]
        return {
            "counts considered": int((counts["relief"] != "").sum()),
            "dismissed and sealed": int((final == "dismiss_and_seal").sum()),
            "redesignated": int(final.isin(["redesignate_misdemeanor", "redesignate_infraction"]).sum()),
            "hand review": int((final == "hand_review").sum()),
            "referred": int((final == "refer").sum()),
            "not eligible": int((final == "not_eligible").sum()),
        }

    statute_counts = runs["statute"].counts
    within = {}
    for policy in POLICIES[1:]:
        own = runs[policy].counts
        counties = sorted(own.loc[own["relief"] != "", "county"].unique())
        in_scope = own["relief"] != ""
        ids = own.loc[in_scope, "count_id"]
        within[(policy, "statute")] = tally(statute_counts[statute_counts["count_id"].isin(ids)])
        within[(policy, policy)] = tally(own[in_scope])
        print(policy, "considers", ", ".join(counties) or "no county in this file")
    pd.DataFrame(within)
    """),
    md("""
    ## Where the policies part ways

    Each count's final relief under the statute against the same count under each county policy
    (the count ids are the same: one file, one reading).
    """),
    code("""
    base = runs["statute"].counts.set_index("count_id")["final_relief"].replace("", "(not considered)")
    for policy in POLICIES[1:]:
        other = runs[policy].counts.set_index("count_id")["final_relief"].replace("", "(not considered)")
        table = pd.crosstab(base.rename("statute"), other.reindex(base.index).rename(policy))
        display(table)
    """),
    md("""
    ## Race and ethnicity, as recorded

    Per group: people with a marijuana conviction, people granted any relief, people left with no
    felony and with no conviction, and the last three as a share of the group's people with a
    marijuana conviction (`docmine.report.tables.race_breakdown`, the same table as the report's).
    """),
    code("""
    from docmine.report.tables import race_breakdown

    def pooled(results):
        table = race_breakdown(results)
        small = table["marijuana_convicted"] < MIN_GROUP
        table["race"] = table["race"].where(~small, "other groups").astype("string")
        table = table.groupby("race", sort=True)[["people", "marijuana_convicted", "relieved", "no_felony_left",
                                                   "no_conviction_left"]].sum()
        for name in ("relieved", "no_felony_left", "no_conviction_left"):
            table[f"{name}_pct"] = (100 * table[name] / table["marijuana_convicted"].where(table["marijuana_convicted"] > 0)).round(1)
        return table

    by_race = pd.concat({policy: pooled(results) for policy, results in runs.items()}, names=["policy"])
    by_race
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(12, 5), sharey=True, layout="constrained")
    for ax, measure, title in zip(axes, ["relieved_pct", "no_felony_left_pct"],
                                  ["granted any relief", "left with no felony"]):
        by_race[measure].unstack("policy")[POLICIES].plot.barh(ax=ax, color=["#0072B2", "#E69F00", "#009E73", "#D55E00"],
                                                              legend=False)
        ax.invert_yaxis()
        ax.set_xlabel("% of the group's people with a marijuana conviction")
        ax.set_title(title)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(POLICIES), frameon=False)
    fig.suptitle("Relief by race and ethnicity as recorded (synthetic DOJ file)")
    plt.show()
    """),
    code("""
    # Checks on what is shown: the groups add up to everyone, and shares stay within 0-100 %.
    for policy, results in runs.items():
        assert by_race.loc[policy, "people"].sum() == len(results.people)
        assert by_race.loc[policy, "no_felony_left"].sum() == comparison.loc["people with no felony left", policy]
    assert ((by_race.filter(like="_pct").fillna(0) >= 0) & (by_race.filter(like="_pct").fillna(0) <= 100)).all().all()
    """),
]

ERROR_ANALYSIS = [
    md("""
    # Error analysis: reading noisy scans against ground truth

    Synthetic RAP sheets and dockets are rendered as fax-grade scans (`noise="heavy"`),
    read back through Tesseract OCR and the extractor (rules + the shipped entity model), and
    scored field by field against the exact truth the generator wrote
    (`docmine.extract.evaluate`, the scorer `scripts/eval_extract.py` uses). The same documents'
    text-layer PDFs are the control: what is lost there is parsing, what is lost only on the scan
    is OCR. Each error is shown with a crop of the scanned page where the value stands.
    """),
    code(
        """
    SEED = 7
    MAX_PAGES = 3       # pages to scan and OCR (about 2-4 s a page)
    NOISE = "heavy"     # none | light | heavy
    USE_MODEL = True    # the entity model on OCR'd pages, as `docmine check` does
    SHOW_ERRORS = 6     # crops to show
    WORK = None
    """,
        parameters=True,
    ),
    code(SETUP),
    md("""
    ## Draw a few documents and scan them

    Documents are drawn in order from the seed's plan, keeping RAP sheets and dockets until
    `MAX_PAGES` pages are taken; only those are rendered.
    """),
    code("""
    from docmine.synth.corpus import derive_seed, plan, text_document, write_document

    corpus = work / "corpus"
    (corpus / "docs").mkdir(parents=True, exist_ok=True)
    (corpus / "truth").mkdir(parents=True, exist_ok=True)
    chosen, pages = [], 0
    for index, (kind, layout) in enumerate(plan(200, SEED), start=1):
        if kind in ("rap_sheet", "docket"):
            n = len(text_document(kind, layout, derive_seed(SEED, "doc", index)).texts)
            if pages + n <= MAX_PAGES:
                chosen.append((index, kind, layout))
                pages += n
        if pages >= MAX_PAGES:
            break
    entries = [write_document(index, kind, layout, SEED, corpus, NOISE, ("pdf", "scan_pdf", "png"))
               for index, kind, layout in chosen]
    pd.DataFrame([{"document": e.stem, "type": e.doc_type, "layout": e.layout, "pages": e.pages, "counts": e.counts}
                  for e in entries])
    """),
    code("""
    from PIL import Image

    first = Image.open(corpus / entries[0].files["png"][0])
    fig, ax = plt.subplots(figsize=(6, 7.5))
    ax.imshow(first, cmap="gray")
    ax.set_axis_off()
    ax.set_title(f"{entries[0].stem}, page 1, as scanned ({NOISE} noise)")
    plt.show()
    """),
    md("""
    ## Read them: OCR on the scan, the text layer as control
    """),
    code("""
    import json
    import time

    from docmine.contract import count_to_dict
    from docmine.extract import extract
    from docmine.ingest import load

    nlp = None
    if USE_MODEL:
        from docmine.nlp import load_model
        nlp = load_model()

    gold, read, documents = [], {"ocr": [], "text layer": []}, {}
    seconds = 0.0
    for e in entries:
        gold += [json.loads(line) for line in (corpus / e.files["counts"]).read_text().splitlines() if line.strip()]
        started = time.perf_counter()
        scanned = load(corpus / e.files["scan_pdf"])
        seconds += time.perf_counter() - started
        documents[e.stem] = scanned
        read["ocr"] += [count_to_dict(c) for c in extract(scanned, name=e.stem, nlp=nlp).counts]
        read["text layer"] += [count_to_dict(c) for c in extract(load(corpus / e.files["pdf"]), name=e.stem).counts]
    print(f"OCR: {pages} pages in {seconds:.1f} s; counts: {len(gold)} true, "
          f"{len(read['ocr'])} read from the scans, {len(read['text layer'])} from the text layers")
    """),
    md("""
    ## OCR quality per page

    How much of each page's true text the OCR got back (character similarity, words found) and
    the OCR engine's own mean word confidence.
    """),
    code("""
    import difflib
    from collections import Counter

    rows = []
    for e in entries:
        truth_pages = json.loads((corpus / e.files["pages"]).read_text())["pages"]
        for truth, page in zip(truth_pages, documents[e.stem].pages):
            true_words = Counter(truth["text"].split())
            found = sum((Counter(page.text.split()) & true_words).values())  # each true word found at most as often as it stands
            rows.append({
                "document": e.stem, "page": truth["number"],
                "characters similar": round(difflib.SequenceMatcher(None, truth["text"], page.text, autojunk=False).ratio(), 3),
                "words found": round(found / max(1, sum(true_words.values())), 3),
                "mean OCR confidence": round(sum(w.confidence for w in page.words) / max(1, len(page.words)), 3),
                "source": page.source.value,
            })
    ocr_quality = pd.DataFrame(rows)
    ocr_quality
    """),
    md("""
    ## Extraction against the truth

    Counts are paired within a document in reading order; fields are compared on paired counts.
    """),
    code("""
    from docmine.extract.evaluate import FIELDS, score

    reports = {source: score(gold, counts) for source, counts in read.items()}
    fields = pd.DataFrame({source: {f: r.fields[f].accuracy for f in FIELDS if r.fields[f].total}
                           for source, r in reports.items()})
    families = pd.DataFrame({source: {f"{family} F1": s.f1 for family, s in r.families.items()}
                             for source, r in reports.items()})
    summary = pd.concat([families, fields]).round(3)
    summary.loc["counts paired"] = [r.paired for r in reports.values()]
    summary.loc["counts read"] = [r.predicted_counts for r in reports.values()]
    summary.loc["counts true"] = [r.gold_counts for r in reports.values()]
    summary
    """),
    code("""
    lost = (summary.loc[[f for f in FIELDS if f in summary.index], "text layer"]
            - summary.loc[[f for f in FIELDS if f in summary.index], "ocr"]).sort_values(ascending=False)
    ax = summary.loc[lost.index, ["text layer", "ocr"]].plot.barh(figsize=(8, 6), color=["#009E73", "#D55E00"])
    ax.invert_yaxis()
    ax.set_xlabel("field accuracy on paired counts")
    ax.set_title("Where OCR costs accuracy (fields sorted by the loss)")
    plt.show()
    """),
    md("""
    ## The errors, beside the page

    Every field the OCR path got wrong (or a count it missed), with the crop of the scan where
    the true value stands. Boxes come from the truth (text-layer points) and are mapped onto the
    degraded image through the page's recorded scan transform. Errors the text layer makes too
    are parsing errors; the others are OCR's.
    """),
    code("""
    from docmine.extract.evaluate import document_key, pair, value_of
    from docmine.synth.noise import Transform

    gold_by_doc = {}
    for g in gold:
        gold_by_doc.setdefault(document_key(g["document"]), []).append(g)

    def errors_of(counts):
        found = []
        by_doc = {}
        for c in counts:
            by_doc.setdefault(document_key(c["document"]), []).append(c)
        for stem, truth in sorted(gold_by_doc.items()):
            pairs, missed, extra = pair(truth, by_doc.get(stem, []))
            for g, p in pairs:
                for field in FIELDS:
                    if value_of(g, field) != value_of(p, field):
                        found.append({"document": stem, "count": g["count_id"], "field": field,
                                      "true": value_of(g, field), "read": value_of(p, field), "gold": g})
            for g in missed:
                found.append({"document": stem, "count": g["count_id"], "field": "count missed",
                              "true": g.get("charge"), "read": None, "gold": g})
        return found

    ocr_errors, text_errors = errors_of(read["ocr"]), errors_of(read["text layer"])
    parsing = {(e["count"], e["field"]) for e in text_errors}
    for e in ocr_errors:
        e["cause"] = "parsing" if (e["count"], e["field"]) in parsing else "OCR"
    table = pd.DataFrame([{k: v for k, v in e.items() if k != "gold"} for e in ocr_errors])
    (table.groupby(["field", "cause"]).size().unstack(fill_value=0) if len(table) else table)
    """),
    code("""
    def crop(error, margin=40):
        g = error["gold"]
        key = {"count missed": "charge", "person.name": "person.name", "person.dob": "person.dob",
               "person.cii": "person.cii"}.get(error["field"], error["field"])
        where = (g.get("provenance") or {}).get(key) or (g.get("provenance") or {}).get("charge")
        if not where or not where.get("box"):
            return None
        stem = document_key(g["document"])
        entry = next(e for e in entries if e.stem == stem)
        truth_page = json.loads((corpus / entry.files["pages"]).read_text())["pages"][where["page"] - 1]
        transform = Transform(**truth_page["scan"]["transform"])
        x0, y0, x1, y1 = transform.map_box(where["box"])
        image = Image.open(corpus / entry.files["png"][where["page"] - 1])
        box = (max(0, int(x0) - 4 * margin), max(0, int(y0) - margin), min(image.width, int(x1) + 4 * margin),
               min(image.height, int(y1) + margin))
        return image.crop(box), (int(x0) - box[0], int(y0) - box[1], int(x1) - box[0], int(y1) - box[1])

    # One crop per distinct misreading (a person's name misread once is wrong on every count),
    # taking one of each field before a second of any.
    distinct, rank = {}, {}
    for e in ocr_errors:
        key = (e["document"], e["field"], str(e["true"]), str(e["read"]))
        if key not in distinct:
            rank[key] = sum(k[1] == e["field"] for k in distinct)
            distinct[key] = {**e, "counts": 0}
        distinct[key]["counts"] += 1
    ordered = [distinct[k] for k in sorted(distinct, key=lambda k: (rank[k], list(distinct).index(k)))]
    shown = [e for e in ordered if crop(e)][:SHOW_ERRORS]
    if not shown:
        print("no errors with a page location to show")
    for e in shown:
        image, (bx0, by0, bx1, by1) = crop(e)
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 1.9), gridspec_kw={"width_ratios": [3, 2]})
        left.imshow(image, cmap="gray")
        left.add_patch(plt.Rectangle((bx0, by0), bx1 - bx0, by1 - by0, fill=False, edgecolor="#D55E00", linewidth=2))
        left.set_axis_off()
        right.set_axis_off()
        right.text(0, 0.5, f"{e['document']}  {e['field']}  ({e['cause']}, {e['counts']} count(s))\\n"
                           f"true: {e['true']!r}\\nread: {e['read']!r}",
                   va="center", family="monospace", fontsize=9)
        plt.show()
    """),
    code("""
    # What the notebook shows holds together: the text layer is read at least as well as the scan.
    assert reports["text layer"].gold_counts == reports["ocr"].gold_counts == len(gold)
    assert summary.loc["counts paired", "text layer"] >= summary.loc["counts paired", "ocr"]
    assert (ocr_quality["characters similar"] > 0.5).all(), "OCR lost most of a page"
    """),
]

NOTEBOOKS = {
    "01-quickstart.ipynb": QUICKSTART,
    "02-policy-comparison.ipynb": POLICY_COMPARISON,
    "03-error-analysis.ipynb": ERROR_ANALYSIS,
}


def build(cells: list) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    # Fixed cell ids: the same script writes the same bytes.
    for number, cell in enumerate(notebook.cells, start=1):
        cell["id"] = f"cell-{number:02d}"
    nbformat.validate(notebook)
    return notebook


def text_of(cells: list) -> str:
    return nbformat.writes(build(cells)) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    FOLDER.mkdir(exist_ok=True)
    stale = []
    for name, cells in NOTEBOOKS.items():
        path, text = FOLDER / name, text_of(cells)
        if args.check:
            if not path.is_file() or path.read_text("utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"out of date (run scripts/make_notebooks.py): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
