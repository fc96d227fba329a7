"""The figures behind every chart, as small DataFrames (the report draws them and prints them
beneath each chart; the notebooks call the same functions).

Each takes a `docmine.api.Results` and returns a DataFrame whose first column names the
group and whose other columns are numbers; an empty results folder gives an empty frame
with the same columns. Definitions, so a reader can check a figure by hand:

- a conviction is a count whose disposition is `convicted` or `sustained` (a juvenile petition);
- a count's section is its canonical charge without the subdivision (`HS 11357(b)` -> `HS 11357`);
- relief is `final_relief`: the policy's decision, or the reviewer's where one is recorded;
- race and ethnicity are as recorded (RAP sheet `RAC/`, DOJ `RACE_DESCR`), never inferred;
  a person with none recorded is counted under "not recorded".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from docmine.api import Results

CONVICTED = ("convicted", "sustained")
RELIEF_ORDER = (
    "dismiss_and_seal",
    "redesignate_misdemeanor",
    "redesignate_infraction",
    "recall_and_resentence",
    "refer",
    "hand_review",
    "not_eligible",
)
RELIEF_LABELS = {
    "dismiss_and_seal": "dismissed and sealed",
    "redesignate_misdemeanor": "redesignated misdemeanor",
    "redesignate_infraction": "redesignated infraction",
    "recall_and_resentence": "recalled and resentenced",
    "refer": "referred to another office",
    "hand_review": "hand review",
    "not_eligible": "not eligible",
}
NOT_RECORDED = "not recorded"
_SECTION = re.compile(r"^([A-Z]+ [0-9][0-9.]*[0-9]|[A-Z]+ [0-9]+)")


def section_of(charge: str) -> str:
    """`HS 11357(b)` -> `HS 11357`; an unread charge is "(unread)"."""
    match = _SECTION.match(charge or "")
    return match.group(1) if match else "(unread)"


def convictions(results: "Results") -> "pd.DataFrame":
    counts = results.counts
    return counts[counts["disposition"].isin(CONVICTED)]


def convictions_by_section_decade(results: "Results", marijuana_only: bool = True) -> "pd.DataFrame":
    """Convictions per section (rows) and decade of conviction (columns), marijuana sections by default."""
    import pandas as pd

    rows = convictions(results)
    if marijuana_only:
        rows = rows[rows["marijuana"].fillna(False).astype(bool)]
    if rows.empty:
        return pd.DataFrame({"section": pd.Series([], dtype="string")})
    years = rows["conviction_date"].dt.year
    decade = years.map(lambda y: f"{int(y) // 10 * 10}s" if pd.notna(y) else "date unknown")
    table = pd.crosstab(rows["charge"].map(section_of).rename("section"), decade.rename("decade"))
    ordered = sorted(c for c in table.columns if c != "date unknown") + [
        c for c in table.columns if c == "date unknown"
    ]
    table = table[ordered]
    table.columns.name = None
    return table.reset_index().sort_values("section", kind="stable").reset_index(drop=True)


def relief_by_type(results: "Results") -> "pd.DataFrame":
    """Counts per relief: as the policy decided (`relief`) and after reviewers' decisions (`final_relief`)."""
    import pandas as pd

    counts = results.counts
    before = counts["relief"][counts["relief"] != ""].value_counts()
    after = counts["final_relief"][counts["final_relief"] != ""].value_counts()
    kinds = [k for k in RELIEF_ORDER if k in before.index or k in after.index]
    kinds += sorted((set(before.index) | set(after.index)) - set(RELIEF_ORDER))  # a policy's own kinds
    return pd.DataFrame(
        {
            "relief": pd.Series(kinds, dtype="string"),
            "counts": [int(after.get(k, 0)) for k in kinds],
            "policy_decision": [int(before.get(k, 0)) for k in kinds],
        }
    )


def felony_status(results: "Results") -> "pd.DataFrame":
    """People with a felony conviction, and with any conviction, before and after relief."""
    import pandas as pd

    people = results.people
    before_f = int((people["felonies_before"].fillna(0) > 0).sum())
    after_f = int((people["felonies_after"].fillna(0) > 0).sum())
    before_c = int((people["convictions"].fillna(0) > 0).sum())
    after_c = int((people["convictions_after"].fillna(0) > 0).sum())
    return pd.DataFrame(
        {
            "status": pd.Series(["with a felony conviction", "with any conviction"], dtype="string"),
            "before": [before_f, before_c],
            "after": [after_f, after_c],
            "cleared": [
                int(people["no_felony_left"].fillna(False).sum()),
                int(people["no_conviction_left"].fillna(False).sum()),
            ],
        }
    )


def felony_transitions(results: "Results") -> "pd.DataFrame":
    """Each person's felony status before and after relief, as a count of people per transition."""
    import pandas as pd

    people = results.people
    had = people["felonies_before"].fillna(0) > 0
    left = people["felonies_after"].fillna(0) > 0
    convicted = people["convictions"].fillna(0) > 0
    groups = [
        ("felony before, felony after", had & left),
        ("felony before, no felony after", had & ~left),
        ("convictions but no felony", ~had & convicted),
        ("no conviction", ~had & ~convicted),
    ]
    return pd.DataFrame(
        {"transition": pd.Series([g for g, _ in groups], dtype="string"), "people": [int(m.sum()) for _, m in groups]}
    )


