"""The visual HTML report over a results folder (issue #10).

    from docmine.report import write_report
    write_report("RESULTS")                     # RESULTS/report.html
    write_report("RESULTS", "out/report.html")

One self-contained page (no request leaves it): the headline figures (people, convictions,
relief, people left with no felony and with no conviction), then six charts, each a
<figure id="chart-..."> with a caption and the table it was drawn from
(`docmine.report.charts.CHART_IDS`): convictions by section and decade, relief by type,
felony status before and after per person, hand-review reasons, extraction confidence,
and relief by race and ethnicity as recorded. The same folder gives the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docmine.api import Results


def build_report(results: "Results", title: str = "Prop 64 relief: docmine report") -> str:
    """The report's HTML for results already read (`docmine.load_results`)."""
    from docmine.report.charts import all_charts
    from docmine.report.page import page
    from docmine.report.tables import headline

    return page(results, all_charts(results), headline(results), title)


def write_report(results_dir: str | os.PathLike, out: str | os.PathLike | None = None) -> Path:
    """Read a results folder and write its report (default RESULTS/report.html); return the path."""
    from docmine.api import load_results
    from docmine.errors import DocmineError

    results = load_results(results_dir)
    target = Path(out) if out is not None else Path(results_dir) / "report.html"
    html = build_report(results)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise DocmineError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target


__all__ = ["build_report", "write_report"]
