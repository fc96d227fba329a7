"""The marijuana sections of the Health and Safety Code: today's (HS 11357-11360, which Prop 64
and HS 11361.8 name) and their predecessors before the 1972-73 recodification.

Reference data that extraction (which counts are marijuana counts), eligibility (which the
law reaches) and the policies read; the rules themselves are in `docmine.eligibility.law`.
"""

from __future__ import annotations

from dataclasses import dataclass

PROP64_SECTIONS: frozenset[str] = frozenset({"11357", "11358", "11359", "11360"})


@dataclass(frozen=True, slots=True)
class OldSection:
    """A marijuana section of the Health and Safety Code before the 1972-73 recodification."""

    section: str
    conduct: str
    counterpart: str  # today's section for the same conduct
    verified: bool  # whether a source read confirms the section's subject
    source: str


# Confirmed in court opinions read: HS 11530 (possession, and also planting and cultivating:
# OLD_HS_11530, OLD_HS_11530_CULTIVATION, OLD_HS_11530_PLANTING) and HS 11531 (transport, sale,
# furnishing: OLD_HS_11531, OLD_HS_11531_FURNISH, OLD_HS_11531_SALE). Not confirmed by any source
# found: HS 11530.5 (possession for sale) and HS 11540 (planting, cultivating), which are what
# docmine's synthetic records use; the 1956 and 1966 cultivation charges above were brought under
# 11530, not 11540. HS 11532 could not be placed among the old marijuana sections (today's code
# has an HS 11532 of its own), so it is not recognised. All of these go to hand review anyway.
PRE_1973_MARIJUANA: dict[str, OldSection] = {
    "11530": OldSection(
        "HS 11530",
        "possession, planting or cultivating marijuana",
        "HS 11357 or HS 11358",
        True,
        "http://casetext.com/case/people-v-aguiar-2; https://cetient.com/case/1446390/people-v-mcdaniel; "
        "https://print.casetext.com/case/people-v-willmirth",
    ),
    "11530.5": OldSection("HS 11530.5", "possession of marijuana for sale", "HS 11359", False, ""),
    "11531": OldSection(
        "HS 11531",
        "transporting, selling or furnishing marijuana",
        "HS 11360",
        True,
        "https://scocal.stanford.edu/opinion/people-v-rogers-22822; "
        "https://law.justia.com/cases/california/court-of-appeal/3d/35/531.html",
    ),
    "11540": OldSection("HS 11540", "planting or cultivating marijuana", "HS 11358", False, ""),
}


__all__ = ["PRE_1973_MARIJUANA", "PROP64_SECTIONS", "OldSection"]
