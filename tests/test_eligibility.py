"""The statute (HS 11361.8) rule by rule, each case a literal DOJ record line."""

from __future__ import annotations

import json

import csv
import io
from datetime import date

import pytest

from docmine.eligibility import Relief, Tally, check, load_policy
from docmine.eligibility.decision import expand
from docmine.eligibility.eras import Possession, hs11357_meaning
from docmine.eligibility.law import age_band, is_prop64_charge, relief_for, Band, Today
from docmine.charges import Charge
from docmine.records import Severity
from docmine.synth.doj import HEADER

AS_OF = date(2019, 11, 11)


def doj_line(
    subject: str,
    dob: str,
    step: str,
    day: str,
    order: str,
    descr: str,
    toc: str,
    disp: str,
    conv: str = "",
    sent: str = "",
    cyc_date: str = "x",
    comment: str = "",
    county: str = "SACRAMENTO",
    ori: str = "",
) -> str:
    """One DOJ bulk row (95 columns) from the fields these tests vary; `sent` is `LOC LENGTH CODE`."""
    values = dict.fromkeys(HEADER, "")
    loc, length, code = (sent.split() + ["", "", ""])[:3]
    values.update(
        SUBJECT_ID=subject,
        PRI_NAME="DOE,JANE",
        PRI_DOB=dob,
        CYC_DATE=cyc_date,
        STP_EVENT_DATE=day,
        STP_TYPE_DESCR=step,
        STP_ORI_DESCR=ori or "CASC" + county,
        STP_ORI_CNTY_NAME=county,
        CNT_ORDER=order,
        DISP_DATE=day,
        OFFENSE_DESCR=descr,
        OFFENSE_TOC=toc,
        DISP_DESCR=disp,
        CONV_STAT_DESCR=conv,
        SENT_LOC_DESCR=loc,
        SENT_LENGTH=length,
        SENT_TIME_CODE=code,
        COMMENT_TEXT=comment,
    )
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values[h] for h in HEADER])
    return out.getvalue()


def run(tmp_path, lines: list[str], policy: str = "statute", as_of: date = AS_OF):
    path = tmp_path / "doj.csv"
    path.write_text(",".join(HEADER) + "\n" + "".join(lines), encoding="utf-8")
    tally = Tally()
    results = list(check([path], load_policy(policy), as_of, tally))
    return results, tally


ADULT = "19600101"
COURT = "COURT ACTION"
CONV = "CONVICTED-PROBATION"

