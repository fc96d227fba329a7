"""The report as one self-contained HTML page: inline CSS, inline SVG charts, one small inline
script, and nothing fetched from anywhere (it opens from a USB stick on an offline laptop)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from docmine.api import Results
    from docmine.report.charts import Chart

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:62rem;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.run{color:#444;font-size:.9rem}
dl.headline{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.6rem;margin:1rem 0}
dl.headline div{border:1px solid #ccc;border-radius:6px;padding:.5rem .7rem}
dl.headline dt{font-size:.8rem;color:#444}dl.headline dd{margin:0;font-size:1.4rem;font-weight:600}
figure.chart{margin:2rem 0;border-top:1px solid #ddd;padding-top:1rem}
figure.chart svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:#333;margin:.3rem 0 .6rem}figcaption strong{display:block;font-size:1.05rem;color:#1a1a1a}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-size:.8rem;color:#444;padding-bottom:.2rem}
.empty{color:#666;font-style:italic}
"""

# Proves in a headless browser that the page's script ran and every chart has its drawing.
SCRIPT = """
(function () {
  var figures = document.querySelectorAll("figure.chart");
  var drawn = 0;
  figures.forEach(function (figure) { if (figure.querySelector("svg")) { drawn += 1; } });
  document.body.dataset.charts = String(drawn);
  document.body.dataset.figures = String(figures.length);
})();
"""


def _cell(value) -> str:
    import pandas as pd

    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
        text = f"{value:,}" if isinstance(value, int) or float(value).is_integer() else f"{value:.3f}"
        return f'<td class="n">{text.replace(".000", "")}</td>'
    return f"<td>{escape(str(value))}</td>"


def table_html(frame: "pd.DataFrame", caption: str) -> str:
    """A DataFrame as an accessible HTML table (the numbers behind a chart)."""
    if frame.empty:
        return f'<p class="empty">{escape(caption)}: no rows.</p>\n'
    head = "".join(f'<th scope="col">{escape(str(c).replace("_", " "))}</th>' for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        values = [v.item() if hasattr(v, "item") else v for v in row]
        first, rest = values[0], values[1:]
        body.append(f'<tr><th scope="row">{escape(str(first))}</th>{"".join(_cell(v) for v in rest)}</tr>')
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>\n"
    )


def figure_html(chart: "Chart") -> str:
    return (
        f'<figure class="chart" id="{chart.id}" data-empty="{str(chart.empty).lower()}">\n'
        f"{chart.svg}"
        f'<figcaption id="{chart.id}-caption"><strong>{escape(chart.title)}</strong>{escape(chart.caption)}</figcaption>\n'
        f"{table_html(chart.table, 'The figures behind the chart')}"
        f"{''.join(table_html(t, 'More figures behind the chart') for t in chart.more)}"
        f"</figure>\n"
    )


def run_html(run: dict) -> str:
    """What was run: the policy and its hash, the evaluation date, the inputs (no wall-clock time)."""
    policy = escape(str(run.get("policy", "unknown policy")))
    sha = escape(str(run.get("policy_sha256", ""))[:12])
    as_of = escape(str(run.get("as_of", "")))
    inputs = run.get("inputs", [])
    version = escape(str(run.get("docmine_version", run.get("version", ""))))
    parts = [f"policy <strong>{policy}</strong>" + (f" (sha256 {sha}…)" if sha else "")]
    if as_of:
        parts.append(f"as of {as_of}")
    parts.append(f"{len(inputs)} input file{'s' if len(inputs) != 1 else ''}")
    if version:
        parts.append(f"docmine {version}")
    return f'<p class="run">{", ".join(parts)}.</p>\n'


def page(results: "Results", charts: list["Chart"], headline: dict[str, int], title: str) -> str:
    import pandas as pd

    cards = "".join(f"<div><dt>{escape(k)}</dt><dd>{v:,}</dd></div>" for k, v in headline.items())
    errors = results.errors
    error_table = (
        table_html(
            pd.DataFrame(
                {
                    "input": errors["path"],
                    "page": errors["page"].astype("string").fillna(""),
                    "reason": errors["reason"],
                }
            ),
            "Inputs that could not be read",
        )
        if not errors.empty
        else '<p class="empty">Every input was read.</p>\n'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{run_html(results.run)}"
        f'<dl class="headline" id="headline">{cards}</dl>\n'
        "<h2>Charts</h2>\n"
        + "".join(figure_html(c) for c in charts)
        + f'<h2 id="errors">Inputs that could not be read</h2>\n{error_table}'
        + "</main>\n<script>"
        + SCRIPT
        + "</script>\n</body>\n</html>\n"
    )
