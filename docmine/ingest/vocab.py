"""A small word list for judging whether a text layer reads as language.

Common English words plus the vocabulary and abbreviations of California RAP sheets,
court dockets and minute orders. It only has to tell real text (where a good share of the
words are here) from a broken text layer (where almost none are); it is not a spell-checker.
"""

from __future__ import annotations

_ENGLISH = """
a about above according act action add added additional address after again against age
ago all allowed also am amended amount an and any appear appeared appearance apply are
area as at attached attorney authority available back bail based be because been before
being below between both but by call can case cases certain change charge charged charges
check city clerk code complete contact copy could count counts county court current date
day days deemed defendant department described did do document does done due during each
end entered entry every fact failed failure false family federal file filed final find
first following for form found from full further given good granted had has have he
hearing held her here him his hold home hour hours however if in include including
information into is issued it its jail judge judgment jury last law left less license
life like line made make may me means minute months more most motion must name names
new next no none not note notice now number of off office officer on once one only or
order ordered other our out over page paid part party pay payment people per period
person place please plea pleaded present prior probation proceedings public record
records related release released report request required right room said same second
see served service set shall she should sign signed since so some state status street
subject such superior take terms than that the their them then there these they third
this those three through time to total two type under united until upon use used very
via was week weeks were what when where which while who will with within without work
would year years yes you your
"""

_RECORDS = """
abstract acquitted adj adjudged adr adw aid aids alert alias aliases allegation alleged
animal annotated appeal applicant arm armed arr arraigned arraignment arrest arrested
arson assault attempt attempted attn auto bank battery bench bodily booked booking both
burglary bus cadj caho cal california camc capa capd caso casc casd caud cdc cdl cert
certificate certification certified chrg cii cite cited citation clets cnt cnts coll
collect com comm command comp complaint concurrent concurred conditions conduct consent
consecutive consequences consolidated contain control controlled conv convicted
conviction corr corrections counsel credit crt crime criminal cultivate cultivation
cus custody cya dcn deceased decl def defendant defndt degree del demurrer det detained
detention dism dismiss dismissed dismissal dispo disposition dist district dmh dna doc
docket doj dob drug dui eye fbi fel felony filing fine fined fines fingerprint firearm
flags force formal fpc furtherance gbi grand gross guard guilty hair health hgt homicide
idn identification identified identity imposed imposition incomp incompetent influence
infraction injury inn inquire interest interested intoxicated jai juris justice juvenile
known larceny lic licensing live mansl manslaughter marijuana medical mental mentally
minor misd misdemeanor mnu mod modified mon motor murder nam narcotic negligence nolo
oln occ offender offense offenses ord par parole paroled parolee pc pending permit
petition petty plea possess possession pob prison proc procure prob property prosecution
purposes rac rape recd receive received recvd redesignated reduced reg registrant
registration rel released represented restitution restn restricted revoked robbery
sale sealed sell sen sentence sentenced serve sex smt soc stolen strike substance supervision
supplemental susp suspended supv tat tattoos term terminated test theft trespass trial
vehicle vehicles veh victim violation viol waived warrant wgt white youth
"""

WORDS = frozenset((_ENGLISH + _RECORDS).split())