# (id, record lines, expected relief of the last count, a word the reasoning must contain)
CASES = [
    (
        "11358 adult: no offence today, plants presumed",
        [
            doj_line(
                "1",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "11358 HS-CULTIVATE MARIJUANA",
                "F",
                CONV,
                "FELONY",
                "PROBATION 3 Y",
            )
        ],
        Relief.DISMISS_AND_SEAL,
        "dismiss",
    ),
    (
        "11358 at 19: an infraction today",
        [
            doj_line(
                "2", "19760101", COURT, "19950301", "101001001000", "11358 HS-CULTIVATE MARIJUANA", "F", CONV, "FELONY"
            )
        ],
        Relief.REDESIGNATE_INFRACTION,
        "infraction",
    ),
    (
        "11359 adult felony: a misdemeanor today",
        [
            doj_line(
                "3",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
            )
        ],
        Relief.REDESIGNATE_MISDEMEANOR,
        "misdemeanor",
    ),
    (
        "11359 already a misdemeanor: nothing to redesignate",
        [
            doj_line(
                "4",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "MISDEMEANOR",
            )
        ],
        Relief.NOT_ELIGIBLE,
        "already",
    ),
    (
        "11359 level unknown: hand review names it",
        [doj_line("5", ADULT, COURT, "19950301", "101001001000", "11359 HS-POSSESS MARIJUANA FOR SALE", "", CONV, "")],
        Relief.HAND_REVIEW,
        "level",
    ),
    (
        "attempted 11359 is read as 11359",
        [
            doj_line(
                "6",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "664/11359 HS-ATT POSS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
            )
        ],
        Relief.REDESIGNATE_MISDEMEANOR,
        "misdemeanor",
    ),
    (
        "11360(b) 2012 infraction at 25: lawful today",
        [
            doj_line(
                "7",
                "19870101",
                COURT,
                "20120301",
                "101001001000",
                "11360(B) HS-GIVE/TRANSPORT 28.5 GRAMS OR LESS MARIJ",
                "I",
                CONV,
                "INFRACTION",
            )
        ],
        Relief.DISMISS_AND_SEAL,
        "lawful",
    ),
    (
        "11357(c) 1990 adult misdemeanor: the same offence today",
        [
            doj_line(
                "8",
                ADULT,
                COURT,
                "19900301",
                "101001001000",
                "11357(C) HS-POSS MARIJ OVER 28.5 GRAMS",
                "M",
                CONV,
                "MISDEMEANOR",
            )
        ],
        Relief.NOT_ELIGIBLE,
        "same offence",
    ),
    (
        "11357(c) 1990 at 16: an infraction today",
        [
            doj_line(
                "9",
                "19740101",
                COURT,
                "19900301",
                "101001001000",
                "11357(C) HS-POSS MARIJ OVER 28.5 GRAMS",
                "M",
                "JUV-PETITION SUSTAINED",
                "MISDEMEANOR",
            )
        ],
        Relief.REDESIGNATE_INFRACTION,
        "infraction",
    ),
    (
        "11357(b) 2012 at 19, already an infraction",
        [
            doj_line(
                "10",
                "19930101",
                COURT,
                "20120301",
                "101001001000",
                "11357(B) HS-POSS MARIJ 28.5 GRAMS OR LESS",
                "I",
                CONV,
                "INFRACTION",
            )
        ],
        Relief.NOT_ELIGIBLE,
        "already",
    ),
    (
        "pre-1973 HS 11530: recognised, hand review",
        [
            doj_line(
                "11", "19400101", COURT, "19700301", "101001001000", "11530 HS-POSSESS MARIJUANA", "F", CONV, "FELONY"
            )
        ],
        Relief.HAND_REVIEW,
        "11530",
    ),
    (
        "PC 182 conspiracy to 11359: hand review",
        [
            doj_line(
                "12", ADULT, COURT, "19950301", "101001001000", "182(A)(1) PC-CONSPIRACY 11359 HS", "F", CONV, "FELONY"
            )
        ],
        Relief.HAND_REVIEW,
        "conspiracy",
    ),
    (
        "convicted after Prop 64 with no earlier date: hand review",
        [
            doj_line(
                "13",
                ADULT,
                COURT,
                "20170301",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
            )
        ],
        Relief.HAND_REVIEW,
        "after Prop 64",
    ),
    # W2 (issue #18): "had that act been in effect at the time of the offense" (HS 11361.8(a), (e)); an
    # arrest on 2016-12-01 bounds the offence from above only, so the offence may predate Prop 64.
    (
        "arrested after Prop 64, no offence date: hand review",
        [
            doj_line(
                "14",
                ADULT,
                COURT,
                "20170301",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
                cyc_date="20161201",
            )
        ],
        Relief.HAND_REVIEW,
        "on or before the arrest",
    ),
    (
        "prior murder conviction: hand review names the super strike",
        [
            doj_line(
                "15", ADULT, COURT, "19850301", "101001001000", "187(A) PC-MURDER", "F", "CONVICTED-PRISON", "FELONY"
            ),
            doj_line(
                "15",
                ADULT,
                COURT,
                "19950301",
                "102001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
            ),
        ],
        Relief.HAND_REVIEW,
        "667(e)(2)(C)(iv)",
    ),
    (
        "prior PC 314(1): hand review names PC 290(c)",
        [
            doj_line(
                "16", ADULT, COURT, "19850301", "101001001000", "314(1) PC-INDECENT EXPOSURE", "M", CONV, "MISDEMEANOR"
            ),
            doj_line(
                "16",
                ADULT,
                COURT,
                "19950301",
                "102001001000",
                "11360(A) HS-SELL/TRANSPORT/ETC MARIJUANA",
                "F",
                CONV,
                "FELONY",
            ),
        ],
        Relief.HAND_REVIEW,
        "290(c)",
    ),
    (
        "a registration event: evidence to flag, not proof",
        [
            doj_line(
                "17", ADULT, "REGISTRATION", "19850301", "101001001000", "290 PC-REGISTRATION OF SEX OFFENDER", "", ""
            ),
            doj_line(
                "17",
                ADULT,
                COURT,
                "19950301",
                "102001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                CONV,
                "FELONY",
            ),
        ],
        Relief.HAND_REVIEW,
        "registration",
    ),
    (
        "HS 11361 in the same case suggests a sale to a minor",
        [
            doj_line(
                "18",
                ADULT,
                COURT,
                "19950301",
                "101001001000",
                "11361(B) HS-FURNISH MARIJUANA TO MINOR",
                "F",
                "DISMISSED",
                "",
            ),
            doj_line(
                "18",
                ADULT,
                COURT,
                "19950301",
                "101001002000",
                "11360(A) HS-SELL/TRANSPORT/ETC MARIJUANA",
                "F",
                CONV,
                "FELONY",
            ),
        ],
        Relief.HAND_REVIEW,
        "11361",
    ),
    (
        "a prison term still running: recall and resentence, public safety flagged",
        [
            doj_line(
                "19",
                ADULT,
                COURT,
                "20150301",
                "101001001000",
                "11359 HS-POSSESS MARIJUANA FOR SALE",
                "F",
                "CONVICTED-PRISON",
                "FELONY",
                "PRISON 8 Y",
                cyc_date="20150101",
            )
        ],
        Relief.RECALL_AND_RESENTENCE,
        "public safety",
    ),
    (
        "no date of birth: 21 or over presumed",
        [doj_line("20", "", COURT, "19950301", "101001001000", "11358 HS-CULTIVATE MARIJUANA", "F", CONV, "FELONY")],
        Relief.DISMISS_AND_SEAL,
        "dismiss",
    ),
]


