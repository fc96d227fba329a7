"""The report's charts: each one a figure (inline SVG), a caption, and the table it was drawn from."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from docmine.report import tables
from docmine.report.svg import PALETTE, new_figure, no_data, style, to_svg

if TYPE_CHECKING:
    import pandas as pd

    from docmine.api import Results


@dataclass(frozen=True)
class Chart:
    id: str  # the <figure>'s id: chart-...
    title: str
    caption: str
    svg: str
    table: "pd.DataFrame"
    more: tuple = ()  # further tables drawn in the same figure

    @property
    def empty(self) -> bool:
        return self.table.empty or not self.table.select_dtypes("number").to_numpy().any()


def _label(text: str, width: int = 38, lines: int = 3) -> str:
    """A long label wrapped onto a few lines, cut with an ellipsis (the table beneath has it whole)."""
    wrapped = textwrap.wrap(text, width)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped) or text


def _bars(
    axes, labels: list[str], series: dict[str, list[int]], horizontal: bool = False, stacked: bool = False
) -> None:
    """Grouped (or stacked) bars with their values printed on them."""
    import numpy as np

    positions = np.arange(len(labels))
    width = 0.8 if stacked or len(series) == 1 else 0.8 / len(series)
    base = np.zeros(len(labels))
    for i, (name, values) in enumerate(series.items()):
        values = np.asarray(values, dtype=float)
        offset = 0 if stacked or len(series) == 1 else (i - (len(series) - 1) / 2) * width
        colour = PALETTE[i % len(PALETTE)]
        if horizontal:
            bars = axes.barh(
                positions + offset, values, height=width, left=base if stacked else None, label=name, color=colour
            )
        else:
            bars = axes.bar(
                positions + offset, values, width=width, bottom=base if stacked else None, label=name, color=colour
            )
        if not stacked:
            axes.bar_label(bars, labels=[f"{int(v)}" if v else "" for v in values], padding=2, fontsize=8)
        base = base + values
    if horizontal:
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
    else:
        axes.set_xticks(positions, labels)
        axes.yaxis.get_major_locator().set_params(integer=True)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)


# Each chart's title and caption, by its id (the report's figure and its accessible description).
CAPTIONS: dict[str, tuple[str, str]] = {
    "chart-convictions-by-section-decade": (
        "Marijuana convictions by section and decade",
        "Convictions (including sustained juvenile petitions) under each marijuana section (HS 11357-11360 and the pre-1973 sections), by the decade of conviction.",
    ),
    "chart-relief-by-type": (
        "Relief by type",
        "Counts per outcome under the policy, after reviewers' decisions (final_relief); the table also gives the policy's own decision before review.",
    ),
    "chart-felony-status": (
        "Felony status before and after relief, per person",
        "Left: people with at least one felony conviction, and with any conviction, before and after relief ('cleared' in the table: left with no felony, left with no conviction at all). Right: every person by how their felony status changed.",
    ),
    "chart-review-reasons": (
        "Why counts need a person",
        "Counts whose relief is hand review and that no reviewer has decided yet (review.csv), by reason.",
    ),
    "chart-extraction-confidence": (
        "Extraction confidence",
        "Calibrated confidence of every count read from a document (RAP sheets, dockets); low confidence sends a count to hand review. DOJ rows are read from the file itself and are not shown.",
    ),
    "chart-race-ethnicity": (
        "Relief by race and ethnicity, as recorded",
        "People per race or ethnicity as the records state it (RAP sheet RAC/, DOJ RACE_DESCR; never inferred): with a marijuana conviction, granted any relief, left with no felony, and left with no conviction.",
    ),
}


def _draw(
    chart_id: str,
    table: "pd.DataFrame",
    draw: Callable,
    empty_when: bool,
    size: tuple[float, float] = (7.5, 3.6),
    message: str = "no data",
    more: tuple = (),
) -> Chart:
    with style():
        figure = new_figure(*size)
        if empty_when:
            no_data(figure, message)
        else:
            draw(figure)
        svg = to_svg(figure, chart_id, f"{chart_id}-caption")
    title, caption = CAPTIONS[chart_id]
    return Chart(chart_id, title, caption, svg, table, more)


def convictions_chart(results: "Results") -> Chart:
    table = tables.convictions_by_section_decade(results)
    decades = [c for c in table.columns if c != "section"]

    def draw(figure):
        axes = figure.add_subplot()
        _bars(
            axes, decades, {row["section"]: [int(row[d]) for d in decades] for _, row in table.iterrows()}, stacked=True
        )
        axes.set_xlabel("decade of conviction")
        axes.set_ylabel("convictions")
        axes.legend(frameon=False, fontsize=8, title="section")

    return _draw(
        "chart-convictions-by-section-decade", table, draw, not decades or int(table[decades].to_numpy().sum()) == 0
    )


def relief_chart(results: "Results") -> Chart:
    table = tables.relief_by_type(results)

    def draw(figure):
        axes = figure.add_subplot()
        _bars(
            axes,
            [tables.RELIEF_LABELS.get(k, k) for k in table["relief"]],
            {"counts": list(table["counts"])},
            horizontal=True,
        )
        axes.set_xlabel("counts")

    return _draw("chart-relief-by-type", table, draw, table.empty or int(table["counts"].sum()) == 0)


def felony_chart(results: "Results") -> Chart:
    table = tables.felony_status(results)
    transitions = tables.felony_transitions(results)

    def draw(figure):
        left, right = figure.subplots(1, 2, width_ratios=(1, 1.15))
        _bars(
            left,
            [_label(s, 14) for s in table["status"]],
            {"before relief": list(table["before"]), "after relief": list(table["after"])},
        )
        left.set_ylabel("people")
        _bars(
            right,
            [_label(t, 18) for t in transitions["transition"]],
            {"people": list(transitions["people"])},
            horizontal=True,
        )
        right.set_xlabel("people")
        right.set_title("each person's felony status", fontsize=9)

    return _draw(
        "chart-felony-status", table, draw, int(table[["before", "after"]].to_numpy().sum()) == 0, size=(8.5, 3.6),
        more=(transitions,),
    )  # fmt: skip


def review_chart(results: "Results") -> Chart:
    table = tables.review_reasons(results)

    def draw(figure):
        axes = figure.add_subplot()
        _bars(axes, [_label(r, 48) for r in table["reason"]], {"counts": list(table["counts"])}, horizontal=True)
        axes.set_xlabel("counts awaiting review")

    height = max(2.6, 0.6 * len(table) + 1.0)
    return _draw(
        "chart-review-reasons", table, draw, table.empty, size=(7.5, height), message="no counts awaiting review"
    )


def confidence_chart(results: "Results") -> Chart:
    table = tables.confidence_bins(results)
    sources = [c for c in table.columns if c != "confidence"]

    def draw(figure):
        axes = figure.add_subplot()
        _bars(axes, list(table["confidence"]), {s: list(table[s]) for s in sources}, stacked=True)
        axes.set_xlabel("extraction confidence")
        axes.set_ylabel("counts")
        axes.tick_params(axis="x", labelsize=8)
        axes.legend(frameon=False, fontsize=8, title="source")

    return _draw(
        "chart-extraction-confidence",
        table,
        draw,
        not sources or int(table[sources].to_numpy().sum()) == 0,
        message="no counts read from documents",
    )


def race_chart(results: "Results") -> Chart:
    table = tables.race_breakdown(results)
    measures = {
        "marijuana_convicted": "with a marijuana conviction",
        "relieved": "granted relief",
        "no_felony_left": "no felony left",
        "no_conviction_left": "no conviction left",
    }

    def draw(figure):
        axes = figure.add_subplot()
        _bars(
            axes,
            [_label(r, 24) for r in table["race"]],
            {label: list(table[k]) for k, label in measures.items()},
            horizontal=True,
        )
        axes.set_xlabel("people")

    height = max(3.0, 0.75 * len(table) + 1.2)
    return _draw("chart-race-ethnicity", table, draw, table.empty, size=(7.5, height))


CHARTS: tuple[Callable[["Results"], Chart], ...] = (
    convictions_chart,
    relief_chart,
    felony_chart,
    review_chart,
    confidence_chart,
    race_chart,
)
CHART_IDS: tuple[str, ...] = (
    "chart-convictions-by-section-decade",
    "chart-relief-by-type",
    "chart-felony-status",
    "chart-review-reasons",
    "chart-extraction-confidence",
    "chart-race-ethnicity",
)


def all_charts(results: "Results") -> list[Chart]:
    return [make(results) for make in CHARTS]


__all__ = ["CHARTS", "CHART_IDS", "Chart", "all_charts"]
