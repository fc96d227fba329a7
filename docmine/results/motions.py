"""Court motion exhibits: one PDF per court (`motions/<court-slug>.pdf`), "Exhibit A" to a
motion under HS 11361.8, listing each count whose final relief a court is asked for.

Each row gives case number, name, date of birth, charge, conviction date and the relief
requested (HS 11361.8(a) recall and resentencing; (e)-(f) dismissal and sealing or
redesignation), sorted by case number then name, as a clerk pulls files. The PDF's metadata
is fixed (creation date = the as-of date, producer = docmine's version), so a re-run writes
the same bytes. Exhibits of courts with no such count any more are removed."""

from __future__ import annotations

import re
import unicodedata
import sqlite3
import tempfile
from dataclasses import astuple, dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from docmine.results.files import write_bytes

RELIEF_WORDS = {
    "dismiss_and_seal": "Dismiss and seal (11361.8(e)-(f))",
    "redesignate_misdemeanor": "Redesignate as misdemeanor (11361.8(e)-(f))",
    "redesignate_infraction": "Redesignate as infraction (11361.8(e)-(f))",
    "recall_and_resentence": "Recall and resentence (11361.8(a)-(b))",
}
HEADERS = ("Case number", "Name", "Date of birth", "Charge", "Conviction date", "Relief requested")
# Rows are set in Courier, whose every character is 0.6 of the size wide: a row is one line of
# text with each cell padded to its column (one text call a row, not six, and no width to
# measure: thousands of rows a second). Columns are whole characters wide.
ROW_FONT_PT = 8.0
CHAR_PT = 0.6 * ROW_FONT_PT
COLUMN_CHARS = (21, 33, 13, 16, 14, 52)  # 715 of landscape letter's 720 points inside 36 pt margins
WIDTHS = tuple(n * CHAR_PT for n in COLUMN_CHARS)


@dataclass(frozen=True)
class MotionRow:
    court: str
    case_number: str
    name: str
    dob: str
    charge: str
    conviction_date: str
    relief: str
    count_id: str

    def sort_key(self) -> tuple:
        # Rows with no case number go last; ties broken by name, then the count itself.
        return (
            self.case_number == "",
            self.case_number,
            self.name,
            self.dob,
            self.conviction_date,
            self.charge,
            self.count_id,
        )