@pytest.mark.parametrize("lines, relief, word", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_statute_rule(tmp_path, lines, relief, word):
    results, _ = run(tmp_path, lines)
    last = results[-1]
    assert last.relief is relief, last.decision.to_dict()
    text = " ".join(d.reasoning + " " + d.clause for d in last.decision.walk())
    assert word.lower() in text.lower(), text


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0] for c in CASES])
def test_a_compact_tree_expands_to_the_full_one(tmp_path, case):
    results, _ = run(tmp_path, CASES[case][1])
    for result in results:
        tree, facts = result.decision.compact()
        assert expand(tree, facts) == result.decision.to_dict()
        assert all(f.to_dict() in facts for f in result.decision.all_facts())
        assert len(facts) == len({json.dumps(f, sort_keys=True) for f in facts})  # each written once


def test_presumed_facts_are_marked_in_the_explanation(tmp_path):
    (result,), _ = run(tmp_path, [CASES[0][1][0]])
    presumed = [f for f in result.decision.all_facts() if f.presumed]
    assert [f.value for f in presumed] == ["six living plants or fewer"]
    assert "11361.8(b)" in presumed[0].source


def test_hand_review_names_the_fact(tmp_path):
    results, _ = run(tmp_path, CASES[14][1])
    facts = {f.name: f.value for f in results[-1].decision.all_facts()}
    assert facts["prior"] == "PC 187(a)"
    assert "line 2 OFFENSE_DESCR" in next(f.source for f in results[-1].decision.all_facts() if f.name == "prior")


