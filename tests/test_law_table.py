"""The law, case by case (issue #18): each row a minimal record, the relief HS 11361.8 gives it and
the clause that decides it, run through `check()` (DOJ rows) or the output contract (documents).

The clause column is the text the decision must cite (its clause or reasoning), so a row fails if
the right relief is reached for the wrong reason. Ages are at the offence unless the row says so;
"as of" is the evaluation date (`--as-of`), which decides what is still being served.
"""

from __future__ import annotations

from datetime import date

import pytest

from docmine.charges import Charge
from docmine.contract import write_counts
from docmine.eligibility import Relief, check, load_policy
from docmine.records import Count, DispositionKind, DocType, EventType, Person, Severity, Update, UpdateKind
from tests.test_eligibility import COURT, CONV, doj_line, run

R = Relief
D, RM, RI, RS, NE, HR, REF = (
    R.DISMISS_AND_SEAL,
    R.REDESIGNATE_MISDEMEANOR,
    R.REDESIGNATE_INFRACTION,
    R.RECALL_AND_RESENTENCE,
    R.NOT_ELIGIBLE,
    R.HAND_REVIEW,
    R.REFER,
)
AS_OF = date(2019, 11, 11)


def born(age: int, day: str) -> str:
    """A date of birth making the person `age` on `day` (YYYYMMDD), born on 1 January."""
    return f"{int(day[:4]) - age - 1}0101" if day[4:] < "0101" else f"{int(day[:4]) - age}0101"


def row(
    subject,
    day,
    descr,
    toc,
    conv,
    *,
    age=30,
    disp=CONV,
    sent="",
    order="101001001000",
    arrest="x",
    county="SACRAMENTO",
    ori="",
    dob=None,
):
    return doj_line(
        subject,
        dob if dob is not None else born(age, day),
        COURT,
        day,
        order,
        descr,
        toc,
        disp,
        conv,
        sent,
        cyc_date=arrest,
        county=county,
        ori=ori,
    )


F, M, I = "FELONY", "MISDEMEANOR", "INFRACTION"
S57B, S57C = "11357(B) HS-POSS MARIJ 28.5 GRAMS OR LESS", "11357(C) HS-POSS MARIJ OVER 28.5 GRAMS"
S59, S60A = "11359 HS-POSSESS MARIJUANA FOR SALE", "11360(A) HS-SELL/TRANSPORT/ETC MARIJUANA"

