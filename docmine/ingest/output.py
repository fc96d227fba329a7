"""A read `Document` as plain text, JSON or hOCR (for `docmine ocr FILE --format ...`)."""

from __future__ import annotations

import bisect
import html
import json
from typing import Any

from docmine.records import Document, Page, Word


def to_text(doc: Document) -> str:
    """Page texts in order, separated by form feeds (as `pdftotext` does)."""
    return doc.text + "\n"


def _r(v: float) -> float:
    return round(float(v), 2)


def page_to_dict(page: Page) -> dict[str, Any]:
    return {
        "number": page.number,
        "width": _r(page.width),
        "height": _r(page.height),
        "source": page.source.value,
        "source_reason": page.source_reason,
        "error": page.error,
        "text": page.text,
        "words": [
            {
                "text": w.text,
                "box": [_r(v) for v in w.box],
                "confidence": round(w.confidence, 3),
                "start": w.start,
                "end": w.end,
            }
            for w in page.words
        ],
    }


def to_dict(doc: Document) -> dict[str, Any]:
    return {
        "path": doc.path,
        "sha256": doc.sha256,
        "media_type": doc.media_type,
        "units": "points (1/72 inch) from the top-left corner of the page",
        "pages": [page_to_dict(p) for p in doc.pages],
        "errors": [{"page": p.number, "error": p.error} for p in doc.pages if p.error],
    }


def to_json(doc: Document, indent: int | None = None) -> str:
    return json.dumps(to_dict(doc), indent=indent, ensure_ascii=False)


def _lines(page: Page) -> list[list[Word]]:
    """The page's words grouped by the text line their offsets fall in."""
    starts = [0]
    for i, ch in enumerate(page.text):
        if ch == "\n":
            starts.append(i + 1)
    lines: dict[int, list[Word]] = {}
    for w in page.words:
        lines.setdefault(bisect.bisect_right(starts, w.start) - 1, []).append(w)
    return [lines[k] for k in sorted(lines)]


def _bbox(boxes) -> str:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    return f"bbox {round(x0)} {round(y0)} {round(x1)} {round(y1)}"


def to_hocr(doc: Document) -> str:
    """hOCR 1.2: one ocr_page per page, ocr_line per text line, ocrx_word per word.

    Coordinates are points, declared with `scan_res 72 72`, so a viewer scales them to
    any rendering of the page.
    """
    esc = html.escape
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">',
        "<head>",
        f"<title>{esc(doc.path)}</title>",
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
        '<meta name="ocr-system" content="docmine"/>',
        '<meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word ocrp_wconf"/>',
        "</head>",
        "<body>",
    ]
    for page in doc.pages:
        title = (
            f'image "{esc(doc.path)}"; bbox 0 0 {round(page.width)} {round(page.height)}; '
            f"ppageno {page.number - 1}; scan_res 72 72"
        )
        attrs = f'class="ocr_page" id="page_{page.number}" title=\'{title}\''
        extra = f' data-source="{esc(page.source.value)}" data-reason="{esc(page.source_reason)}"'
        if page.error:
            extra += f' data-error="{esc(page.error)}"'
        out.append(f"<div {attrs}{extra}>")
        for n, line in enumerate(_lines(page), start=1):
            out.append(f'<span class="ocr_line" id="line_{page.number}_{n}" title="{_bbox([w.box for w in line])}">')
            for k, w in enumerate(line, start=1):
                conf = round(w.confidence * 100)
                out.append(
                    f'<span class="ocrx_word" id="word_{page.number}_{n}_{k}" '
                    f'title="{_bbox([w.box])}; x_wconf {conf}">{esc(w.text)}</span>'
                )
            out.append("</span>")
        out.append("</div>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