def test_non_marijuana_and_non_convictions_get_no_decision(tmp_path):
    lines = [
        doj_line(
            "30",
            ADULT,
            COURT,
            "19950301",
            "101001001000",
            "11357.5(B) HS-POSS SYNTHETIC CANNABINOID",
            "I",
            CONV,
            "INFRACTION",
        ),
        doj_line(
            "30", ADULT, COURT, "19950301", "101001002000", "11359 HS-POSSESS MARIJUANA FOR SALE", "F", "DISMISSED", ""
        ),
        doj_line("30", ADULT, "ARREST/DETAINED/CITED", "19950101", "101001003000", "11358 HS-CULTIVATE", "F", "", ""),
    ]
    results, tally = run(tmp_path, lines)
    assert results == [] and tally.counts == 3


def test_statute_does_not_take_gogens_11357_5_match():
    """HS 11361.8(a) and (e) name HS 11357-11360 only; gogen's unanchored pattern also matched
    HS 11357.5 (synthetic cannabinoids). The statute policy does not."""
    assert not is_prop64_charge(Charge.parse("HS 11357.5(a)"))
    assert is_prop64_charge(Charge.parse("HS 11357(a)"))


@pytest.mark.parametrize(
    "subs, day, meaning",
    [
        ((), date(1974, 6, 1), Possession.ANY_AMOUNT),
        (("c",), date(1974, 6, 1), Possession.ANY_AMOUNT),
        (("a",), date(1990, 1, 1), Possession.CONCENTRATED),
        (("b",), date(1990, 1, 1), Possession.SMALL),
        (("c",), date(2012, 1, 1), Possession.OVER_28_5),
        (("d",), date(2000, 1, 1), Possession.SCHOOL_ADULT),
        (("e",), date(2000, 1, 1), Possession.SCHOOL_MINOR),
        (("a", "2"), date(2018, 1, 1), Possession.AFTER_PROP64),
    ],
)
def test_hs11357_era_table(subs, day, meaning):
    assert hs11357_meaning(subs, day)[0] is meaning


@pytest.mark.parametrize(
    "level, severity, serving, relief",
    [
        (Today.LEGAL, Severity.FELONY, False, Relief.DISMISS_AND_SEAL),
        (Today.LEGAL, Severity.FELONY, True, Relief.RECALL_AND_RESENTENCE),
        (Today.UNCHANGED, Severity.MISDEMEANOR, True, Relief.NOT_ELIGIBLE),
        (Today.MISDEMEANOR, Severity.FELONY, False, Relief.REDESIGNATE_MISDEMEANOR),
        (Today.INFRACTION, Severity.MISDEMEANOR, False, Relief.REDESIGNATE_INFRACTION),
        (Today.INFRACTION, Severity.INFRACTION, False, Relief.NOT_ELIGIBLE),
        (Today.MISDEMEANOR, Severity.UNKNOWN, False, Relief.HAND_REVIEW),
    ],
)
def test_relief_for(level, severity, serving, relief):
    assert relief_for(level, severity, serving)[0] is relief


def test_age_bands():
    assert [age_band(a) for a in (17, 18, 20, 21)] == [Band.UNDER_18, Band.AGE_18_20, Band.AGE_18_20, Band.AGE_21_PLUS]


# --- the fast paths (issue #6 speed) agree with building everything -------------------------


@pytest.mark.parametrize("quirks", [False, True])
def test_fast_paths_match_building_everything(tmp_path, quirks):
    """`check` passes over subjects with no convicted candidate (`Policy.charge_prefilter`) and,
    under `statute`, finds the relief without the explanation tree (`statute.relief`, tree
    built on read). Over a synthetic DOJ file, for every shipped policy, both must give what
    building every count and every tree gives: same counts, same reliefs, same trees."""
    from docmine.eligibility import available_policies, doj, statute
    from docmine.synth.doj import write_doj_file

    path = tmp_path / "doj.csv"
    write_doj_file(path, rows=6000, seed=7, quirks=quirks)
    problems: list = []
    histories = list(doj.read_doj(path, lambda *p: problems.append(p)))
    assert sum(h.passed_over for h in histories) == 0
    for name in available_policies():
        policy = load_policy(name)
        expected = [
            (c.key, policy.decide(c, h, AS_OF).to_dict())
            for h in histories
            for c in h.counts
            if policy.in_scope(c, h, AS_OF)
        ]
        tally = Tally()
        got = [(r.count.key, r.relief, r.decision.to_dict()) for r in check([path], policy, AS_OF, tally)]
        assert [(k, d) for k, _, d in got] == expected, name
        assert all(relief.value == d["value"] for _, relief, d in got)
        assert tally.counts == sum(len(h.counts) for h in histories) and tally.people == len(histories)
        assert len(tally.problems) == len(problems)
    passed_over = list(doj.read_doj(path, lambda *p: None, load_policy("statute").charge_prefilter()))
    assert sum(h.passed_over for h in passed_over) > 0  # the prefilter does pass some subjects over
    for h in histories:
        for c in h.counts:
            full = statute.evaluate(c, h, AS_OF)
            assert statute.relief(c, h, AS_OF) == (full.value if full is not None else None), c.key


