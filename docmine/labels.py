"""The entity labels docmine's NER and its synthetic ground truth use, defined once.

A span is `{"start", "end", "label", "text"}` with character offsets into one page's text
(`text == page_text[start:end]`). Spans never overlap. Offsets are exact characters, not
tokens: the default spaCy English tokenizer keeps `DOB/19650314`, `CNT:01` and `#BA123456`
as one token each, so a trainer must split on `/ : # * -` (custom infixes) or align spans
with `Doc.char_span(..., alignment_mode="expand")`.

What each label marks:

PERSON_NAME       The record subject's name or an alias, as printed (`MARTINEZ,JOSE LUIS`,
                  RAP `NAM/01` lines, a docket's defendant, `AKA:` names, the parties of an
                  unrelated civil/family matter). Judges, attorneys, clerks and officers are
                  never labelled.
DOB               A date of birth (`19650314` after `DOB/` or `DOB:`, `03/14/1965`).
CII               A California Identification Index number (`A12345678` after `CII/`).
CASE_NUMBER       A court case, booking, citation or inmate number (`BA123456`, `98M04321`,
                  the value after `#` on a RAP sheet `CNT:` line, without the `#`).
COURT             The court as written (`CASC LOS ANGELES`, `CAMC SAN JOSE`,
                  `SUPERIOR COURT OF CALIFORNIA, COUNTY OF FRESNO`).
AGENCY            A non-court agency that records an event: arresting, booking, custody,
                  probation or registering agency (`CAPD SAN FRANCISCO`, `CASO LOS ANGELES`,
                  `CASD CORRECTIONS`, `CAPR FRESNO`).
EVENT_DATE        The date that opens a RAP sheet event (the line under `ARR/DET/CITE:`,
                  `COURT:`, ...) or a docket case's filing date.
ARREST_DATE       An arrest date stated on a docket (`ARREST DATE: 03/10/1994`).
OFFENSE_DATE      A violation / offense date on a docket count.
COUNT_NO          A count number as printed (`01` in `CNT:01`, `001-004` for a range,
                  `1` in a docket's count column or in `AS TO COUNT 1`).
CHARGE            A code section as printed, with its code and any attempt marker
                  (`11357(B) HS`, `664/11359 HS`, `H&S 11359`, `HS11357(b)`, `PC 1385`
                  is NOT a charge: it is part of a disposition).
CHARGE_DESC       The charge's description (`POSSESS MARIJUANA`, `POSS MARIJ FOR SALE`).
SEVERITY          The level of a count or conviction (`MISDEMEANOR` after `CONV STATUS:`,
                  a docket's `F`/`M`/`I`, `FELONY` in prose).
DISPOSITION       What became of a count (`CONVICTED`, `DISMISSED/FURTHERANCE OF JUSTICE`,
                  `PROS REJ-LACK OF SUFFICIENT EVIDENCE`, `DISMISSED PURSUANT TO PC 1385`).
DISPOSITION_DATE  A date that dates a disposition when it is written apart from the event
                  date (RAP date line above a `DISPO:`, a docket's disposition date).
SENTENCE          A sentence's text (after `SEN:` on RAP sheets; the sentence clause of a
                  docket), possibly over several lines.
SENTENCE_DATE     The date a sentence was pronounced, where it is written apart.
UPDATE            A later change to a count (`CONV SET ASIDE & DISM PER 1203.4 PC`,
                  `PROBATION REVOKED`, `DISMISSED PER 11361.8 HS`), with any new `SEN:` line
                  that belongs to it.
UPDATE_DATE       The date of such an update (the date line above it on a RAP sheet).

Dates with no role for a count (report dates, letter dates, hearing dates of unrelated
matters) are not labelled. In `other` papers only PERSON_NAME, DOB, CII, CASE_NUMBER,
COURT and CHARGE are labelled: they hold no counts.
"""

from __future__ import annotations

PERSON_NAME = "PERSON_NAME"
DOB = "DOB"
CII = "CII"
CASE_NUMBER = "CASE_NUMBER"
COURT = "COURT"
AGENCY = "AGENCY"
EVENT_DATE = "EVENT_DATE"
ARREST_DATE = "ARREST_DATE"
OFFENSE_DATE = "OFFENSE_DATE"
COUNT_NO = "COUNT_NO"
CHARGE = "CHARGE"
CHARGE_DESC = "CHARGE_DESC"
SEVERITY = "SEVERITY"
DISPOSITION = "DISPOSITION"
DISPOSITION_DATE = "DISPOSITION_DATE"
SENTENCE = "SENTENCE"
SENTENCE_DATE = "SENTENCE_DATE"
UPDATE = "UPDATE"
UPDATE_DATE = "UPDATE_DATE"

LABELS: tuple[str, ...] = (
    PERSON_NAME,
    DOB,
    CII,
    CASE_NUMBER,
    COURT,
    AGENCY,
    EVENT_DATE,
    ARREST_DATE,
    OFFENSE_DATE,
    COUNT_NO,
    CHARGE,
    CHARGE_DESC,
    SEVERITY,
    DISPOSITION,
    DISPOSITION_DATE,
    SENTENCE,
    SENTENCE_DATE,
    UPDATE,
    UPDATE_DATE,
)

# Labels an `other` paper may carry (it holds no counts).
OTHER_DOC_LABELS: frozenset[str] = frozenset({PERSON_NAME, DOB, CII, CASE_NUMBER, COURT, CHARGE})


def is_label(name: str) -> bool:
    return name in LABELS


__all__ = ["LABELS", "OTHER_DOC_LABELS", "is_label", *LABELS]
