"""RAP-sheet rule layer: one test per record pattern (the literal line), golden synthetic
documents regenerated from their seed, and the hand-checked gold for the public CFA fixtures."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from docmine.contract import count_from_dict, count_to_dict
from docmine.extract.rap import parse_rap
from docmine.extract.dispositions import rap_disposition as disposition_kind
from docmine.extract.rap_values import county_of, sentence_terms, update_kind
from docmine.doctext import DocText
from docmine.records import DispositionKind, EventType, SentenceTerm, Severity, TermKind, TimeUnit, UpdateKind

HERE = Path(__file__).parent
CFA = HERE.parent.parent / "shared" / "external" / "cfa" / "rap-sheet-assistant"
SHA = "ab" * 32

HEADER = """RE: QHY.CA0190043.99000015.ORGANA-        DATE:20060508 TIME:06:32:53
III CALIFORNIA ONLY SOURCE RECORD

CII/A99000015
DOB/19570119 SEX/M RAC/WHITE
NAM/01 SKYWALKER,LUKE JAY
    02 SKYWALKER,LUKE
"""


def rap(*body: str, pages: list[str] | None = None) -> list:
    text = HEADER + "\n".join(body) + "\n"
    return parse_rap(DocText.from_texts("t", SHA, pages or [text]))


def court(*count_lines: str) -> list:
    return rap("* * * *", "COURT:                NAM:01", "19840918  CASC LOS ANGELES", "", *count_lines)


# --- header --------------------------------------------------------------------------------


def test_subject_block_gives_the_person():
    (c,) = court("CNT:01     #1234567", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED")
    assert c.person.name == "SKYWALKER,LUKE JAY"
    assert c.person.aliases == ("SKYWALKER,LUKE",)
    assert (c.person.cii, c.person.dob, c.person.sex, c.person.race) == ("A99000015", date(1957, 1, 19), "M", "WHITE")
    assert c.provenance["person.name"].text == "SKYWALKER,LUKE JAY"


def test_second_dob_line_adds_dates_of_birth():
    counts = parse_rap(
        DocText.from_texts(
            "t",
            SHA,
            [
                HEADER + "DOB/19600915 19541016\n* * * *\nCOURT:\n"
                "19840918  CASC LOS ANGELES\n\nCNT:01 #1\n  496 PC-RECEIVE\n"
            ],
        )
    )
    assert counts[0].person.dobs == (date(1957, 1, 19), date(1960, 9, 15), date(1954, 10, 16))


# --- counts and charges ----------------------------------------------------------------------


def test_count_line_with_case_number():
    (c,) = court("CNT:01     #TA932772", "  11530 HS-POSSESSION OF MARIJUANA", "*DISPO:CONVICTED")
    assert (c.count, c.case_number, c.charge.canonical, c.charge_text) == (1, "TA932772", "HS 11530", "11530 HS")
    assert c.count_id == SHA[:16] + "-1-1"


def test_case_number_loses_the_speck_a_scan_leaves_after_it():
    (c,) = court("CNT:01        #7875032.", "  11530 HS-POSS MARIJUANA", "*DISPO:CONVICTED")
    assert c.case_number == "7875032" and c.provenance["case_number"].text == "7875032"


def test_count_range_gives_one_count_per_number():
    counts = court("CNT:001-004  #BA123456", "  11359 HS-POSSESS MARIJUANA FOR SALE", "*DISPO:CONVICTED")
    assert [c.count for c in counts] == [1, 2, 3, 4]
    assert [c.count_id[-3:] for c in counts] == ["1-1", "1-2", "1-3", "1-4"]
    assert {c.disposition for c in counts} == {DispositionKind.CONVICTED}


def test_case_number_carries_to_later_counts_of_the_event():
    counts = court(
        "CNT:01     #TA932772",
        "  11357 HS-POSSESS MARIJUANA",
        " DISPO:DISMISSED",
        "",
        "CNT:02",
        "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
        "*DISPO:CONVICTED",
    )
    assert [c.case_number for c in counts] == ["TA932772", "TA932772"]


def test_attempt_charge_line():
    (c,) = court("CNT:01     #1", "  664/11359 HS-POSSESS MARIJUANA FOR SALE", "*DISPO:CONVICTED")
    assert c.charge.canonical == "HS 11359" and c.attempted and c.charge_text == "664/11359 HS"


def test_glued_subsection_is_read_from_the_page_characters():
    (c,) = court("CNT:01     #1", "  11357B HS-POSS MARIJ 1 OZ OR LESS", "*DISPO:CONVICTED")
    assert c.charge.canonical == "HS 11357(b)" and c.charge_text == "11357B HS"


def test_see_comment_for_charge():
    (c,) = court("CNT:01     #1", "  SEE COMMENT FOR CHARGE", "   COM: CHRG 11359 HS", "*DISPO:CONVICTED")
    assert c.charge.canonical == "HS 11359" and c.charge_text == "11359 HS"


def test_description_line_with_charge_in_comment():
    (c,) = court("CNT:01     #1", "  BUY/SELL ARTICLES W/IDENT REMOVED", "   COM: CHRG-537E(A) PC", " DISPO:DISMISSED")
    assert c.charge.canonical == "PC 537e(a)"


@pytest.mark.parametrize(
    "line",
    [
        "  11357.5(A) HS-SELL/ETC SYNTHETIC CANNABINOID",
        "  11350 HS-POSS NARC",
        "  11364 HS-POSS DRUG PARAPHERNALIA",
        "  11362.3(A)(1) HS-SMOKE MARIJUANA",
    ],
)
def test_look_alike_sections_stay_themselves(line):
    (c,) = court("CNT:01     #1", line, "*DISPO:CONVICTED")
    assert c.charge.section not in ("11357", "11358", "11359", "11360")


def test_unreadable_charge_is_kept_as_text():
    (c,) = court("CNT:01     #T2425", "  18 2113(A) US-BANK/ETC ROBBERY")
    assert c.charge is None and c.charge_text == "18 2113(A) US-BANK/ETC ROBBERY"


# --- dispositions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("CONVICTED", DispositionKind.CONVICTED),
        ("DISMISSED", DispositionKind.DISMISSED),
        ("DISMISSED/PLEA BARGAIN", DispositionKind.DISMISSED),
        ("DISMISSED/FURTHERANCE OF JUSTICE", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
        ("DISMISSSED/FURTHERANCE OF JUSTICE", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
        ("DISMISSED/FURTHERENCE OF JUSTICE", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
        ("1385 PC-DISMISSED/FURTHERANCE OF JUSTICE", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
        ("DISMISSED IN FURTHERANCE OF JUSTICE", DispositionKind.DISMISSED_FURTHERANCE_OF_JUSTICE),
        ("ACQUITTED/NOT GUILTY BY JURY", DispositionKind.ACQUITTED),
        ("NOT GUILTY", DispositionKind.ACQUITTED),
        ("PROS REJ-LACK OF SUFFICIENT EVIDENCE", DispositionKind.PROSECUTION_REJECTED),
        ("PROS REJECTED-INSUFFICIENT EVID", DispositionKind.PROSECUTION_REJECTED),
        ("PROSECUTION REJECTED", DispositionKind.PROSECUTION_REJECTED),
        ("DIVERTED PER 1000 PC", DispositionKind.DIVERSION),
        ("DEFERRED ENTRY OF JUDGMENT", DispositionKind.DIVERSION),
        ("RELEASED/DETENTION ONLY", DispositionKind.DETENTION_ONLY),
        ("RELEASED-849(B)(1) PC/DET ONLY", DispositionKind.DETENTION_ONLY),
        ("RELEASED/INSUFFICIENT GROUNDS/DET ONLY", DispositionKind.DETENTION_ONLY),
        ("JUV PETITION SUSTAINED", DispositionKind.SUSTAINED),
        ("SUSTAINED/602 WI", DispositionKind.SUSTAINED),
        ("PAROLED", DispositionKind.UNRECOGNIZED),
        ("RELEASED ON PAROLE", DispositionKind.UNRECOGNIZED),
        ("PROC SUSP/COMM MENTALLY INCOMP 1370 PC", DispositionKind.UNRECOGNIZED),
        ("CONVICTEO", DispositionKind.CONVICTED),  # one OCR error
    ],
)
def test_disposition_spellings(text, kind):
    assert disposition_kind(text) == kind
    (c,) = court("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", f"*DISPO:{text}")
    assert c.disposition == kind and c.disposition_text == text


def test_disposition_date_defaults_to_event_date_and_reads_its_own_line():
    same, later = court(
        "CNT:01     #1",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:CONVICTED",
        "",
        "CNT:02",
        "  496 PC-RECEIVE",
        "19841020",
        " DISPO:DISMISSED",
    )
    assert same.disposition_date == date(1984, 9, 18) and later.disposition_date == date(1984, 10, 20)


def test_disposition_date_line_with_a_stamp_beside_it():
    """OCR of a court count whose date line a rubber stamp overprinted on the right."""
    (c,) = court(
        "CNT:01      #84F82550                            NTERED",
        "  11359 HS -POSSESS MARIJUANA/HASH FOR SALE    E            V3",
        "19841215                                         MARO720",
        "*DISPO:CONVICTED",
    )
    assert c.disposition_date == date(1984, 12, 15)
    assert c.provenance["disposition_date"].text == "19841215"


def test_conv_status_gives_severity():
    (c,) = court("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED", "    CONV STATUS:MISDEMEANOR")
    assert c.severity == Severity.MISDEMEANOR and c.provenance["severity"].text == "MISDEMEANOR"


def test_severity_is_unknown_unless_printed():
    (c,) = court("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED")
    assert c.severity == Severity.UNKNOWN


def test_arrest_counts_are_kept_pending_and_carry_their_date_to_the_court():
    arrest, court_count = rap(
        "* * * *",
        "ARR/DET/CITE:         NAM:01  DOB:19570119",
        "19840725  CASO LOS ANGELES",
        "",
        "CNT:01     #1111111",
        "  11357 HS-POSSESS MARIJUANA",
        "- - - -",
        "COURT:                NAM:01",
        "19840918  CASC LOS ANGELES",
        "",
        "CNT:01     #1234567",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:CONVICTED",
    )
    assert arrest.event_type == EventType.ARREST and arrest.disposition == DispositionKind.PENDING
    assert arrest.disposition_date is None and court_count.arrest_date == date(1984, 7, 25)
    assert (arrest.cycle, court_count.cycle) == ("1", "1") and court_count.count_id.endswith("-2-1")


def test_cycles_are_numbered_by_separator_not_by_strike_banners():
    counts = rap(
        "* * * *",
        "COURT:",
        "19840918  CASC LOS ANGELES",
        "",
        "CNT:01 #1",
        "  211 PC-ROBBERY",
        "*DISPO:CONVICTED",
        "* * * * * * * * * * *",
        "** POTENTIAL FELONY STRIKE ENTRY **",
        "* * * * * * * * * * *",
        "* * * *",
        "COURT:",
        "19900918  CASC FRESNO",
        "",
        "CNT:01 #2",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:DISMISSED",
    )
    assert [c.cycle for c in counts] == ["1", "2"] and counts[1].county == "FRESNO"


def test_custody_release_is_unrecognized_with_its_date():
    (c,) = rap(
        "* * * *",
        "CUSTODY:CDC           NAM:01",
        "19901215  CASD CORRECTIONS",
        "",
        "CNT:01     #X99999",
        "  187(A) PC-MURDER",
        "   SEN FROM: LOS ANGELES CO CRT #XR09005",
        "   SEN: 20 YEARS PRISON",
        "",
        "20031220",
        " DISPO:PAROLED",
    )
    assert c.event_type == EventType.CUSTODY and c.disposition == DispositionKind.UNRECOGNIZED
    assert c.disposition_text == "PAROLED" and c.disposition_date == date(2003, 12, 20)
    assert c.sentence.text == "20 YEARS PRISON" and c.sentence.date == date(1990, 12, 15)


# --- sentences -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,term",
    [
        ("36 MONTHS PROBATION", SentenceTerm(TermKind.PROBATION, 36.0, TimeUnit.MONTHS)),
        ("003 YEARS PROBATION", SentenceTerm(TermKind.PROBATION, 3.0, TimeUnit.YEARS)),
        ("90 DAYS JAIL", SentenceTerm(TermKind.JAIL, 90.0, TimeUnit.DAYS)),
        ("030 DAYS JAIL SS", SentenceTerm(TermKind.JAIL, 30.0, TimeUnit.DAYS, None, "suspended")),
        ("2 YEARS JAIL", SentenceTerm(TermKind.JAIL, 2.0, TimeUnit.YEARS)),
        ("16 MONTHS PRISON", SentenceTerm(TermKind.PRISON, 16.0, TimeUnit.MONTHS)),
        ("25 YEARS TO LIFE PRISON", SentenceTerm(TermKind.PRISON, 25.0, TimeUnit.YEARS, None, "to life")),
        ("FINE", SentenceTerm(TermKind.FINE)),
        ("FINE SS", SentenceTerm(TermKind.FINE, None, None, None, "suspended")),
        ("RESTN", SentenceTerm(TermKind.RESTITUTION)),
        ("COMM SERV", SentenceTerm(TermKind.COMMUNITY_SERVICE)),
        ("IMP SEN SS", SentenceTerm(TermKind.SUSPENDED, None, None, None, "imposition")),
        ("CRED TIME SERVED 9 DAYS", SentenceTerm(TermKind.CREDIT, 9.0, TimeUnit.DAYS)),
        ("OTHER", SentenceTerm(TermKind.OTHER)),
        ("WORK FURLOUGH", SentenceTerm(TermKind.OTHER, detail="WORK FURLOUGH")),
    ],
)
def test_sentence_term_spellings(text, term):
    assert sentence_terms(text) == (term,)


def test_sentence_over_two_lines():
    (c,) = court(
        "CNT:01     #1",
        "  496 PC-RECEIVE",
        "*DISPO:CONVICTED",
        "   SEN: 3 YEARS PROBATION, 30 DAYS JAIL,",
        "        FINE, RESTN",
    )
    assert c.sentence.text == "3 YEARS PROBATION, 30 DAYS JAIL, FINE, RESTN"
    assert [t.kind for t in c.sentence.terms] == [
        TermKind.PROBATION,
        TermKind.JAIL,
        TermKind.FINE,
        TermKind.RESTITUTION,
    ]
    assert c.sentence.date == date(1984, 9, 18)


# --- later updates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("CONV SET ASIDE & DISM PER 1203.4 PC", UpdateKind.SET_ASIDE_1203_4),
        ("1203.4 PC-CONV SET ASIDE & DISMISSED", UpdateKind.SET_ASIDE_1203_4),
        ("DISMISSED PER 1203.4 PC", UpdateKind.SET_ASIDE_1203_4),
        ("CONV RED TO MISD PER 17(B) PC", UpdateKind.REDUCED_17B),
        ("FEL CONV REDUCED TO MISD PER 17(B)(3) PC", UpdateKind.REDUCED_17B),
        ("SEN MODIFIED", UpdateKind.SENTENCE_MODIFIED),
        ("PROB REVOKED", UpdateKind.PROBATION_REVOKED),
        ("PROBATION TERMINATED/EXPIRED", UpdateKind.PROBATION_TERMINATED),
        ("DEFENDANT RESENTENCED", UpdateKind.RESENTENCED),
        ("CONV REDESIGNATED AS INFRACTION PER 11361.8 HS", UpdateKind.REDESIGNATED),
        ("FEL REDESIGNATED MISD PER 1170.18 PC", UpdateKind.REDESIGNATED),
        ("CONVICTION DISMISSED PER 11361.8 HS", UpdateKind.DISMISSED),
        ("RECORD SEALED PER 11361.8 HS", UpdateKind.SEALED),
        ("SEALED PER 781 WI", UpdateKind.SEALED),
        ("DEFENDANT WAIVED COUNSEL", UpdateKind.UNRECOGNIZED),
    ],
)
def test_update_spellings(text, kind):
    assert update_kind(text) == kind
    (c,) = court("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED", "20180102", f"  DISPO:{text}")
    assert [(u.date, u.kind, u.text) for u in c.updates] == [(date(2018, 1, 2), kind, text)]
    assert c.disposition == DispositionKind.CONVICTED and c.disposition_date == date(1984, 9, 18)


def test_update_without_dispo_word_takes_its_new_sentence():
    (c,) = court(
        "CNT:01     #1",
        "  11530 HS-POSSESSION OF MARIJUANA",
        "*DISPO: CONVICTED",
        "    SEN: 12 MONTHS PROBATION, FINE",
        "19660119",
        "  SEN MODIFIED",
        "    SEN: 36 MONTHS PROBATION, 90 DAYS JAIL",
    )
    assert c.sentence.text == "12 MONTHS PROBATION, FINE"
    assert [(u.kind, u.text) for u in c.updates] == [
        (UpdateKind.SENTENCE_MODIFIED, "SEN MODIFIED SEN: 36 MONTHS PROBATION, 90 DAYS JAIL")
    ]


def test_updates_stay_with_their_own_count():
    first, second = court(
        "CNT:01     #1",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:CONVICTED",
        "20171104",
        " DISPO:DISMISSED PER 11361.8 HS",
        "",
        "CNT:02",
        "  496 PC-RECEIVE",
        " DISPO:DISMISSED",
    )
    assert len(first.updates) == 1 and second.updates == () and second.disposition == DispositionKind.DISMISSED


# --- pages -------------------------------------------------------------------------------------------


def test_page_break_inside_a_count_is_skipped():
    page1 = (
        HEADER + "* * * *\nCOURT:\n19840918  CASC LOS ANGELES\n\nCNT:01     #1\n  11357 HS-POSSESS MARIJUANA\n\n"
        "                              PAGE 1 OF 2\n"
    )
    page2 = (
        "RE: QHY.CA0190043.99000015.ORGANA-        DATE:20060508 TIME:06:32:53\nCII/A99000015\n\n"
        "*DISPO:CONVICTED\n    CONV STATUS:MISDEMEANOR\n\n                              PAGE 2 OF 2\n"
    )
    (c,) = parse_rap(DocText.from_texts("t", SHA, [page1, page2]))
    assert c.page == 1 and c.disposition == DispositionKind.CONVICTED and c.severity == Severity.MISDEMEANOR
    assert c.provenance["disposition"].page == 2


def test_page_header_with_label_inside_a_sentence_is_skipped():
    page1 = (
        HEADER + "* * * *\nCOURT:\n19840918  CASC LOS ANGELES\n\nCNT:01     #1\n  11357 HS-POSSESS MARIJUANA\n"
        "*DISPO:CONVICTED\n"
    )
    page2 = "CII/A99000015  SKYWALKER,LUKE JAY                 PAGE 2 OF 2\n\n    SEN: 30 DAYS JAIL\n"
    (c,) = parse_rap(DocText.from_texts("t", SHA, [page1, page2]))
    assert c.sentence.text == "30 DAYS JAIL"


# --- counties and OCR -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "agency,county,printed",
    [
        ("CASC ORANGE", "ORANGE", True),
        ("CAPD ANAHEIM", "ORANGE", False),
        ("CAMC HARBOR", "ORANGE", False),
        ("CASC SAN FRANCISCO CO", "SAN FRANCISCO", True),
        ("CAMC LOS ANGELES METRO", "LOS ANGELES", True),
        ("CAHP STOCKTON", "SAN JOAQUIN", False),
        ("CASD CORRECTIONS", None, False),
    ],
)
def test_county_of_agency(agency, county, printed):
    found, start, _ = county_of(agency)
    assert found == county and (start >= 0) == printed


def test_scan_noise_in_record_words_is_tolerated():
    (c,) = rap(
        "* * * *",
        "_APR/DET/CITE!            NAM:01",
        "19840725  CASO LOS ANGELES",
        "",
        "Cur:01     #1111111",
        "  11357 {D) HS-POSSESS MARIJUANA ON SCHOOL GROUNDS",
        "19840801",
        " DISFO:PROS REJ-LACK OF SUFFICIENT EVIDENCE",
    )
    assert c.event_type == EventType.ARREST and c.count == 1 and c.charge.canonical == "HS 11357(d)"
    assert c.disposition == DispositionKind.PROSECUTION_REJECTED and c.disposition_date == date(1984, 8, 1)


def test_lost_count_line_is_recovered_and_flagged():
    first, second = court(
        "CNT:01     #1",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:CONVICTED",
        "",
        "  496 PC-RECEIVE/ETC KNOWN STOLEN PROPERTY",
        " DISPO:DISMISSED",
    )
    assert second.count == 2 and second.disposition == DispositionKind.DISMISSED and first.updates == ()
    assert second.confidence < first.confidence


def test_garbage_never_crashes():
    assert parse_rap(DocText.from_texts("t", SHA, ["", "\f\f", "CNT:\n*DISPO:\nSEN:\n* * * *\nCOURT:\n"])) == []


def test_model_entities_fill_an_unreadable_charge():
    from docmine.doctext import Entity

    text = (
        HEADER + "* * * *\nCOURT:\n19840918  CASC LOS ANGELES\n\nCNT:01     #1\n  ###### 11359 HS ######\n"
        "*DISPO:CONVICTED\n"
    )
    doc = DocText.from_texts("t", SHA, [text])
    at = doc.text.index("11359 HS")
    (without,) = parse_rap(doc)
    (with_model,) = parse_rap(doc, [Entity(at, at + 8, "CHARGE", 0.9)])
    assert without.charge is None and with_model.charge.canonical == "HS 11359"


# --- whole documents -----------------------------------------------------------------------------------

COMPARED = (
    "cycle",
    "event_type",
    "count",
    "charge",
    "charge_text",
    "attempted",
    "event_date",
    "arrest_date",
    "court",
    "county",
    "case_number",
    "severity",
    "disposition",
    "disposition_text",
    "disposition_date",
    "updates",
    "sentence",
    "page",
    "person",
)


@pytest.mark.parametrize("golden", sorted((HERE / "golden" / "rap").glob("seed-*.counts.jsonl")), ids=lambda p: p.stem)
def test_synthetic_rap_sheet_matches_its_truth(golden):
    from docmine.synth.corpus import text_document

    seed = int(golden.name.split("-")[1].split(".")[0])
    truth = [json.loads(line) for line in golden.read_text("utf-8").splitlines()]
    drawn = text_document("rap_sheet", "rap", seed)
    sha = truth[0]["count_id"].split("-")[0] + "0" * 48
    got = {count_to_dict(c)["count_id"]: count_to_dict(c) for c in parse_rap(DocText.from_texts("g", sha, drawn.texts))}
    assert sorted(got) == sorted(t["count_id"] for t in truth)
    for t in truth:
        p = got[t["count_id"]]
        assert {f: p[f] for f in COMPARED} == {f: t[f] for f in COMPARED}
        assert {k: (v["page"], v["start"], v["end"]) for k, v in p["provenance"].items()} == {
            k: (v["page"], v["start"], v["end"]) for k, v in t["provenance"].items()
        }


CFA_NAMES = [
    "skywalker_ineligible",
    "skywalker_pc1203_eligible",
    "skywalker_pc1203_eligible_mc_025_eligible",
    "skywalker_prop64_two_cases_both_convicted",
    "skywalker_rap_sheet_page_1",
    "skywalker_rap_sheet_page_2",
    "skywalker_rap_sheet_shorter",
]


@pytest.mark.skipif(not CFA.is_dir(), reason="public CFA fixtures not checked out beside the repository")
@pytest.mark.parametrize("name", CFA_NAMES)
def test_cfa_fixture_matches_hand_gold(name):
    raw = (CFA / f"{name}.txt").read_bytes()
    doc = DocText.from_texts(name, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8").split("\f"))
    gold = [
        count_from_dict(json.loads(line))
        for line in (HERE / "gold" / "cfa" / f"{name}.counts.jsonl").read_text("utf-8").splitlines()
    ]
    got = parse_rap(doc)
    assert [c.count_id for c in got] == [g.count_id for g in gold]
    for p, g in zip(got, gold):
        assert {f: getattr(p, f) for f in COMPARED} == {f: getattr(g, f) for f in COMPARED}


# --- model fallbacks on OCR damage (the entity given explicitly; the last test runs the shipped model) ---


def _entity(doc: DocText, text: str, label: str, score: float = 0.9):
    from docmine.doctext import Entity

    at = doc.text.index(text)
    return Entity(at, at + len(text), label, score)


def _court_doc(*count_lines: str) -> DocText:
    text = (
        HEADER
        + "\n".join(("* * * *", "COURT:                NAM:01", "19840918  CASC LOS ANGELES", "", *count_lines))
        + "\n"
    )
    return DocText.from_texts("t", SHA, [text])


def test_model_charge_recovers_a_count_whose_cnt_line_was_destroyed():
    doc = _court_doc("ewr:oi        #7875032", "  11530 H$-POSS MARIJUANA", "CNT:02", "  488 PC-PETTY THEFT")
    # The rules cannot see `ewr:oi` / `H$` as a count: only the petty theft is read.
    assert [c.charge.canonical for c in parse_rap(doc)] == ["PC 488"]
    first, second = parse_rap(doc, [_entity(doc, "11530 H$", "CHARGE", 0.8)])
    assert (first.count, first.charge.canonical, second.count) == (1, "HS 11530", 2)
    assert first.provenance["charge"].confidence == pytest.approx(0.8) and first.confidence < second.confidence


def test_model_charge_never_comes_from_a_slot_line():
    doc = _court_doc("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED", "  SEN: 11360 HS DAYS")
    (c,) = parse_rap(doc, [_entity(doc, "11360 HS", "CHARGE")])
    assert c.charge.canonical == "HS 11357" and c.count == 1


def test_model_severity_fills_a_conv_status_line_the_scan_cut():
    doc = _court_doc("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED", "       STATUS:MISDEMEANOR")
    (without,) = parse_rap(doc)
    (c,) = parse_rap(doc, [_entity(doc, "MISDEMEANOR", "SEVERITY", 0.95)])
    assert without.severity == Severity.UNKNOWN and c.severity == Severity.MISDEMEANOR
    assert c.provenance["severity"].confidence == pytest.approx(0.95)


def test_model_severity_needs_a_disposition_in_the_block():
    doc = _court_doc("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA FELONY")
    (c,) = parse_rap(doc, [_entity(doc, "FELONY", "SEVERITY")])
    assert c.severity == Severity.UNKNOWN


def test_model_sentence_fills_a_sen_line_the_scan_cut():
    doc = _court_doc(
        "CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:CONVICTED", "     : 3 YEARS PROBATION, 365 DAYS JAIL"
    )
    (without,) = parse_rap(doc)
    (c,) = parse_rap(doc, [_entity(doc, "3 YEARS PROBATION, 365 DAYS JAIL", "SENTENCE", 0.85)])
    assert without.sentence is None
    assert [t.kind for t in c.sentence.terms] == [TermKind.PROBATION, TermKind.JAIL]
    assert c.sentence.date == date(1984, 9, 18) and c.provenance["sentence"].confidence == pytest.approx(0.85)


def test_model_disposition_never_comes_from_the_next_block():
    doc = _court_doc(
        "CNT:01     #1",
        "  11357 HS-POSSESS MARIJUANA",
        "*DISPO:XXXXXXX",
        "CNT:02",
        "  11359 HS-POSSESS MARIJUANA FOR SALE",
        "*DISPO:DISMISSED",
    )
    first, second = parse_rap(doc, [_entity(doc, "DISMISSED", "DISPOSITION")])
    assert first.disposition == DispositionKind.UNRECOGNIZED and second.disposition == DispositionKind.DISMISSED


def test_model_unreadable_disposition_stays_unrecognized():
    doc = _court_doc("CNT:01     #1", "  11357 HS-POSSESS MARIJUANA", "*DISPO:XXXXXXX")
    (c,) = parse_rap(doc, [_entity(doc, "XXXXXXX", "DISPOSITION")])
    assert c.disposition == DispositionKind.UNRECOGNIZED and "disposition" in c.provenance


def test_quote_speck_before_an_event_date():
    (c,) = rap(
        "* * * *",
        "ARR/DET/CITE:       NAM:01",
        "\u201c19610101 CAPD PALO ALTO",
        "",
        "CNT:01      #4233109",
        "  11531 HS-SELL/FURNISH/ETC MARIJUANA",
    )
    assert c.event_type == EventType.ARREST and c.event_date == date(1961, 1, 1)


def test_cent_sign_for_a_glued_subsection_letter():
    (c,) = court("CNT:01     #1", "  11357\u00a2 HS-POSS MARIJ OVER 1 OZ")
    assert c.charge.canonical == "HS 11357(c)"


def test_shipped_model_recovers_a_damaged_count():
    from docmine.nlp import entities
    from docmine.nlp.model import shipped_model

    text = (
        HEADER
        + "\n".join(
            (
                "* * * *",
                "ARR/DET/CITE:       NAM:01",
                "19640302 CAPD PALO ALTO",
                "",
                "CNT:01        #7875031",
                "  11530 HS-POSS MARIJUANA",
                "",
                "* * * *",
                "COURT:              NAM:01",
                "19640806  CASC SANTA CLARA",
                "",
                "ewr:oi        #7875032",
                "  11530 H$-POSS MARIJUANA",
                "*DISPO:CONVICTED",
                "   CONV STATUS:FELONY",
                "CNT:02",
                "  488 PC-PETTY THEFT",
                "*DISPO:DISMISSED",
            )
        )
        + "\n"
    )
    doc = DocText.from_texts("t", SHA, [text])
    got = parse_rap(doc, entities(shipped_model(), doc))
    assert [(c.event_type, c.count, c.charge.canonical if c.charge else None, c.disposition) for c in got] == [
        (EventType.ARREST, 1, "HS 11530", DispositionKind.PENDING),
        (EventType.COURT, 1, "HS 11530", DispositionKind.CONVICTED),
        (EventType.COURT, 2, "PC 488", DispositionKind.DISMISSED),
    ]
    assert got[1].provenance["charge"].confidence < 1.0