def test_prefilter_keeps_every_section_the_scope_names():
    """The cheap test looks for a section's whole number digit for digit in the raw text."""
    keep = load_policy("statute").charge_prefilter()
    for text in (
        "11357(B) HS-POSSESS MARIJUANA",
        "HS 11530.5",
        "66411359 HS",
        "182(A)(1) PC-CONSP: 11360 HS",
        "11540 HS-PLANT MARIJUANA",
        "11531 HS",
    ):
        assert keep(text), text
    assert not keep("484 PC-PETTY THEFT") and not keep("11350 HS-POSSESS NARC")
    assert load_policy("san-francisco").charge_prefilter()("11364 HS-POSSESS PARAPHERNALIA")


def test_old_sections_cite_what_was_found(tmp_path):
    """Old HS 11530 covered planting and cultivating too (People v. McDaniel, 1957; People v.
    Willmirth, 1966); HS 11540 and 11530.5 stay unconfirmed; all go to hand review."""
    from docmine.eligibility import sources

    lines = [
        doj_line(
            "11", "19400101", COURT, "19660301", "101001001000", "11530 HS-CULTIVATE MARIJUANA", "F", CONV, "FELONY"
        ),
        doj_line("11", "19400101", COURT, "19680301", "102001001000", "11540 HS-PLANT MARIJUANA", "F", CONV, "FELONY"),
    ]
    results, _ = run(tmp_path, lines)
    first, second = results
    assert first.relief is Relief.HAND_REVIEW and second.relief is Relief.HAND_REVIEW
    assert sources.OLD_HS_11530_CULTIVATION in first.decision.clause and "cultivating" in first.decision.reasoning
    assert "not confirmed" in second.decision.reasoning


def test_parole_or_prcs_after_prison_is_a_sentence_still_served(tmp_path):
    """W9 (issue #18): HS 11361.8(a), "A person currently serving a sentence for a conviction ...";
    release from a prison term is followed by parole or post-release community supervision "for a
    period of 3 years immediately following release" (PC 3451, sources.PRCS_3_YEARS), part of the
    sentence: a 2015 three-year term is still being served on 2018-06-01."""
    line = doj_line(
        "w9",
        ADULT,
        COURT,
        "20150301",
        "101001001000",
        "11360(A) HS-SELL/TRANSPORT/ETC MARIJUANA",
        "F",
        "CONVICTED-PRISON",
        "FELONY",
        "PRISON 3 Y",
        cyc_date="20150101",
    )
    (result,), _ = run(tmp_path, [line], as_of=date(2018, 6, 1))
    assert result.relief is Relief.RECALL_AND_RESENTENCE
    assert "post-release community supervision" in str(result.decision.to_dict())
    (later,), _ = run(tmp_path, [line], as_of=date(2021, 6, 1))
    assert later.relief is Relief.REDESIGNATE_MISDEMEANOR


