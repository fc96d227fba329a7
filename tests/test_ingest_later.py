"""The second look paid for only where it can change an answer: `ingest.load` reads each OCR page
once and keeps what the look needs; `extract.extract` looks (the second reading of an unsure fax,
then the enlarged code-like words, by the same engine) only when the document has a count relief
may turn on, and then only at the words carrying facts a decision reads (`extract.look`). Real
scans, real OCR, no mocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docmine.charges import Charge
from docmine.contract import count_to_dict
from docmine.doctext import DocText
from docmine.extract import extract, extract_text, worth_a_second_look
from docmine.extract.look import where_to_look
from docmine.ingest import load, second_look
from docmine.ingest.ocr import OcrOptions
from docmine.synth import render

os.environ["OMP_THREAD_LIMIT"] = "1"

RAP = """\
CII/A99000015
DOB/19570119 SEX/M RAC/WHITE
NAM/01 SKYWALKER,LUKE JAY

* * * *
COURT:                NAM:01
19900806  CASC SAN DIEGO

CNT:01        #C377421
  11357 HS-POSSESS MARIJUANA
*DISPO:CONVICTED
CONV STATUS:MISDEMEANOR
SEN: 010 DAYS JAIL
* * * *
COURT:                NAM:01
19950312  CASC SAN DIEGO

CNT:01        #CD570909
  459 PC-BURGLARY
*DISPO:CONVICTED
CONV STATUS:FELONY
* * * END OF MESSAGE * * *
"""


@pytest.fixture(scope="module")
def fax(tmp_path_factory) -> Path:
    """The RAP sheet as a fax-grade scan (200 dpi, binarised, speckled)."""
    out = tmp_path_factory.mktemp("later")
    truth = render.render_document([RAP], out, "rap", noise="heavy", seed=7, formats=("png",))
    return out / truth["files"]["png"][0]


def test_a_page_is_read_once_and_keeps_what_the_look_needs(fax):
    first = load(fax)
    page = first.pages[0]
    assert page.later is not None and "second look" not in page.source_reason
    inline = load(fax, options=OcrOptions(second_look=True)).pages[0]
    looked = second_look(first).pages[0]
    assert looked.later is None
    assert "second look at" in looked.source_reason
    assert (looked.text, looked.words) == (inline.text, inline.words)  # the same reading as done at once


def test_a_marijuana_count_is_worth_the_look_and_extraction_reads_as_before(fax):
    document = load(fax)
    inline = load(fax, options=OcrOptions(second_look=True))
    found = extract(document)
    assert any(c.charge and c.charge.section == "11357" for c in found.counts)
    assert [count_to_dict(c) for c in found.counts] == [count_to_dict(c) for c in extract(inline).counts]


class _Count:
    def __init__(self, charge):
        self.charge = charge


@pytest.mark.parametrize(
    "charges, worth",
    [
        (["HS 11359"], True),
        (["PC 459", "HS 11357(b)"], True),
        (["HS 11530"], True),  # a pre-1973 marijuana section
        (["PC 459", None], True),  # a charge that could not be read might be one
        (["PC 459", "VC 23152(a)"], False),
        (["HS 11350"], False),
        ([], False),
    ],
)
def test_which_documents_are_worth_a_second_look(charges, worth):
    counts = [_Count(Charge.parse(c) if c else None) for c in charges]
    assert worth_a_second_look(counts) is worth


def _words_in(boxes, page, predicate):
    """Page words matching `predicate` whose middle lies in one of the boxes."""
    found = []
    for w in page.words:
        x, y = (w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2
        if predicate(w.text) and any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes):
            found.append(w.text)
    return found


def _looked_at(page) -> int:
    reason = page.source_reason
    return int(reason.split("second look at ")[1].split()[0]) if "second look at " in reason else 0


# The header's and the arrests' numbers: no decision reads them.
_ARRESTED = [
    ("19890302", "#8827077", "148(A)(1) PC-OBSTRUCT/RESIST PUBLIC OFFICER"),
    ("19900615", "#9130577", "11350 HS-POSSESS NARCOTIC CONTROLLED SUBSTANCE"),
    ("19910822", "#9244081", "647(F) PC-DISORDERLY CONDUCT:INTOX"),
    ("19920114", "#9316620", "23152(A) VC-DUI ALCOHOL/DRUGS"),
    ("19930930", "#9471135", "602(L) PC-TRESPASS"),
    ("19940211", "#9520418", "594(A) PC-VANDALISM"),
    ("19950105", "#9601733", "12500(A) VC-DRIVE W/O LICENSE"),
    ("19960719", "#9688210", "484(A) PC-THEFT"),
    ("19970403", "#9733549", "415(1) PC-FIGHT IN PUBLIC PLACE"),
]
ARRESTS = (
    "CII/A99000015\nDOB/19570119 SEX/M RAC/WHITE HGT/511 WGT/180\nFBI/743256HA9 CDL/D7666217 SOC/555667777\n"
    "NAM/01 SKYWALKER,LUKE JAY\n\n"
    + "".join(
        f"* * * *\nARR/DET/CITE:         NAM:01\n{day}  CASO SAN DIEGO\nCNT:01        {number}\n  {charge}\n"
        for day, number, charge in _ARRESTED
    )
)


def test_only_the_words_a_decision_reads_are_looked_at_again(tmp_path):
    """The marijuana count's words and its prior's facts are looked at; the header's numbers, the
    arrests' and the prior's count number are not."""
    text = ARRESTS + RAP.split("NAM/01 SKYWALKER,LUKE JAY\n", 1)[1]
    truth = render.render_document([text], tmp_path, "rap", noise="heavy", seed=7, formats=("png",))
    document = load(tmp_path / truth["files"]["png"][0])
    first = extract_text(DocText.from_document(document))
    where = where_to_look(first.counts, document)
    page = document.pages[0]
    boxes = where[1]
    numbers = _words_in(boxes, page, lambda t: t.startswith("#"))
    assert len(numbers) == 2 and not any(t.startswith(("#8", "#9")) for t in numbers), "the courts' case numbers"
    assert _words_in(boxes, page, lambda t: t.startswith("1990") or t.startswith("1995")), "both dates"
    assert _words_in(boxes, page, lambda t: t.startswith("11357")), "the marijuana charge"
    assert not _words_in(boxes, page, lambda t: "99000015" in t), "not the CII"
    assert len(_words_in(boxes, page, lambda t: t.startswith("CNT"))) == 1, "the marijuana count's number alone"
    everything, only = second_look(document).pages[0], second_look(document, where=where).pages[0]
    assert 0 < _looked_at(only) < _looked_at(everything)


def test_a_count_without_its_case_number_has_its_whole_event_looked_at(tmp_path):
    """No case number to point at: the words of the prior's whole event are looked at, its count
    number among them (a count number alone is not a fact any decision reads)."""
    text = RAP.replace("CNT:01        #CD570909", "CNT:01")
    truth = render.render_document([text], tmp_path, "rap", noise="heavy", seed=7, formats=("png",))
    document = load(tmp_path / truth["files"]["png"][0])
    first = extract_text(DocText.from_document(document))
    prior = [c for c in first.counts if c.charge and c.charge.section == "459"]
    assert prior and prior[0].case_number is None
    boxes = where_to_look(first.counts, document)[1]
    page = document.pages[0]
    assert len(_words_in(boxes, page, lambda t: t.startswith("CNT"))) == 2, "the prior's count line too"
    assert not _words_in(boxes, page, lambda t: "99000015" in t)
