"""`kind_of(path)`: the one place that tells a document, a plain-text record, counts JSON Lines
and a DOJ file apart, from content (never the name)."""

from __future__ import annotations

import pytest
from PIL import Image

from docmine.errors import DocumentError
from docmine.ingest.sniff import InputKind, kind_of
from docmine.reference.doj_layout import HEADER


def test_each_kind_from_its_content_whatever_its_name(tmp_path):
    png = tmp_path / "scan.pdf"  # misnamed: a PNG
    Image.new("L", (20, 20), 255).save(png, format="PNG")
    rap = tmp_path / "rap.csv"
    rap.write_text("CII/A99000015\n* * * *\nCNT:01  #1\n  11357 HS-POSSESS MARIJUANA\n", "utf-8")
    counts = tmp_path / "counts.txt"
    counts.write_text('\n{"count_id": "x"}\n', "utf-8")
    doj_header = tmp_path / "doj.jsonl"
    doj_header.write_text(",".join(HEADER) + "\r\n", "utf-8")
    doj_row = tmp_path / "no_headers"
    doj_row.write_text(",".join(["x"] * 95) + "\r\n", "utf-8")
    assert kind_of(png) == InputKind.DOCUMENT
    assert kind_of(rap) == InputKind.TEXT
    assert kind_of(counts) == InputKind.COUNTS
    assert kind_of(doj_header) == InputKind.DOJ
    assert kind_of(doj_row) == InputKind.DOJ


@pytest.mark.parametrize(
    "content, says", [(b"", "empty file"), (b"GIF89a....", "GIF"), (b"\x00\x01\x02\xff" * 10, "unsupported")]
)
def test_what_is_no_input_says_what_it_is(tmp_path, content, says):
    path = tmp_path / "x.pdf"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        kind_of(path)
    assert says in str(caught.value) and "x.pdf" in str(caught.value)
