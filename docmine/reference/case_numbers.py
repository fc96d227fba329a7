"""Court case-number shapes, county by county, as their RAP-sheet court events print them.

A court case number is not free text: Orange County prints `85WF4655` (two digits of the
filing year, a court letter pair, four digits), San Bernardino `FVI397294`, Kern `BF123456A`.
`docmine.extract.case_numbers` checks and repairs read numbers against these; a county not
listed is never checked, and an office adds its own county's shapes here.
"""

from __future__ import annotations

# `{yy}`: the two digits of the filing year; `{y}`: its last digit.
COURT_SHAPES: dict[str, tuple[str, ...]] = {
    "LOS ANGELES": (r"(?:BA|KA|LA|VA|GA|SA|TA|NA|PA|YA|MA)\d{6}", r"{y}(?:CA|MP|LB|PS|CP)\d{5}"),
    "SAN FRANCISCO": (r"\d{7}", r"SCN\d{6}"),
    "ALAMEDA": (r"[HCNW]\d{6}",),
    "SACRAMENTO": (r"{yy}[FM]\d{5}",),
    "SANTA CRUZ": (r"{yy}[FM]\d{5}",),
    "SAN DIEGO": (r"SC[DNSE]\d{6}", r"(?:M|CN|CS)\d{6}"),
    "ORANGE": (r"{yy}(?:NF|HF|WF|CF)\d{4}", r"{yy}(?:NM|HM|WM|CM)\d{5}"),
    "RIVERSIDE": (r"(?:RI|IN|SW)[FM]\d{6}",),
    "SAN BERNARDINO": (r"[FM](?:SB|VA|WV|VI)\d{6}",),
    "SANTA CLARA": (r"C{yy}\d{5}", r"B\d{7}"),
    "FRESNO": (r"[FM]\d{8}",),
    "KERN": (r"B[FM]\d{6}A",),
    "HUMBOLDT": (r"CR{yy}\d{4}",),
    "MENDOCINO": (r"SCUK-CRCR-{yy}-\d{5}",),
    "CONTRA COSTA": (r"\d{6}-\d",),
    "SAN JOAQUIN": (r"S[FM]\d{6}A",),
    "SONOMA": (r"SCR\d{6}",),
    "TULARE": (r"VC[FM]\d{6}",),
}
# Before 1980 many courts numbered cases county-wide with six digits, some with a letter.
EARLY_SHAPES: tuple[str, ...] = (r"[AC]?\d{6}",)
EARLY_BEFORE = 1980

__all__ = ["COURT_SHAPES", "EARLY_BEFORE", "EARLY_SHAPES"]