def review_reasons(results: "Results", top: int = 10) -> "pd.DataFrame":
    """Counts awaiting hand review, per reason (the `top` most frequent; the rest as "other reasons")."""
    import pandas as pd

    reasons = results.review["reason"].replace("", "no reason given")
    tally = reasons.value_counts()
    tally = tally.sort_index(kind="stable").sort_values(ascending=False, kind="stable")  # ties by reason
    rows = [(str(k), int(v)) for k, v in tally.iloc[:top].items()]
    if len(tally) > top:
        rows.append(("other reasons", int(tally.iloc[top:].sum())))
    return pd.DataFrame({"reason": pd.Series([r for r, _ in rows], dtype="string"), "counts": [n for _, n in rows]})


def confidence_bins(results: "Results", bins: int = 10) -> "pd.DataFrame":
    """Extraction confidence of counts read from documents (RAP sheets, dockets), in `bins` bins per source.
    DOJ rows are read field by field from the file and carry no extraction doubt, so they are left out."""
    import numpy as np
    import pandas as pd

    counts = results.counts
    read = counts[counts["source"].isin(("rap_sheet", "docket", "counts")) & counts["confidence"].notna()]
    if read.empty:
        return pd.DataFrame({"confidence": pd.Series([], dtype="string")})
    edges = np.linspace(0.0, 1.0, bins + 1)
    labels = [f"{edges[i]:.1f}-{edges[i + 1]:.1f}" for i in range(bins)]
    frame = {"confidence": pd.Series(labels, dtype="string")}
    for source in sorted(read["source"].unique()):
        values = read.loc[read["source"] == source, "confidence"].clip(0.0, 1.0).to_numpy()
        frame[str(source)] = np.histogram(values, bins=edges)[0].astype(int)
    return pd.DataFrame(frame)


def race_breakdown(results: "Results") -> "pd.DataFrame":
    """Per race or ethnicity as recorded: people, people with a marijuana conviction, people granted
    relief (any count dismissed, redesignated or resentenced), people left with no felony and
    with no conviction, the counts dismissed, redesignated or resentenced, and the last three
    people figures as percentages of the group's people with a marijuana conviction."""
    import pandas as pd

    people = results.people
    if people.empty:
        return pd.DataFrame(
            {
                "race": pd.Series([], dtype="string"),
                "people": [],
                "marijuana_convicted": [],
                "relieved": [],
                "no_felony_left": [],
                "no_conviction_left": [],
                "counts_relieved": [],
                "relieved_pct": [],
                "no_felony_left_pct": [],
                "no_conviction_left_pct": [],
            }
        )
    race = people["race"].str.strip().replace("", NOT_RECORDED)
    relieved_counts = (
        people["dismissed_and_sealed"].fillna(0) + people["redesignated"].fillna(0) + people["resentenced"].fillna(0)
    )
    frame = pd.DataFrame(
        {
            "race": race,
            "people": 1,
            "marijuana_convicted": (people["marijuana_convictions"].fillna(0) > 0).astype(int),
            "relieved": (relieved_counts > 0).astype(int),
            "no_felony_left": people["no_felony_left"].fillna(False).astype(int),
            "no_conviction_left": people["no_conviction_left"].fillna(False).astype(int),
            "counts_relieved": relieved_counts.astype(int),
        }
    )
    table = frame.groupby("race", sort=True).sum().reset_index()
    # Shares of the people with a marijuana conviction: comparable across groups of any size.
    base = table["marijuana_convicted"].where(table["marijuana_convicted"] > 0)
    for name in ("relieved", "no_felony_left", "no_conviction_left"):
        table[f"{name}_pct"] = (100 * table[name] / base).round(1)
    table = table.sort_values(["people", "race"], ascending=[False, True], kind="stable").reset_index(drop=True)
    table["race"] = table["race"].astype("string")
    return table


def headline(results: "Results") -> dict[str, int]:
    """The figures in the news: convictions, people, relief, no felony left, no record left."""
    counts, people = results.counts, results.people
    final = counts["final_relief"]
    conv = convictions(results)
    return {
        "people": len(people),
        "counts read": len(counts),
        "convictions": len(conv),
        "marijuana convictions": int(conv["marijuana"].fillna(False).sum()),
        "dismissed and sealed": int((final == "dismiss_and_seal").sum()),
        "redesignated": int(final.isin(("redesignate_misdemeanor", "redesignate_infraction")).sum()),
        "recalled and resentenced": int((final == "recall_and_resentence").sum()),
        "awaiting hand review": len(results.review),
        "people with no felony left": int(people["no_felony_left"].fillna(False).sum()),
        "people with no conviction left": int(people["no_conviction_left"].fillna(False).sum()),
        "inputs that could not be read": len(results.errors),
    }
