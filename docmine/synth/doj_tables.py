"""The tables the synthetic DOJ file draws from: offences with the eras they were charged in,
disposition texts, sentences, names, county weights, prisons and comments.

These are the generator's own choices and weights (what it draws, how often); reference data
that every stage reads (the layout, the counties and their places) is in `docmine.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docmine.charges import Charge
from docmine.reference.counties import BY_NAME, CALIFORNIA_COUNTIES
from docmine.reference.doj_layout import DISP_WIDTH, OFFENSE_WIDTH


def _ord(text: str) -> int:
    return date.fromisoformat(text).toordinal()


# --- offences ---------------------------------------------------------------------------------

MARIJUANA_SECTIONS: tuple[str, ...] = ("11357", "11358", "11359", "11360")

# Marijuana offences before the Health and Safety Code was renumbered (operative 1973-03-07).
# The generator files pre-1973 marijuana counts under these sections and flags them
# `pre_1973_marijuana` in the ground truth; it never marks them `is_marijuana_section`.
# The mapping to today's sections is the generator's working assumption only: the
# eligibility stage must verify it against the statutes before relying on it.
PRE_1973_MARIJUANA_SECTIONS: dict[str, str] = {
    "HS 11530": "HS 11357",  # possession
    "HS 11530.5": "HS 11359",  # possession for sale
    "HS 11531": "HS 11360",  # sale, transport, furnishing
    "HS 11540": "HS 11358",  # planting, cultivating
}

CATEGORIES = ("marijuana", "pre_1973_marijuana", "lookalike", "other", "super_strike", "pc290")


@dataclass(frozen=True, slots=True)
class Offense:
    """One chargeable code section as the DOJ file spells it, with its facts."""

    category: str
    charge: Charge
    description: str
    toc: str  # F, M or I as charged
    weight: float
    start: int  # first day (ordinal) the section is charged in this form
    end: int  # first day it no longer is
    wobbler: bool = False  # a felony that may end as a misdemeanour
    super_strike: bool = False  # PC 667(e)(2)(C)(iv)
    pc290: bool = False  # requires PC 290 registration
    possession: bool = False  # simple possession: drug diversion (PC 1000) possible

    @property
    def canonical(self) -> str:
        return self.charge.canonical

    def spellings(self) -> tuple[str, ...]:
        """OFFENSE_DESCR forms: `11357(C) HS-...`, glued `11357(C)HS-...`, `11357B2 HS-...`, attempts `664/...`."""
        c = self.charge
        sec = c.section.upper() + "".join(f"({s.upper()})" for s in c.subsections)
        if c.attempted:
            forms = (
                f"664/{sec} {c.code}-{self.description}",
                f"664-{sec} {c.code}-{self.description}",
                f"{sec} {c.code}/664-{self.description}",
            )
        else:
            forms = (f"{sec} {c.code}-{self.description}", f"{sec}{c.code}-{self.description}")
            if c.code == "HS" and len(c.subsections) == 2 and c.subsections[0].isalpha() and c.subsections[1].isdigit():
                # `11357B2 HS`: a letter and a number glued, as some extracts print (b)(2)
                glued = f"{c.section}{c.subsections[0].upper()}{c.subsections[1]}"
                forms += (f"{glued} {c.code}-{self.description}",)
        return tuple(f[:OFFENSE_WIDTH] for f in forms)


def _o(
    category: str,
    code: str,
    section: str,
    subs: str,
    description: str,
    toc: str,
    weight: float,
    start: str = "1961-01-01",
    end: str = "2099-12-31",
    flags: str = "",
) -> Offense:
    """Table row helper. `subs` like "a.2" for (a)(2); flags: W wobbler, S super strike,
    R PC 290 registrable, P possession, T attempt (PC 664)."""
    subsections = tuple(s for s in subs.split(".") if s)
    return Offense(
        category=category, charge=Charge(code, section, subsections, attempted="T" in flags),
        description=description, toc=toc, weight=weight, start=_ord(start), end=_ord(end), wobbler="W" in flags,
        super_strike="S" in flags, pc290="R" in flags, possession="P" in flags,
    )  # fmt: skip


# When a form of a charge applies (by the arrest date: the law at the time of the offence).
_R73 = "1973-03-07"  # HS drug sections renumbered (11530 -> 11357, ...)
_M76 = "1976-01-01"  # Moscone Act (SB 95): subsections (a)-(d), an ounce or less a misdemeanour
_I11 = "2011-01-01"  # SB 1449: 28.5 grams or less an infraction
_P47 = "2014-11-05"  # Prop 47: drug possession a misdemeanour
_P64 = "2016-11-09"  # Prop 64: the adult-use sections and their new subsections
_MJ, _OLD, _LA, _OT, _SS, _SX = CATEGORIES

OFFENSES: tuple[Offense, ...] = (
    # HS 11357-11360 as charged in each era.
    _o(_MJ, "HS", "11357", "", "POSSESS MARIJUANA", "F", 3, _R73, _M76, "WP"),
    _o(_MJ, "HS", "11357", "", "POSSESS MARIJUANA", "M", 2, _M76, _P64, "P"),
    _o(_MJ, "HS", "11357", "a", "POSSESS CONCENTRATED CANNABIS", "F", 2, _M76, _P64, "WP"),
    _o(_MJ, "HS", "11357", "b", "POSS MARIJ 28.5 GRAMS OR LESS", "M", 6, _M76, _I11, "P"),
    _o(_MJ, "HS", "11357", "b", "POSS MARIJ 28.5 GRAMS OR LESS", "I", 6, _I11, _P64, "P"),
    _o(_MJ, "HS", "11357", "c", "POSS MARIJ OVER 28.5 GRAMS", "M", 4, _M76, _P64, "P"),
    _o(_MJ, "HS", "11357", "d", "POSS MARIJ ON SCHOOL GROUNDS", "M", 0.6, _M76, _P64, "P"),
    _o(_MJ, "HS", "11357", "a.2", "POSS MARIJ 28.5 GRAMS OR LESS UNDER 21", "I", 1, _P64),
    _o(_MJ, "HS", "11357", "b.2", "POSS MARIJ OVER 28.5 GRAMS", "M", 2, _P64),
    _o(_MJ, "HS", "11358", "", "CULTIVATE MARIJUANA", "F", 4, _R73, _P64),
    _o(_MJ, "HS", "11358", "", "PLANT/CULTIVATE/ETC MARIJUANA", "F", 2, _R73, _P64),
    _o(_MJ, "HS", "11358", "c", "CULTIVATE OVER 6 MARIJUANA PLANTS", "M", 2, _P64),
    _o(_MJ, "HS", "11358", "d", "CULTIVATE MARIJUANA W/PRIORS", "F", 0.3, _P64),
    _o(_MJ, "HS", "11359", "", "POSSESS MARIJUANA FOR SALE", "F", 6, _R73, _P64),
    _o(_MJ, "HS", "11359", "b", "POSS MARIJUANA FOR SALE", "M", 2, _P64),
    _o(_MJ, "HS", "11360", "", "TRANSPORT/SELL MARIJUANA", "F", 1.5, _R73, _P64),
    _o(_MJ, "HS", "11360", "a", "SELL/TRANSPORT/ETC MARIJUANA", "F", 4, _M76, _P64),
    _o(_MJ, "HS", "11360", "b", "GIVE/TRANSPORT 28.5 GRAMS OR LESS MARIJ", "M", 1, _M76, _I11),
    _o(_MJ, "HS", "11360", "b", "GIVE/TRANSPORT 28.5 GRAMS OR LESS MARIJ", "I", 0.6, _I11, _P64),
    _o(_MJ, "HS", "11360", "a.2", "SELL/TRANSPORT MARIJUANA", "M", 1.5, _P64),
    _o(_MJ, "HS", "11360", "a.3", "SELL/TRANSPORT MARIJUANA W/PRIORS", "F", 0.3, _P64),
    _o(_MJ, "HS", "11359", "", "ATT POSS MARIJUANA FOR SALE", "F", 0.8, _R73, _P64, "T"),
    _o(_MJ, "HS", "11360", "a", "ATT SELL/TRANSPORT MARIJUANA", "F", 0.5, _M76, _P64, "T"),
    _o(_MJ, "HS", "11358", "", "ATT CULTIVATE MARIJUANA", "F", 0.3, _R73, _P64, "T"),
    # Before the 1972 renumbering (see PRE_1973_MARIJUANA_SECTIONS).
    _o(_OLD, "HS", "11530", "", "POSSESS MARIJUANA", "F", 6, "1961-01-01", _R73, "WP"),
    _o(_OLD, "HS", "11530.5", "", "POSSESS MARIJUANA FOR SALE", "F", 3, "1961-01-01", _R73),
    _o(_OLD, "HS", "11531", "", "SELL/TRANSPORT/FURNISH MARIJUANA", "F", 2, "1961-01-01", _R73),
    _o(_OLD, "HS", "11540", "", "PLANT/CULTIVATE MARIJUANA", "F", 1, "1961-01-01", _R73),
    # Look-alikes: drug sections that are not HS 11357-11360, some naming marijuana.
    _o(_LA, "HS", "11357.5", "a", "SELL/DIST SYNTHETIC CANNABINOID", "M", 0.6, "2012-01-01"),
    _o(_LA, "HS", "11357.5", "b", "POSS SYNTHETIC CANNABINOID", "I", 0.6, "2012-01-01", flags="P"),
    _o(_LA, "HS", "11350", "a", "POSSESS NARCOTIC CONTROLLED SUBSTANCE", "F", 5, _R73, _P47, "WP"),
    _o(_LA, "HS", "11350", "a", "POSSESS NARCOTIC CONTROLLED SUBSTANCE", "M", 2, _P47, flags="P"),
    _o(_LA, "HS", "11351", "", "POSS/PURCHASE FOR SALE NARC/CONTROL SUB", "F", 3, _R73),
    _o(_LA, "HS", "11352", "a", "TRANSPORT/SELL NARCOTIC/CONTROL SUB", "F", 2, _R73),
    _o(_LA, "HS", "11364", "", "POSSESS NARCOTIC PARAPHERNALIA", "M", 3, _R73, "2012-01-01"),
    _o(_LA, "HS", "11364", "a", "POSS CONTROL SUBSTANCE PARAPHERNALIA", "M", 3, "2012-01-01"),
    _o(_LA, "HS", "11377", "a", "POSSESS CONTROLLED SUBSTANCE", "F", 5, _R73, _P47, "WP"),
    _o(_LA, "HS", "11377", "a", "POSSESS CONTROLLED SUBSTANCE", "M", 3, _P47, flags="P"),
    _o(_LA, "HS", "11378", "", "POSSESS CONTROLLED SUBSTANCE FOR SALE", "F", 2, _R73),
    _o(_LA, "HS", "11361", "a", "EMPLOY MINOR TO SELL/ETC MARIJUANA", "F", 0.3, _R73),
    _o(_LA, "HS", "11361", "b", "FURNISH MARIJUANA TO MINOR", "F", 0.3, _R73),
    _o(_LA, "HS", "11362.3", "a.1", "SMOKE/INGEST MARIJUANA IN PUBLIC", "I", 0.8, _P64),
    _o(_LA, "HS", "11550", "a", "UNDER INFLUENCE CONTROLLED SUBSTANCE", "M", 4, _R73),
    _o(_LA, "HS", "11500", "", "POSSESS NARCOTIC", "F", 2, "1961-01-01", _R73, "P"),
    _o(_LA, "HS", "11501", "", "SELL/FURNISH NARCOTIC", "F", 1, "1961-01-01", _R73),
    _o(_LA, "HS", "11910", "", "POSSESS RESTRICTED DANGEROUS DRUG", "F", 1.5, "1961-01-01", _R73, "WP"),
    _o(_LA, "HS", "11721", "", "NARCOTIC ADDICT/UNDER INFLUENCE", "M", 1, "1961-01-01", _R73),
    # Unrelated charges.
    _o(_OT, "VC", "23102", "a", "DRUNK DRIVING", "M", 6, "1961-01-01", "1982-01-01"),
    _o(_OT, "VC", "23152", "a", "DUI ALCOHOL/DRUGS", "M", 7, "1982-01-01"),
    _o(_OT, "VC", "23152", "b", "DUI .08 ALCOHOL", "M", 5, "1982-01-01"),
    _o(_OT, "PC", "459", "", "BURGLARY", "F", 5, flags="W"),
    _o(_OT, "PC", "484", "a", "PETTY THEFT", "M", 4),
    _o(_OT, "PC", "488", "", "PETTY THEFT", "M", 3),
    _o(_OT, "PC", "487", "a", "GRAND THEFT", "F", 2, flags="W"),
    _o(_OT, "PC", "211", "", "ROBBERY", "F", 2.5),
    _o(_OT, "PC", "211", "", "ATTEMPTED ROBBERY", "F", 0.5, flags="T"),
    _o(_OT, "PC", "245", "a.1", "ASSAULT W/DEADLY WEAPON", "F", 3, flags="W"),
    _o(_OT, "PC", "273.5", "a", "INFLICT CORPORAL INJ SPOUSE/COHAB", "F", 3, "1978-01-01", flags="W"),
    _o(_OT, "PC", "242", "", "BATTERY", "M", 3),
    _o(_OT, "PC", "243", "e.1", "BATTERY ON SPOUSE/EX SPOUSE/DATE/ETC", "M", 2, "1987-01-01"),
    _o(_OT, "PC", "148", "a.1", "OBSTRUCT/RESIST PUBLIC/PEACE OFFICER", "M", 4),
    _o(_OT, "PC", "647", "f", "DISORDERLY CONDUCT:INTOX DRUG/ALCOHOL", "M", 4),
    _o(_OT, "PC", "602", "", "TRESPASSING", "M", 1.5),
    _o(_OT, "PC", "594", "a", "VANDALISM", "M", 2),
    _o(_OT, "PC", "496", "a", "RECEIVE/ETC KNOWN STOLEN PROPERTY", "F", 2, flags="W"),
    _o(_OT, "VC", "10851", "a", "TAKE VEH W/O OWNER CONSENT/VEH THEFT", "F", 2.5, flags="W"),
    _o(_OT, "VC", "14601.1", "a", "DRIVE WHILE LIC SUSPENDED/ETC", "M", 4),
    _o(_OT, "VC", "12500", "a", "DRIVE W/O LICENSE", "M", 3),
    _o(_OT, "PC", "415", "", "FIGHT/NOISE/OFFENSIVE WORDS", "M", 1),
    _o(_OT, "PC", "422", "", "THREATEN CRIME W/INTENT TO TERRORIZE", "F", 1.5, "1988-01-01", flags="W"),
    _o(_OT, "PC", "470", "", "FORGERY", "F", 1, flags="W"),
    _o(_OT, "PC", "12025", "a.1", "CARRY CONCEALED WEAPON IN VEHICLE", "M", 1, "1961-01-01", "2012-01-01"),
    _o(_OT, "PC", "12021", "a.1", "FELON/ADDICT/ETC POSS FIREARM", "F", 1, "1961-01-01", "2012-01-01"),
    _o(_OT, "PC", "29800", "a.1", "FELON/ADDICT/ETC POSS FIREARM", "F", 1, "2012-01-01"),
    _o(_OT, "PC", "192", "a", "VOLUNTARY MANSLAUGHTER", "F", 0.2),
    _o(_OT, "PC", "246", "", "SHOOT AT INHABITED DWELLING/VEH", "F", 0.3),
    _o(_OT, "PC", "166", "a.4", "CONTEMPT:DISOBEY COURT ORDER", "M", 1),
    _o(_OT, "PC", "647", "b", "DISORDERLY CONDUCT:PROSTITUTION", "M", 1),
    _o(_OT, "BP", "4060", "", "POSSESS CONTROLLED SUBSTANCE W/O PRESCRIPTION", "M", 1, _R73),
    _o(_OT, "BP", "25662", "a", "MINOR POSSESS ALCOHOL", "M", 1),
    _o(_OT, "VC", "20002", "a", "HIT AND RUN W/PROPERTY DAMAGE", "M", 1),
    _o(_OT, "VC", "2800.2", "a", "EVADE PEACE OFFICER:DISREGARD SAFETY", "F", 0.8, "1989-01-01", flags="W"),
    _o(_OT, "PC", "1320", "b", "FAIL TO APPEAR ON FELONY", "F", 0.5),
    # Super strikes: PC 667(e)(2)(C)(iv).
    _o(_SS, "PC", "187", "a", "MURDER", "F", 3, flags="S"),
    _o(_SS, "PC", "187", "a", "ATTEMPTED MURDER", "F", 3, flags="ST"),
    _o(_SS, "PC", "191.5", "a", "GROSS VEH MANSLAUGHTER WHILE INTOX", "F", 1, "1986-01-01", flags="S"),
    _o(_SS, "PC", "288", "a", "LEWD OR LASCIV ACTS W/CHILD UNDER 14", "F", 3, flags="SR"),
    _o(_SS, "PC", "288", "b.1", "LEWD ACT W/CHILD UNDER 14 BY FORCE", "F", 1, "1981-01-01", flags="SR"),
    _o(_SS, "PC", "288.5", "a", "CONTINUOUS SEXUAL ABUSE OF CHILD", "F", 1, "1989-01-01", flags="SR"),
    _o(_SS, "PC", "261", "a.2", "RAPE BY FORCE/FEAR/ETC", "F", 2, "1980-01-01", flags="SR"),
    _o(_SS, "PC", "269", "a.1", "AGGRAVATED SEXUAL ASSAULT OF CHILD", "F", 0.5, "1994-01-01", flags="SR"),
    _o(_SS, "PC", "207", "b", "KIDNAP CHILD UNDER 14 FOR LEWD ACT", "F", 0.5, "1990-01-01", flags="SR"),
    _o(_SS, "PC", "245", "d.3", "ASLT PEACE OFFICER W/MACHINEGUN/ETC", "F", 0.3, "1990-01-01", flags="S"),
    # PC 290 registrable offences that are not super strikes.
    _o(_SX, "PC", "314", "1", "INDECENT EXPOSURE", "M", 4, flags="R"),
    _o(_SX, "PC", "647.6", "a", "ANNOY/MOLEST CHILD", "M", 2, "1988-01-01", flags="R"),
    _o(_SX, "PC", "311.11", "a", "POSSESS/ETC MATTER DEPICTING MINOR SEX", "F", 2, "1990-01-01", flags="WR"),
    _o(_SX, "PC", "243.4", "a", "SEXUAL BATTERY", "F", 2, "1983-01-01", flags="WR"),
    _o(_SX, "PC", "288", "c.1", "LEWD ACT W/CHILD 14 OR 15", "F", 1.5, "1988-01-01", flags="WR"),
)
_SPELLINGS: dict[int, tuple[str, ...]] = {id(o): o.spellings() for o in OFFENSES}
for _off in OFFENSES:
    assert all(len(s) <= OFFENSE_WIDTH and "," not in s and '"' not in s for s in _SPELLINGS[id(_off)]), _off

_REGISTRATION_CHARGE = Charge("PC", "290")
_REGISTRATION_DESCR = "290 PC-REGISTRATION OF SEX OFFENDER"

# Companions: what else is charged beside a cycle's main count.
_COMPANIONS = {
    _MJ: ((_MJ, 5), (_LA, 2.5), (_OT, 2.5)),
    _OLD: ((_OLD, 5), (_LA, 3), (_OT, 2)),
    _LA: ((_LA, 5), (_MJ, 1.5), (_OT, 3.5)),
    _OT: ((_OT, 7), (_LA, 2), (_MJ, 1)),
    _SS: ((_OT, 8), (_SS, 2)),
    _SX: ((_OT, 7), (_SX, 3)),
}

# --- dispositions -------------------------------------------------------------------------

DISPOSITION_KINDS: tuple[str, ...] = (
    "convicted",
    "sustained",
    "dismissed",
    "dismissed_furtherance_of_justice",
    "acquitted",
    "prosecution_rejected",
    "diversion",
    "detention_only",
    "pending",
)
_CONVICTED_TEXT = {
    "prison": "CONVICTED-PRISON",
    "probation": "CONVICTED-PROBATION",
    "jail": "CONVICTED-JAIL",
    "fine": "CONVICTED-FINE",
}
_DISP_TEXTS: dict[str, tuple[str, ...]] = {
    "sustained": ("JUV-PETITION SUSTAINED",),
    "dismissed": ("DISMISSED/CHARGE DROPPED", "DISMISSED/CHARGE DROPPED", "DISMISSED"),
    "dismissed_furtherance_of_justice": ("DISMISSED/FURTHERANCE", "1385 PC-DISMISSED", "DISM-FURTHERANCE JUSTICE"),
    "acquitted": ("ACQUITTED", "NOT GUILTY", "NOT GUILTY/ACQUITTED"),
    "prosecution_rejected": (
        "PROS REJ-INSUFF EVIDENCE",
        "PROS REJ-OTHER",
        "PROS REJ-LACK OF CORPUS",
        "PROS REJ-COMB W/OTH CNTS",
        "PROS REL-INSUFF EVIDENCE",
    ),
    "diversion": ("DIVERTED", "DEF ENTRY JUDGMT-1000 PC", "DIVERSION-1000 PC"),
    "detention_only": ("REL/DETENTION ONLY", "DET ONLY-849(B)(1) PC"),
    "pending": ("",),
}
for _texts in _DISP_TEXTS.values():
    assert all(len(t) <= DISP_WIDTH for t in _texts)
_ARREST_RELEASED = "REL/TOT OTHER JURIS/AUTH"  # an arrest handed on to the court: no disposition
_SEVERITY_WORD = {"F": "FELONY", "M": "MISDEMEANOR", "I": "INFRACTION", "": ""}
_SEVERITY_NAME = {"F": "felony", "M": "misdemeanor", "I": "infraction", "": None}

# Sentence parts: (SENT_LOC_CODE, SENT_LOC_DESCR, kind); time codes (code, descr, unit).
_LOC = {"prison": ("P", "PRISON"), "probation": ("P", "PROBATION"), "jail": ("J", "JAIL"), "fine": ("F", "FINE")}
_TIME = {"D": ("DAYS      ", "days"), "M": ("MONTHS", "months"), "Y": ("YEARS", "years"), "L": ("LIFE", "life")}

# --- people and places --------------------------------------------------------------------

# RACE_CODE, RACE_DESCR, share of recorded values (California arrest records, roughly),
# name group.
_RACES = (
    ("H", "HISPANIC", 40.0, "hisp"),
    ("W", "WHITE", 33.0, "white"),
    ("B", "BLACK", 16.5, "black"),
    ("O", "OTHER", 3.0, "white"),
    ("X", "UNKNOWN", 1.0, "white"),
    ("A", "OTHER ASIAN", 1.0, "seasia"),
    ("F", "FILIPINO", 0.9, "fil"),
    ("V", "VIETNAMESE", 0.8, "viet"),
    ("C", "CHINESE", 0.5, "chin"),
    ("I", "AMERICAN INDIAN", 0.7, "white"),
    ("K", "KOREAN", 0.3, "kor"),
    ("J", "JAPANESE", 0.2, "jap"),
    ("Z", "ASIAN INDIAN", 0.4, "ind"),
    ("P", "PACIFIC ISLANDER", 0.3, "white"),
    ("S", "SAMOAN", 0.2, "white"),
    ("L", "LAOTIAN", 0.1, "seasia"),
    ("D", "CAMBODIAN", 0.1, "seasia"),
    ("G", "GUAMANIAN", 0.05, "white"),
    ("U", "HAWAIIAN", 0.05, "white"),
)

_SURNAMES = {
    "hisp": "GARCIA HERNANDEZ LOPEZ MARTINEZ GONZALEZ RODRIGUEZ SANCHEZ RAMIREZ PEREZ FLORES TORRES "
    "RIVERA GOMEZ DIAZ REYES MORALES CRUZ ORTIZ GUTIERREZ CHAVEZ RAMOS RUIZ ALVAREZ MENDOZA "
    "CASTILLO JIMENEZ MORENO ROMERO HERRERA MEDINA AGUILAR VARGAS GUZMAN VASQUEZ CASTRO "
    "MENDEZ SALAZAR SOTO DELGADO CONTRERAS ESPINOZA DOMINGUEZ SANDOVAL AVILA RIOS NAVARRO "
    "CERVANTES CAMACHO VALENZUELA OROZCO ESTRADA IBARRA OCHOA ZAMORA PADILLA",
    "white": "SMITH JOHNSON WILLIAMS BROWN JONES MILLER DAVIS WILSON ANDERSON TAYLOR THOMAS MOORE "
    "MARTIN THOMPSON WHITE CLARK LEWIS ROBINSON WALKER YOUNG ALLEN KING WRIGHT SCOTT HILL "
    "GREEN ADAMS BAKER NELSON CARTER MITCHELL ROBERTS TURNER PHILLIPS CAMPBELL PARKER EVANS "
    "EDWARDS COLLINS STEWART MORRIS MURPHY COOK ROGERS MORGAN COOPER PETERSON REED BAILEY "
    "BELL KELLY HOWARD WARD COX RICHARDSON WOOD WATSON BROOKS BENNETT GRAY HUGHES PRICE "
    "SANDERS MYERS LONG ROSS FOSTER POWELL SULLIVAN FISHER HAYES MCDONALD SCHMIDT HANSEN "
    "LARSON OLSON MCCARTHY KELLER WAGNER BECKER",
    "black": "WASHINGTON JACKSON JEFFERSON BANKS HARRIS COLEMAN SIMMONS BUTLER GREENE WALLACE BRYANT "
    "DAVIS WILLIAMS JOHNSON BROWN JONES THOMAS ROBINSON HOLMES FREEMAN GRAVES MOSLEY TAYLOR "
    "WHITE HARRIS MOORE WALKER YOUNG KING SCOTT GREEN CARTER",
    "fil": "SANTOS REYES CRUZ BAUTISTA GARCIA MENDOZA AQUINO RAMOS VILLANUEVA CASTILLO TORRES",
    "viet": "NGUYEN TRAN LE PHAM HUYNH VO DANG BUI DO HO NGO",
    "chin": "WONG CHEN LEE CHAN LIU HUANG WU LIN ZHANG YEE",
    "kor": "KIM PARK LEE CHOI JUNG KANG CHO YOON",
    "jap": "TANAKA NAKAMURA YAMAMOTO KOBAYASHI SATO WATANABE ITO KIMURA",
    "ind": "PATEL SINGH SHARMA KUMAR GILL SANDHU DHILLON",
    "seasia": "VANG XIONG LOR THAO HER SOK CHHAY KHAN YANG",
}
_GIVEN = {
    ("hisp", "M"): "JOSE JUAN LUIS CARLOS JESUS MIGUEL ANTONIO JORGE FRANCISCO MANUEL RICARDO ROBERTO "
    "EDUARDO JAVIER RAUL ARTURO FERNANDO SERGIO ALEJANDRO OSCAR ARMANDO ENRIQUE RAFAEL "
    "PEDRO HECTOR RUBEN VICTOR DANIEL DAVID MARIO GABRIEL ADRIAN",
    ("hisp", "F"): "MARIA GUADALUPE ROSA ANA VERONICA ELIZABETH LETICIA YOLANDA CARMEN SANDRA "
    "ALEJANDRA GABRIELA CLAUDIA PATRICIA ADRIANA MONICA LAURA JESSICA DIANA ANGELICA",
    ("white", "M"): "MICHAEL JAMES JOHN ROBERT DAVID WILLIAM RICHARD JOSEPH THOMAS CHRISTOPHER DANIEL "
    "MATTHEW MARK STEVEN PAUL KEVIN BRIAN JASON JEFFREY SCOTT ERIC GARY TIMOTHY RONALD "
    "KENNETH DONALD CHARLES ANTHONY RYAN JOSHUA JUSTIN BRANDON TYLER KYLE DENNIS LARRY "
    "GREGORY TERRY RANDY DOUGLAS",
    ("white", "F"): "MARY JENNIFER LINDA PATRICIA ELIZABETH SUSAN JESSICA SARAH KAREN LISA NANCY BETTY "
    "SANDRA DONNA MICHELLE KIMBERLY AMANDA MELISSA STEPHANIE REBECCA LAURA HEATHER AMY "
    "ANGELA TAMMY DEBORAH CRYSTAL BRITTANY",
    ("black", "M"): "DARNELL ANDRE TERRELL MARCUS DERRICK CEDRIC JAMAL DWAYNE REGINALD ANTHONY MICHAEL "
    "JAMES ROBERT KEVIN CURTIS LAMONT TYRONE WILLIE LEROY DEANDRE",
    ("black", "F"): "KEISHA LATOYA TANYA SHAUNA TAMIKA EBONY MONIQUE DENISE ANGELA SHARON PATRICIA "
    "CRYSTAL YOLANDA WANDA JASMINE",
    ("asian", "M"): "DAVID MICHAEL KEVIN JOHNNY TONY DANNY PETER STEVEN KENNY VINH MINH TUAN HUNG JASON RYAN ERIC",
    ("asian", "F"): "JENNIFER LINDA MAI LINH THUY AMY CHRISTINE GRACE JENNY SOPHIA",
}
_SURNAMES_T = {k: tuple(v.split()) for k, v in _SURNAMES.items()}
_GIVEN_T = {k: tuple(v.split()) for k, v in _GIVEN.items()}


def _given_group(group: str) -> str:
    return group if group in ("hisp", "white", "black") else ("hisp" if group == "fil" else "asian")


# Each county's weight: its 2020 population in thousands. Its places (police ORIs, and the
# municipal courts before unification) are the cities `docmine.reference.counties` lists.
_POPULATION: dict[str, float] = {
    "ALAMEDA": 1682,
    "ALPINE": 1.2,
    "AMADOR": 40,
    "BUTTE": 212,
    "CALAVERAS": 46,
    "COLUSA": 22,
    "CONTRA COSTA": 1166,
    "DEL NORTE": 28,
    "EL DORADO": 192,
    "FRESNO": 1008,
    "GLENN": 29,
    "HUMBOLDT": 136,
    "IMPERIAL": 180,
    "INYO": 19,
    "KERN": 909,
    "KINGS": 153,
    "LAKE": 68,
    "LASSEN": 33,
    "LOS ANGELES": 10014,
    "MADERA": 157,
    "MARIN": 262,
    "MARIPOSA": 17,
    "MENDOCINO": 91,
    "MERCED": 281,
    "MODOC": 8.7,
    "MONO": 13,
    "MONTEREY": 439,
    "NAPA": 138,
    "NEVADA": 103,
    "ORANGE": 3186,
    "PLACER": 405,
    "PLUMAS": 20,
    "RIVERSIDE": 2418,
    "SACRAMENTO": 1585,
    "SAN BENITO": 64,
    "SAN BERNARDINO": 2181,
    "SAN DIEGO": 3298,
    "SAN FRANCISCO": 874,
    "SAN JOAQUIN": 779,
    "SAN LUIS OBISPO": 283,
    "SAN MATEO": 764,
    "SANTA BARBARA": 449,
    "SANTA CLARA": 1936,
    "SANTA CRUZ": 271,
    "SHASTA": 182,
    "SIERRA": 3.2,
    "SISKIYOU": 44,
    "SOLANO": 453,
    "SONOMA": 489,
    "STANISLAUS": 552,
    "SUTTER": 99,
    "TEHAMA": 65,
    "TRINITY": 16,
    "TULARE": 473,
    "TUOLUMNE": 55,
    "VENTURA": 843,
    "YOLO": 217,
    "YUBA": 81,
}
COUNTIES: tuple[str, ...] = CALIFORNIA_COUNTIES
_COUNTY_PLACES: tuple[tuple[str, ...], ...] = tuple(BY_NAME[name].cities for name in COUNTIES)
_EMERALD = tuple(COUNTIES.index(n) for n in ("HUMBOLDT", "MENDOCINO", "TRINITY"))

# State prisons (for CUSTODY steps) and their counties.
_PRISONS = (
    ("SAN QUENTIN", "MARIN"),
    ("FOLSOM", "SACRAMENTO"),
    ("CORCORAN", "KINGS"),
    ("SOLEDAD", "MONTEREY"),
    ("CHINO", "SAN BERNARDINO"),
    ("VACAVILLE", "SOLANO"),
    ("TEHACHAPI", "KERN"),
    ("DELANO", "KERN"),
    ("SUSANVILLE", "LASSEN"),
    ("PELICAN BAY", "DEL NORTE"),
    ("TRACY", "SAN JOAQUIN"),
    ("NORCO", "RIVERSIDE"),
    ("CHOWCHILLA", "MADERA"),
)

_COMMENTS = (
    "NAM:02",
    "CASE CONSOLIDATED",
    "RESTN ORDERED",
    "CREDIT TIME SERVED",
    "CONCURRENT",
    "FINE $500",
    "SENTENCE SUSPENDED",
    "BOOKING NO RECORDED",
)
_SEE_COMMENT = "SEE COMMENT FOR CHARGE"
