"""The second look paid for only where it can change an answer: `ingest.load` reads each OCR page
once and keeps what the look needs; `extract.extract` looks (the second reading of an unsure fax,
then the enlarged code-like words, by the same engine) only when the document has a count relief
may turn on. Real scans, real OCR, no mocks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docmine.charges import Charge
from docmine.contract import count_to_dict
from docmine.extract import extract, worth_a_second_look
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