# (id, DOJ lines, policy, as of, expected relief of the last line's count, clause the decision cites)
DOJ_CASES = [
    # HS 11357, by era and age band
    (
        "11357 single section 1974, 30: lawful today",
        [row("a1", "19740601", "11357 HS-POSSESS MARIJUANA", "F", F)],
        "statute",
        AS_OF,
        D,
        "HS 11362.1(a)(1)-(2)",
    ),
    (
        "11357(a) concentrated 1990, 30: lawful today",
        [row("a2", "19900601", "11357(A) HS-POSS CONC CANNABIS", "F", F)],
        "statute",
        AS_OF,
        D,
        "HS 11362.1(a)(1)-(2)",
    ),
    (
        "11357(a) concentrated 1990, 19: an infraction",
        [row("a3", "19900601", "11357(A) HS-POSS CONC CANNABIS", "F", F, age=19)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(a)(2)",
    ),
    (
        "11357(a) concentrated 1990, 16: an infraction",
        [row("a4", "19900601", "11357(A) HS-POSS CONC CANNABIS", "F", F, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(a)(1)",
    ),
    ("11357(b) 1990, 30: lawful today", [row("a5", "19900601", S57B, "M", M)], "statute", AS_OF, D, "HS 11362.1"),
    (
        "11357(b) 1990, 19: an infraction",
        [row("a6", "19900601", S57B, "M", M, age=19)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(a)(2)",
    ),
    (
        "11357(b) 1990, 17: an infraction",
        [row("a7", "19900601", S57B, "M", M, age=17)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(a)(1)",
    ),
    (
        "11357(b) 2012 infraction, 19: already one",
        [row("a8", "20120601", S57B, "I", I, age=19)],
        "statute",
        AS_OF,
        NE,
        "HS 11361.8(e)",
    ),
    (
        "11357(b) 2012 infraction, 30: lawful today",
        [row("a9", "20120601", S57B, "I", I)],
        "statute",
        AS_OF,
        D,
        "HS 11362.1",
    ),
    (
        "11357(c) 1990, 30: the same offence today",
        [row("a10", "19900601", S57C, "M", M)],
        "statute",
        AS_OF,
        NE,
        "HS 11357(b)(2)",
    ),
    (
        "11357(c) 1990, 19: the same offence today",
        [row("a11", "19900601", S57C, "M", M, age=19)],
        "statute",
        AS_OF,
        NE,
        "HS 11357(b)(2)",
    ),
    (
        "11357(c) 1990, 16: an infraction",
        [row("a12", "19900601", S57C, "M", M, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(b)(1)",
    ),
    (
        "11357(d) school grounds 1990, 30: the same offence",
        [row("a13", "19900601", "11357(D) HS-POSS MARIJ SCHOOL", "M", M)],
        "statute",
        AS_OF,
        NE,
        "HS 11357(c)",
    ),
    (
        "11357(e) school grounds 1990, 16: an infraction",
        [row("a14", "19900601", "11357(E) HS-POSS MARIJ SCHOOL", "M", M, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11357(d)",
    ),
    (
        "11357(e) 1995, 25: the record contradicts itself",
        [row("a15", "19950601", "11357(E) HS-POSS MARIJ SCHOOL", "M", M, age=25)],
        "statute",
        AS_OF,
        HR,
        "HS 11357(e) (former)",
    ),
    (
        "11357 1970, before the recodification",
        [row("a16", "19700601", "11357 HS-POSSESS MARIJUANA", "F", F)],
        "statute",
        AS_OF,
        HR,
        "1972, ch. 1407",
    ),
    # HS 11358
    (
        "11358 1995, 30: lawful today (six plants presumed)",
        [row("b1", "19950601", "11358 HS-CULTIVATE MARIJUANA", "F", F)],
        "statute",
        AS_OF,
        D,
        "HS 11362.1(a)(3)",
    ),
    (
        "11358 1995, 19: an infraction",
        [row("b2", "19950601", "11358 HS-CULTIVATE MARIJUANA", "F", F, age=19)],
        "statute",
        AS_OF,
        RI,
        "HS 11358(b)",
    ),
    (
        "11358 1995, 16: an infraction",
        [row("b3", "19950601", "11358 HS-CULTIVATE MARIJUANA", "F", F, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11358(a)",
    ),
    # HS 11359
    ("11359 1995 felony, 30: a misdemeanor", [row("c1", "19950601", S59, "F", F)], "statute", AS_OF, RM, "HS 11359(b)"),
    (
        "11359 1995 felony, 19: a misdemeanor",
        [row("c2", "19950601", S59, "F", F, age=19)],
        "statute",
        AS_OF,
        RM,
        "HS 11359(b)",
    ),
    (
        "11359 1995 felony, 16: an infraction",
        [row("c3", "19950601", S59, "F", F, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11359(a)",
    ),
    (
        "11359 1995 misdemeanor: nothing to redesignate",
        [row("c4", "19950601", S59, "F", M)],
        "statute",
        AS_OF,
        NE,
        "HS 11361.8(e)",
    ),
    (
        "11359 level not on record: a person checks",
        [row("c5", "19950601", S59, "", "")],
        "statute",
        AS_OF,
        HR,
        "HS 11361.8(e)-(f)",
    ),
    (
        "attempted 11359 read as 11359",
        [row("c6", "19950601", "664/11359 HS-ATT POSS MARIJUANA FOR SALE", "F", F)],
        "statute",
        AS_OF,
        RM,
        "PC 664",
    ),
    (
        "PC 182 conspiracy to 11359: a person decides",
        [row("c7", "19950601", "182(A)(1) PC-CONSPIRACY 11359 HS", "F", F)],
        "statute",
        AS_OF,
        HR,
        "PC 182",
    ),
    # HS 11360
    (
        "11360(a) 1995 felony, 30: a misdemeanor",
        [row("d1", "19950601", S60A, "F", F)],
        "statute",
        AS_OF,
        RM,
        "HS 11360(a)(2)",
    ),
    (
        "11360(a) 1995 felony, 16: an infraction",
        [row("d2", "19950601", S60A, "F", F, age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11360(a)(1)",
    ),
    (
        "11360 bare 1974 felony, 30: a misdemeanor",
        [row("d3", "19740601", "11360 HS-TRANSPORT/SELL MARIJUANA", "F", F)],
        "statute",
        AS_OF,
        RM,
        "HS 11360(a)(2)",
    ),
    (
        "11360(b) 2012 infraction, 30: lawful today",
        [row("d4", "20120601", "11360(B) HS-GIVE/TRANSPORT 28.5 G", "I", I)],
        "statute",
        AS_OF,
        D,
        "HS 11362.1(a)(1)",
    ),
    (
        "11360(b) 1995 misdemeanor, 19: an infraction",
        [row("d5", "19950601", "11360(B) HS-GIVE/TRANSPORT 28.5 G", "M", M, age=19)],
        "statute",
        AS_OF,
        RI,
        "HS 11360(b)",
    ),
    # Juvenile petitions (HS 11361.8(m); WIC 602, 203)
    (
        "sustained petition, no DOB: under 18",
        [row("e1", "20050601", S57B, "M", M, disp="JUV-PETITION SUSTAINED", dob="")],
        "statute",
        AS_OF,
        RI,
        "WIC 602",
    ),
    (
        "sustained petition 11359, no DOB: an infraction",
        [row("e2", "20050601", S59, "F", F, disp="JUV-PETITION SUSTAINED", dob="")],
        "statute",
        AS_OF,
        RI,
        "WIC 602",
    ),
    (
        "sustained petition but born to be 25 then: contradicts itself",
        [row("e5", "20050601", S57B, "M", M, disp="JUV-PETITION SUSTAINED", age=25)],
        "statute",
        AS_OF,
        HR,
        "WIC 602",
    ),
    (
        "sustained petition at 16 by date of birth: an infraction",
        [row("e6", "20050601", S59, "F", F, disp="JUV-PETITION SUSTAINED", age=16)],
        "statute",
        AS_OF,
        RI,
        "HS 11359(a)",
    ),
    (
        "no DOB and no petition: 21 or over presumed",
        [row("e3", "19950601", "11358 HS-CULTIVATE MARIJUANA", "F", F, dob="")],
        "statute",
        AS_OF,
        D,
        "HS 11361.8(b), (f)",
    ),
    (
        "a juvenile adjudication is no prior",
        [
            row(
                "e4", "19850301", "288(A) PC-LEWD ACT WITH CHILD", "F", F, disp="JUV-PETITION SUSTAINED", dob="19700101"
            ),
            row("e4", "20150301", S59, "F", F, order="102001001000", dob="19700101"),
        ],
        "statute",
        AS_OF,
        RM,
        "HS 11359(b)",
    ),
    # Disqualifying priors (HS 11358(d), 11359(c), 11360(a)(3))
    (
        "a super strike prior (PC 187)",
        [row("f1", "19850301", "187(A) PC-MURDER", "F", F), row("f1", "19950301", S59, "F", F, order="102001001000")],
        "statute",
        AS_OF,
        HR,
        "667(e)(2)(C)(iv)",
    ),
    (
        "a PC 290(c) prior (PC 314(1))",
        [
            row("f2", "19850301", "314(1) PC-INDECENT EXPOSURE", "M", M),
            row("f2", "19950301", S60A, "F", F, order="102001001000"),
        ],
        "statute",
        AS_OF,
        HR,
        "PC 290(c)",
    ),
    (
        "a PC 236.1(b) prior",
        [
            row("f3", "20130301", "236.1(B) PC-HUMAN TRAFFICKING", "F", F),
            row("f3", "20150301", S59, "F", F, order="102001001000"),
        ],
        "statute",
        AS_OF,
        HR,
        "PC 290(c)",
    ),
    (
        "two earlier 11359 convictions",
        [
            row("f4", "19900301", S59, "F", F),
            row("f4", "19920301", S59, "F", F, order="102001001000"),
            row("f4", "19950301", S59, "F", F, order="103001001000"),
        ],
        "statute",
        AS_OF,
        HR,
        "HS 11359(c)(2)",
    ),
    (
        "two earlier 11360 convictions",
        [
            row("f5", "19900301", S60A, "F", F),
            row("f5", "19920301", S60A, "F", F, order="102001001000"),
            row("f5", "19950301", S60A, "F", F, order="103001001000"),
        ],
        "statute",
        AS_OF,
        HR,
        "HS 11360(a)(3)(B)",
    ),
    (
        "one earlier 11359: no bar",
        [row("f6", "19900301", S59, "F", F), row("f6", "19950301", S59, "F", F, order="102001001000")],
        "statute",
        AS_OF,
        RM,
        "HS 11359(b)",
    ),
    (
        "HS 11361 in the same case: sale to a minor",
        [
            row("f7", "19950301", "11361(B) HS-FURNISH MARIJUANA TO MINOR", "F", "", disp="DISMISSED"),
            row("f7", "19950301", S60A, "F", F, order="101001002000"),
        ],
        "statute",
        AS_OF,
        HR,
        "11360(a)(3)(C)",
    ),
    (
        "a priors bar never touches a lawful 11357(b)",
        [row("f8", "19850301", "187(A) PC-MURDER", "F", F), row("f8", "19950301", S57B, "M", M, order="102001001000")],
        "statute",
        AS_OF,
        D,
        "HS 11362.1",
    ),
    (
        "a registration: evidence, not proof",
        [
            doj_line(
                "f9",
                "19600101",
                "REGISTRATION",
                "19850301",
                "101001001000",
                "290 PC-REGISTRATION OF SEX OFFENDER",
                "",
                "",
            ),
            row("f9", "19950301", S59, "F", F, order="102001001000", dob="19600101"),
        ],
        "statute",
        AS_OF,
        HR,
        "PC 290(c)",
    ),
    # Serving a sentence on the evaluation date (HS 11361.8(a))
    (
        "probation running: recall and resentence",
        [row("g1", "20150301", S59, "F", F, sent="PROBATION 5 Y")],
        "statute",
        AS_OF,
        RS,
        "HS 11361.8(a)-(b)",
    ),
    (
        "probation completed: redesignate",
        [row("g2", "20100301", S59, "F", F, sent="PROBATION 3 Y")],
        "statute",
        AS_OF,
        RM,
        "HS 11361.8(e)-(f)",
    ),
    (
        "jail running",
        [row("g3", "20160301", S59, "F", F, sent="JAIL 1 Y")],
        "statute",
        date(2016, 12, 1),
        RS,
        "HS 11361.8(a)-(b)",
    ),
    (
        "prison running",
        [row("g4", "20150301", S59, "F", F, sent="PRISON 8 Y")],
        "statute",
        AS_OF,
        RS,
        "HS 11361.8(a)-(b)",
    ),
    (
        "parole after prison (W9)",
        [row("g5", "20150301", S60A, "F", F, sent="PRISON 3 Y")],
        "statute",
        date(2018, 6, 1),
        RS,
        "PC 3451",
    ),
    (
        "prison, parole and PRCS over",
        [row("g6", "20050301", S60A, "F", F, sent="PRISON 3 Y")],
        "statute",
        AS_OF,
        RM,
        "HS 11361.8(e)-(f)",
    ),
    (
        "no sentence length: presumed completed",
        [row("g7", "20150301", S59, "F", F)],
        "statute",
        AS_OF,
        RM,
        "HS 11361.8(e)-(f)",
    ),
    # Prop 64's effective date, both sides (HS 11361.8(a), (e): "had that act been in effect at the time of the offense")
    (
        "arrested 2016-11-08: before",
        [row("h1", "20170301", S59, "F", F, arrest="20161108")],
        "statute",
        AS_OF,
        RM,
        "HS 11359(b)",
    ),
    (
        "arrested 2016-11-09: the offence may be before",
        [row("h2", "20170301", S59, "F", F, arrest="20161109")],
        "statute",
        AS_OF,
        HR,
        "on or before the arrest",
    ),
    (
        "convicted after Prop 64, no earlier date",
        [row("h3", "20170301", S59, "F", F)],
        "statute",
        AS_OF,
        HR,
        "HS 11361.8(a), (e)",
    ),
    # County policies: each one's distinguishing clause
    (
        "LA pilot: a misdemeanor goes to the city attorneys",
        [row("p1", "19950301", S57B, "M", M, county="LOS ANGELES")],
        "la-pilot-2019",
        AS_OF,
        REF,
        "",
    ),
    (
        "LA pilot: 11357(b) dismissed",
        [row("p2", "19950301", S57B, "F", F, county="LOS ANGELES")],
        "la-pilot-2019",
        AS_OF,
        D,
        "",
    ),
    (
        "LA 2020: a Long Beach misdemeanor is in the motion",
        [row("p3", "19950301", "11360(B) HS-GIVE/TRANSPORT", "M", M, county="LOS ANGELES", ori="CAMC LONG BEACH")],
        "los-angeles-2020",
        date(2020, 2, 11),
        D,
        "",
    ),
    (
        "LA 2020: a Lancaster misdemeanor is not",
        [row("p4", "19950301", "11360(B) HS-GIVE/TRANSPORT", "M", M, county="LOS ANGELES", ori="CAMC LANCASTER")],
        "los-angeles-2020",
        date(2020, 2, 11),
        REF,
        "ten cities",
    ),
    (
        "LA 2020: 50 or older at the motion",
        [row("p5", "19950301", S59, "F", F, county="LOS ANGELES", dob="19650101")],
        "los-angeles-2020",
        date(2026, 12, 7),
        D,
        "beyond the law",
    ),
    ("Sacramento: after Prop 64 not eligible", [row("p6", "20170301", S59, "F", F)], "sacramento", AS_OF, NE, ""),
    (
        "San Joaquin: a related charge alone is flagged",
        [row("p7", "19950301", "647(F) PC-DRUNK", "M", M, county="SAN JOAQUIN")],
        "san-joaquin",
        AS_OF,
        HR,
        "",
    ),
    (
        "Contra Costa: BP 4060 beside a Prop 64 count is flagged",
        [
            row("p8", "19950301", S59, "F", F, county="CONTRA COSTA"),
            row("p8", "19950301", "4060 BP-POSS", "M", M, county="CONTRA COSTA", order="101001002000"),
        ],
        "contra-costa",
        AS_OF,
        HR,
        "BP 4060",
    ),
    (
        "San Francisco: a super strike on the record",
        [
            row("p9", "19850301", "187(A) PC-MURDER", "F", F, county="SAN FRANCISCO"),
            row("p9", "19950301", S59, "F", F, county="SAN FRANCISCO", order="102001001000"),
        ],
        "san-francisco",
        AS_OF,
        NE,
        "super strike",
    ),
    (
        "gogen configurable: a misdemeanor dismissed",
        [row("p10", "19950301", S59, "M", M)],
        "gogen-configurable-2019",
        AS_OF,
        D,
        "",
    ),
]


@pytest.mark.parametrize(
    "lines, policy, as_of, relief, clause", [c[1:] for c in DOJ_CASES], ids=[c[0] for c in DOJ_CASES]
)
def test_law_table_doj(tmp_path, lines, policy, as_of, relief, clause):
    results, _ = run(tmp_path, lines, policy, as_of)
    last = results[-1]
    tree = str(last.decision.to_dict())
    assert last.relief is relief, tree
    assert clause in tree, tree


def _count(n: int, charge: str, **changes) -> Count:
    base = dict(
        count_id=f"00000000000000bb-1-{n}",
        document="rap.pdf",
        doc_type=DocType.RAP_SHEET,
        page=1,
        person=Person(name="DOE,JANE", dob=date(1960, 1, 1), cii="A02"),
        cycle="1",
        event_type=EventType.COURT,
        count=n,
        charge=Charge.parse(charge),
        charge_text=charge,
        event_date=date(1995, 3, 1),
        severity=Severity.FELONY,
        disposition=DispositionKind.CONVICTED,
    )
    base.update(changes)
    return Count(**base)


# (id, count, expected relief, clause) for what only documents carry: updates and offence dates
CONTRACT_CASES = [
    (
        "set aside under 1203.4: still relieved",
        _count(1, "HS 11359", updates=(Update(date(2000, 1, 1), UpdateKind.SET_ASIDE_1203_4, "DISM PER 1203.4 PC"),)),
        RM,
        "PC 1203.4",
    ),
    (
        "relief already on the record",
        _count(
            2,
            "HS 11359",
            updates=(Update(date(2019, 1, 1), UpdateKind.REDESIGNATED, "REDESIGNATED MISD PER 11361.8 HS"),),
        ),
        NE,
        "already",
    ),
    (
        "a wobbler reduced under 17(b)",
        _count(
            3, "HS 11359", updates=(Update(date(1996, 1, 1), UpdateKind.REDUCED_17B, "CONV RED TO MISD PER 17(B) PC"),)
        ),
        NE,
        "PC 17(b)",
    ),
    (
        "offence 2016-11-08: before",
        _count(4, "HS 11359", event_date=date(2017, 3, 1), offense_date=date(2016, 11, 8)),
        RM,
        "HS 11359(b)",
    ),
    (
        "offence 2016-11-09: after",
        _count(5, "HS 11359", event_date=date(2017, 3, 1), offense_date=date(2016, 11, 9)),
        NE,
        "after Prop 64",
    ),
]


@pytest.mark.parametrize("count, relief, clause", [c[1:] for c in CONTRACT_CASES], ids=[c[0] for c in CONTRACT_CASES])
def test_law_table_documents(tmp_path, count, relief, clause):
    path = tmp_path / "counts.jsonl"
    write_counts(path, [count])
    (result,) = list(check([path], load_policy("statute"), AS_OF))
    tree = str(result.decision.to_dict())
    assert result.relief is relief, tree
    assert clause in tree, tree


def test_the_table_is_large_enough():
    assert len(DOJ_CASES) + len(CONTRACT_CASES) >= 60
