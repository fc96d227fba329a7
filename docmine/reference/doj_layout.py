"""The layout of the California DOJ bulk criminal-history extract (the 95-column AB 1793 file).

One row per subject x cycle x step x count (x sentence part), the columns in this order (the
public fixture `gogen/configurable_flow_input.csv` and the files counties received). Some
columns have a fixed width in the DOJ's export, and what is longer spills into the next column.
"""

from __future__ import annotations

HEADER: tuple[str, ...] = tuple(
    """
    RECORD_ID SUBJECT_STATUS SUBJECT_ID REQ_SEG_SEP REQ_CII_NUMBER REQ_NAME REQ_GENDER REQ_DOB REQ_CDL REQ_SSN
    PII_SEG_SEP CII_NUMBER PRI_NAME GENDER PRI_DOB PRI_SSN PRI_CDL PRI_IDN PRI_INN FBI_NUMBER PDR_SEG_SEP
    RACE_CODE RACE_DESCR EYE_COLOR_CODE EYE_COLOR_DESCR HAIR_COLOR_CODE HAIR_COLOR_DESCR HEIGHT WEIGHT
    SINGLE_SOURCE MULTI_SOURCE POB_CODE POB_NAME POB_TYPE CITIZENSHIP_LIST CYC_SEG_SEP CYC_ORDER CYC_DATE
    STP_SEG_SEP STP_ORDER STP_EVENT_DATE STP_TYPE_CODE STP_TYPE_DESCR STP_ORI_TYPE STP_ORI_TYPE_DESCR
    STP_ORI_CODE STP_ORI_DESCR STP_ORI_CNTY_CODE STP_ORI_CNTY_NAME CNT_SEG_SEP CNT_ORDER DISP_DATE OFN
    OFFENSE_CODE OFFENSE_DESCR OFFENSE_TOC OFFENSE_QUAL_LST DISP_OFFENSE_CODE DISP_OFFENSE_DESCR
    DISP_OFFENSE_TOC DISP_OFFENSE_QUAL_LST CONV_OFFENSE_ORDER CONV_OFFENSE_CODE CONV_OFFENSE_DESCR
    CONV_OFFENSE_TOC CONV_OFFENSE_QUAL_LST FE_NUM_ORDER FE_NUM_ARR_AGY FE_NUM_BNCH_WARR FE_NUM_CITE
    FE_NUM_DOCKET FE_NUM_INCIDENT FE_NUM_BOOKING FE_NUM_NUMBER FE_NUM_REMAND FE_NUM_OOS_INN FE_NUM_CRT_CASE
    FE_NUM_WARRANT DISP_ORDER DISP_CODE DISP_DESCR CONV_STAT_CODE CONV_STAT_DESCR SENT_SEG_SEP SENT_ORDER
    SENT_LOC_CODE SENT_LOC_DESCR SENT_LENGTH SENT_TIME_CODE SENT_TIME_DESCR CYC_AGE CII_TYPE CII_TYPE_ALPHA
    COMMENT_TEXT END_OF_REC
    """.split()
)
assert len(HEADER) == 95

# Fixed widths in the DOJ's export: what is longer spills into the next column.
OFFENSE_WIDTH = 50  # OFFENSE_DESCR: the rest spills into OFFENSE_QUAL_LST
DISP_WIDTH = 24  # DISP_DESCR: the rest spills into CONV_STAT_CODE
STEP_TYPE_WIDTH = 21  # STP_TYPE_DESCR: the rest spills into STP_ORI_TYPE before its `x`
SENTENCE_TIME_WIDTH = 18  # SENT_TIME_DESCR: blanks on a row without a sentence


def is_doj_line(first_line: str) -> bool:
    """Whether a file's first line is a DOJ file's: its header, or a 95-column row."""
    return ("SUBJECT_ID" in first_line and "CNT_ORDER" in first_line) or first_line.count(",") in (94, 95)


__all__ = ["DISP_WIDTH", "HEADER", "OFFENSE_WIDTH", "SENTENCE_TIME_WIDTH", "STEP_TYPE_WIDTH", "is_doj_line"]