def court_slug(court: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", _latin(court).lower()).strip("-")
    return slug or "unknown-court"


def _latin(text: str) -> str:
    """What the PDF's core font can print: accents kept where Latin-1 has them, else dropped."""
    if not text or text.isascii():
        return text or ""
    out = []
    for ch in text or "":
        if ord(ch) < 256:
            out.append(ch)
        else:
            out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1") or "?")
    return "".join(out)


ROW_H = 11.0  # a row of 8 pt Courier
HEAD_H = 15.0


def _cell(text: str, chars: int) -> str:
    """The text in its column, padded to the column's width: a long one is cut and ends in
    '...' (rows stay one line high), and one space is left before the next column's rule."""
    cut = _latin(text)
    room = chars - 1
    if len(cut) > room:
        cut = cut[: room - 3] + "..."
    return cut.ljust(chars)


def _pdf(court: str, rows: Sequence[MotionRow], policy, as_of: date) -> bytes:
    from fpdf import FPDF

    from docmine import __version__

    class Exhibit(FPDF):
        def footer(self) -> None:
            self.set_y(-30)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, _latin(f"Exhibit A - {court} - page {self.page_no()} of {{nb}}"), align="C")

    pdf = Exhibit(orientation="landscape", unit="pt", format="letter")
    pdf.set_creation_date(datetime(as_of.year, as_of.month, as_of.day, tzinfo=timezone.utc))
    pdf.set_producer(f"docmine {__version__}")
    pdf.set_creator(f"docmine {__version__}")
    pdf.set_title(_latin(f"Exhibit A: {court}"))
    pdf.set_margins(36, 36, 36)
    pdf.set_auto_page_break(False)  # rows are placed by hand, the heading repeated on each page
    bottom = pdf.h - 42

    def heading() -> None:  # shaded boxes and their titles (drawn, not cells: one page in ~40 rows)
        pdf.set_font("Helvetica", "B", 8)
        pdf.set_fill_color(225, 225, 225)
        x, y, high = pdf.l_margin, pdf.get_y(), HEAD_H
        for title, width in zip(HEADERS, WIDTHS):
            pdf.rect(x, y, width, high, style="DF")
            pdf.text(x + 2, y + high - 4, title)
            x += width
        pdf.set_xy(pdf.l_margin, y + high)
        pdf.set_font("Courier", size=ROW_FONT_PT)

    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 18, "EXHIBIT A", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 15, _latin(court), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(
        0,
        12,
        _latin(
            f"Convictions eligible for relief under Health and Safety Code section 11361.8, as determined under "
            f"policy {policy.name} (sha256 {policy.sha256[:12]}) as of {as_of.isoformat()}. {len(rows)} count(s)."
        ),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(6)
    # Rows are drawn as one line of text each and ruled lines, not as cells.
    left = pdf.l_margin
    edges = [left]
    for width in WIDTHS:
        edges.append(edges[-1] + width)

    def rule_columns(top: float, end: float) -> None:
        for x in edges:
            pdf.line(x, top, x, end)

    heading()
    top = y = pdf.get_y()
    for r in rows:
        if y + ROW_H > bottom:
            rule_columns(top, y)
            pdf.add_page()
            heading()
            top = y = pdf.get_y()
        values = (r.case_number, r.name, r.dob, r.charge, r.conviction_date, RELIEF_WORDS.get(r.relief, r.relief))
        line = "".join(_cell(value, chars) for value, chars in zip(values, COLUMN_CHARS)).rstrip()
        pdf.text(left + 2, y + ROW_H - 3.5, line)
        y += ROW_H
        pdf.line(left, y, edges[-1], y)
    rule_columns(top, y)
    return bytes(pdf.output())


def write_motions(folder: Path, rows: Iterable[MotionRow], policy, as_of: date, *, workers: int = 1) -> list[str]:
    """One exhibit per court; returns their paths relative to the results folder, sorted.
    The rows wait in a SQLite file, not in memory, and each court's are read back when its
    exhibit is drawn; `workers` processes draw courts at once (the same bytes whatever the number)."""
    with tempfile.TemporaryDirectory(prefix="docmine-motions-") as tmp:
        db_path = Path(tmp) / "motions.sqlite"
        db = sqlite3.connect(db_path)
        db.execute("CREATE TABLE m (slug TEXT, court TEXT, case_number TEXT, name TEXT, dob TEXT, charge TEXT, "
                   "conviction_date TEXT, relief TEXT, count_id TEXT)")  # fmt: skip
        batch: list[tuple] = []
        for row in rows:
            batch.append((court_slug(row.court), *astuple(row)))
            if len(batch) >= 5000:
                db.executemany("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO m VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        db.execute("CREATE INDEX m_slug ON m (slug)")
        db.commit()
        slugs = sorted(slug for (slug,) in db.execute("SELECT DISTINCT slug FROM m"))
        db.close()
        written = []
        for slug, pdf in zip(slugs, _drawn([(db_path, slug, policy, as_of) for slug in slugs], workers)):
            write_bytes(folder / f"{slug}.pdf", pdf)
            written.append(f"motions/{slug}.pdf")
    if folder.is_dir():
        keep = {Path(w).name for w in written}
        for old in folder.glob("*.pdf"):
            if old.name not in keep:
                old.unlink()
    return written


def _court_pdf(db_path: Path, slug: str, policy, as_of: date) -> bytes:
    """One court's exhibit, its rows read from the waiting file."""
    db = sqlite3.connect(db_path)
    try:
        rows = [MotionRow(*values) for values in db.execute(
            "SELECT court, case_number, name, dob, charge, conviction_date, relief, count_id FROM m WHERE slug = ?", (slug,)
        )]  # fmt: skip
    finally:
        db.close()
    court = " / ".join(sorted({row.court or "Court not stated" for row in rows}))
    return _pdf(court, sorted(rows, key=MotionRow.sort_key), policy, as_of)


def _drawn(jobs: list[tuple], workers: int):
    """Each court's PDF, in order; by forked processes when there are several courts to draw."""
    if workers <= 1 or len(jobs) < 2:
        yield from (_court_pdf(*job) for job in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _JOBS[:] = jobs
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_draw_job, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 4)))
    finally:
        _JOBS.clear()


_JOBS: list[tuple] = []  # what the forked processes draw, set before the pool starts


def _draw_job(k: int) -> bytes:
    return _court_pdf(*_JOBS[k])