def test_human_trafficking_is_a_pc290c_prior(tmp_path):
    """W3 (issue #18): PC 290(c) as Prop 35 amended it lists "subdivision (b) and (c) of Section
    236.1"; such a prior keeps an HS 11359 a felony (HS 11359(c)(1)): no misdemeanor without a person."""
    lines = [
        doj_line("w3", ADULT, COURT, "20130301", "101001001000", "236.1(B) PC-HUMAN TRAFFICKING", "F", CONV, "FELONY"),
        doj_line(
            "w3", ADULT, COURT, "20150301", "102001001000", "11359 HS-POSSESS MARIJUANA FOR SALE", "F", CONV, "FELONY"
        ),
    ]
    results, _ = run(tmp_path, lines)
    last = results[-1]
    assert last.relief is Relief.HAND_REVIEW and "290(c)" in last.decision.reasoning


def test_a_juvenile_adjudication_is_not_a_prior_conviction(tmp_path):
    """W4 (issue #18): a juvenile adjudication "was not a prior conviction as used in Health and Safety
    Code section 11377" (People v. Zamora (2017)); HS 11359(c)(1) uses the same words, so a sustained
    PC 288(a) petition from 1985 does not keep a 2015 HS 11359 a felony."""
    lines = [
        doj_line(
            "w4",
            "19700101",
            COURT,
            "19850301",
            "101001001000",
            "288(A) PC-LEWD ACT WITH CHILD",
            "F",
            "JUV-PETITION SUSTAINED",
            "FELONY",
        ),
        doj_line(
            "w4",
            "19700101",
            COURT,
            "20150301",
            "102001001000",
            "11359 HS-POSSESS MARIJUANA FOR SALE",
            "F",
            CONV,
            "FELONY",
        ),
    ]
    results, _ = run(tmp_path, lines)
    assert results[-1].relief is Relief.REDESIGNATE_MISDEMEANOR


def test_a_sustained_petition_means_under_18_at_the_offence(tmp_path):
    """W1 (issue #18): WIC 602, the juvenile court takes a person "under 18 years of age when he or she
    violates any law"; under 18 the conduct is an infraction today (HS 11357(a)(1), 11359(a)). With no
    date of birth, "21 or over" is presumed only when nothing shows the age."""
    lines = [
        doj_line(
            "w1",
            "",
            COURT,
            "20050301",
            "101001001000",
            "11357(B) HS-POSS MARIJ 28.5 GRAMS OR LESS",
            "M",
            "JUV-PETITION SUSTAINED",
            "MISDEMEANOR",
        ),
        doj_line(
            "w1",
            "",
            COURT,
            "20050301",
            "101001002000",
            "11359 HS-POSSESS MARIJUANA FOR SALE",
            "F",
            "JUV-PETITION SUSTAINED",
            "FELONY",
        ),
    ]
    results, _ = run(tmp_path, lines)
    assert [r.relief for r in results] == [Relief.REDESIGNATE_INFRACTION, Relief.REDESIGNATE_INFRACTION]
    assert "WIC 602" in str(results[0].decision.to_dict())


def test_hs_11357_before_the_recodification_is_read_by_a_person(tmp_path):
    """W5 (issue #18): Division 10 "repealed and added by Stats. 1972, Ch. 1407"; before it HS 11357 was
    another offence, so a 1970 "HS 11357" is treated like the other pre-1973 sections."""
    line = doj_line(
        "w5", "19400101", COURT, "19700301", "101001001000", "11357 HS-POSSESS MARIJUANA", "F", CONV, "FELONY"
    )
    (result,), _ = run(tmp_path, [line])
    assert result.relief is Relief.HAND_REVIEW and "1972, ch. 1407" in result.decision.reasoning


def test_old_11357e_at_25_contradicts_itself(tmp_path):
    """W6 (issue #18): the old HS 11357(e) applied only to persons under 18 on school grounds; a 1995
    conviction of a 25-year-old under it is a record that contradicts itself: a person checks."""
    line = doj_line(
        "w6",
        "19700101",
        COURT,
        "19950301",
        "101001001000",
        "11357(E) HS-POSS MARIJ SCHOOL UNDER 18",
        "M",
        CONV,
        "MISDEMEANOR",
    )
    (result,), _ = run(tmp_path, [line])
    assert result.relief is Relief.HAND_REVIEW and "under 18 on school grounds" in result.decision.reasoning
