"""The sources the law module cites: where each statement about the law was read.

Every address below was found and read while building this module (public pages; excerpts
only). Where a point could not be verified it is said so beside the rule that relies on it,
and that rule sends the count to hand review rather than deciding it.
"""

HS_11361_8 = "https://lexace.ai/us/statute/california/hsc-11361.8"
HS_11361_8_E_F = "https://www.duisantacruz.com/santa-cruz-criminal-law-blog/clearing-up-marijuana-related-convictions"
HS_11361_8_SUMMARY = "https://escovarlaw.com/blog/2017/january/what-is-a-proposition-64-motion-for-marijuana-ca"
HS_11361_8_TEXT_CANORML = "https://www.canorml.org/california-laws/petitioning-for-recall-dismissal-of-sentence-and-resentencing-sections-in-prop-64/"
PROP64_MEMO = "http://lawsdocbox.com/Legal_Issues/104314655-Proposition-64-adult-use-of-marijuana-act-resentencing-procedures-and-other-selected-provisions.html"
AB_1793 = "https://legiscan.com/CA/text/AB1793/id/1821973/California-2017-AB1793-Chaptered.html"
AB_1793_DOJ = "https://www.oag.ca.gov/fingerprints/record-review/ab1793"
HS_11357_TODAY = "https://bluedoor.sh/data/sf-superior-court/statutes/HSC-11357"
HS_11357_C_TODAY = "https://www.shouselaw.com/ca/defense/health-and-safety-code/11357c/"
HS_11357_A2_TODAY = "https://theweedinitiate.com/faqwd/hsc-11357a2/"
HS_11358_TODAY = "https://brucemmargolin.com/cultivation"
HS_11358_PRIORS = "http://esfandilawfirm.com/crimes/cultivation-of-marijuana/"
HS_11359_TODAY = "https://shouselawdev.wpengine.com/ca/defense/health-and-safety-code/11359"
HS_11360_TODAY = "https://www.shouselaw.com/ca/defense/health-and-safety-code/11360/"
HS_11360_B_TODAY = "https://theweedinitiate.com/faqwd/hsc-11360b/"
HS_11357_MOSCONE_ERA = "https://www.cronisraelsandstark.com/marijuana-crimes"
MOSCONE_ACT = "https://www.druglibrary.net/schaffer/hemp/moscone/chap3.htm"
MOSCONE_ACT_SB95 = "https://www.thegooddrugsguide.com/content/tag/capot+laws/"
MOSCONE_SIGNED = "https://www.tokersguide.com/cannabis-news/activists-celebrate-50-years-of-marijuana-decriminalization-in-california"
SB_1449 = (
    "https://www.hipforums.com/forum/threads/governator-signs-cannabis-decriminalization-bill-in-california.385952"
)
SB_1449_EFFECTIVE = "https://stanforddaily.com/2011/01/05/new-law-reduces-marijuana-penalty"
OLD_HS_11530 = "http://casetext.com/case/people-v-aguiar-2"
OLD_HS_11531 = "https://scocal.stanford.edu/opinion/people-v-rogers-22822"
OLD_HS_11531_FURNISH = "https://print.casetext.com/case/people-v-oatis"
# Old HS 11530 also covered planting and cultivating: a 1956 cultivation charge (ten plants in
# a flower bed) under "section 11530 ... (cultivation of narcotics)", People v. McDaniel (1957);
# a 1966 information for possessing, planting and cultivating marijuana under section 11530,
# People v. Willmirth (1966).
OLD_HS_11530_CULTIVATION = "https://cetient.com/case/1446390/people-v-mcdaniel"
OLD_HS_11530_PLANTING = "https://print.casetext.com/case/people-v-willmirth"
# Old HS 11531: sale of marijuana, In re Jones (1973) 35 Cal.App.3d 531.
OLD_HS_11531_SALE = "https://law.justia.com/cases/california/court-of-appeal/3d/35/531.html"
# The recodification: Division 10 (the Uniform Controlled Substances Act, HS 11000-11651) "repealed
# and added by Stats. 1972, Ch. 1407" (the Los Angeles Superior Court's code page); HS 11650, its
# transition rule (offences before "the effective date of this division" are prosecuted under the
# prior law, with the new penalties where lower). Neither page gives the operative day. A sale on
# 1973-03-08 was charged under the new HS 11360 (People v. Van Alstyne (1975) 46 Cal.App.3d 900).
RECODIFICATION_1972 = "http://www.lacourt.org/page/EXGV130"
RECODIFICATION_TRANSITION = "https://self-law.org/code/ca/health-and-safety-code/11650"
RECODIFICATION_VAN_ALSTYNE = "https://cetient.com/case/2126842/people-v-van-alstyne"
# HS 11361.8 was added by Prop 64, section 8.7 (Voter Information Guide, pp. 207-208), as quoted
# in People v. Wilbarn (2021), which also quotes 11361.8(a).
HS_11361_8_WILBARN = "https://ebench-dev.greeninfo.org/state/california/cases/190498224-people-v-wilbarn"
# "all persons released from prison on and after October 1, 2011, after serving a prison term for a
# felony, be subject to postrelease community supervision provided by a county agency for a period
# of 3 years immediately following release" (SB 710 (2013), Legislative Counsel's digest of existing
# law: PC 3000, 3451); "anyone on supervision, whether it be probation, parole, PRCS, or mandatory
# supervision, is considered to be currently serving a sentence" for Prop 64 (Nevada County Superior
# Court's Prop 64 procedures).
PRCS_3_YEARS = "https://legiscan.com/CA/text/SB710/2013"
SERVING_INCLUDES_SUPERVISION = "https://www.mynevadacounty.com/657/Procedures"
# PC 17(b): a wobbler "is a misdemeanor for all purposes" after a judgment other than prison, or
# when the court declares it one (the section's text as quoted).
PC_17_B = "https://kaass.com/reducing-california-felony-conviction-to-misdemeanor-penal-code-17b-pc/"
# People v. Zamora (2017) F071737: a juvenile adjudication "was not a prior conviction as used in
# Health and Safety Code section 11377" (WIC 203: an adjudication is not a conviction).
JUVENILE_NOT_CONVICTION = "https://law.justia.com/cases/california/court-of-appeal/2017/f071737.html"
# WIC 602: "any person who is under 18 years of age when he or she violates any law of this state
# ... is within the jurisdiction of the juvenile court, which may adjudge such person to be a ward".
WIC_602 = "https://law.onecle.com/california/welfare/602.html"
# The "super strike" list, PC 667(e)(2)(C)(iv) items (I)-(VIII), came with the Three Strikes Reform
# Act of 2012 (Prop 36; AB 1279 (2025) digest: the law "amended by the Three Strikes Reform Act of 2012,
# approved as Proposition 36"). The same list stands in PC 1170.12(c)(2)(C)(iv), whose current text
# is read here; the 2005 code page once cited predates the list.
PC_667 = "https://lexace.ai/us/statute/california/pen-1170.12"
PROP_36_2012 = "https://app.legiplex.com/ca/legislature/2025/2025-r/bills/ab1279/drafts-compare"
PC_290_C = "https://docslib.org/doc/3907222/tier-2-exclusionary-crimes"
# PC 290(c) as amended by Prop 35 (2012): "... Section 220, except assault to commit mayhem,
# subdivision (b) and (c) of Section 236.1, Section 243.4, ..."
PC_290_C_236_1 = "https://jurris.com/california/penal-code/290-294/290-1"
LA_DA_2020 = "https://www.latimes.com/california/story/2020-02-13/la-district-attorney-clear-marijuana-convictions"
LA_DA_2020_CRITERIA = "https://www.cbsnews.com/news/marijuana-weed-convictions-los-angeles-county-district-attorney-jackie-lacey-announcement-today-2020-02-13/"
LA_DA_2020_CITIES = "https://upnewsinfo.com/2020/02/14/los-angeles-county-da-will-dismiss-nearly-66000-marijuana-convictions-up-news-info-los-angeles/"
SF_DA_2019 = "https://sfdistrictattorney.org/san-francisco-leads-way-providing-relief-under-proposition-64-0"
CFA_FIXTURES = "../shared/external/cfa/README.md"
