"""Matplotlib figures as inline SVG that is the same, byte for byte, on every run.

Matplotlib names clip paths by hashing them with `svg.hashsalt` and stamps a date and its
version into the metadata; both are fixed here. Text stays text (`svg.fonttype: none`), so
the page is small, searchable and read by screen readers. Ids are prefixed with the chart's
own id because several SVGs share one HTML document and ids must be unique in it.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from typing import Iterator

# Okabe-Ito: told apart by people with any common colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GREY = "#999999"

_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "docmine",
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


@contextmanager
def style() -> Iterator[None]:
    import matplotlib
    from cycler import cycler

    settings = {**_RC, "axes.prop_cycle": cycler(color=PALETTE)}
    with matplotlib.rc_context(settings):
        yield


def new_figure(width: float = 7.5, height: float = 3.6):
    """A figure without pyplot (no global state, no GUI backend)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def no_data(figure, message: str = "no data") -> None:
    """An empty chart says so instead of drawing empty axes."""
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=14, color=GREY, transform=axes.transAxes)


def to_svg(figure, chart_id: str, label_id: str) -> str:
    """The figure as an <svg> element for inlining: no XML prologue, no metadata, ids prefixed,
    labelled by the element `label_id` (the figure's caption)."""
    buffer = io.StringIO()
    with style():
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{chart_id}-{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{chart_id}-{m.group(1)}"', text)
    text = text.replace("<svg ", f'<svg role="img" aria-labelledby="{label_id}" class="chart-svg" ', 1)
    return text.strip() + "\n"
