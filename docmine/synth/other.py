"""Papers found in real record archives that are NOT conviction records.

Cover letters and transmittals, minute orders of unrelated civil, family-law and traffic
matters, and probation officers' reports that talk about charges in prose. Their truth is
`doc_type` `other` and no counts; spans mark only PERSON_NAME, DOB, CII, CASE_NUMBER, COURT
and CHARGE (`docmine.labels.OTHER_DOC_LABELS`), so a model learns that a charge in a letter
is not a count.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from docmine import labels as L
from docmine.synth import names as N
from docmine.synth.facts import drawn_cities, CATALOGUE, COUNTIES, COUNTY_WEIGHTS, LATEST, MARIJUANA, Drawn
from docmine.synth.facts import case_number, charges_in_force, make_person, rand_date, spell_charge
from docmine.synth.layout import Body, Line, Mark, Token, paginate, pad_to, wrap, wrap_tokens

LAYOUTS: tuple[str, ...] = ("letter", "civil_minute", "family_minute", "traffic_minute", "probation_report")

STREETS = (
    "MAIN ST",
    "CIVIC CENTER PLAZA",
    "OAK AVE",
    "COURTHOUSE SQUARE",
    "FIRST ST",
    "BROADWAY",
    "CENTER ST",
    "HALL OF JUSTICE DR",
    "GOVERNMENT CENTER WAY",
)


def _name(rng: random.Random, upper: bool = True) -> str:
    pool = N.pick_pool(rng)
    last, first, middle = N.draw_name(rng, pool, rng.choice("MF"))
    return f"{first} {last}" if upper else f"{first.title()} {last.title()}"


def _d(rng: random.Random, when: date, style: str) -> str:
    if style == "long":
        return when.strftime("%B %d, %Y").replace(" 0", " ")
    return when.strftime("%m/%d/%Y")


class _Other:
    def __init__(self, rng: random.Random, layout: str):
        self.rng = rng
        self.layout = layout
        self.body = Body()
        self.width = rng.choice((76, 80, 84))
        self.county = rng.choices(COUNTIES, weights=COUNTY_WEIGHTS)[0]
        self.person = make_person(rng)
        adult = self.person.dob.replace(year=self.person.dob.year + 19, day=min(self.person.dob.day, 28))
        self.when = rand_date(rng, min(max(date(1985, 1, 1), adult), LATEST), LATEST)

    def add(self, *toks, keep: bool = False) -> None:
        self.body.add(*toks, keep_with_next=keep)

    def para(self, toks: list[Token], indent: int = 0) -> None:
        self.body.extend(wrap_tokens(toks, self.width, indent=indent, first_indent=indent))
        self.add("")

    def center(self, text_or_toks) -> None:
        toks = [text_or_toks] if isinstance(text_or_toks, str) else text_or_toks
        n = sum(len(t) for t in toks if isinstance(t, str))
        self.add(" " * max(0, (self.width - n) // 2), *toks)

    def subject_name(self) -> str:
        p = self.person
        return N.format_name(p.last, p.first, p.middle, space_after_comma=True)

    def court_toks(self) -> list[Token]:
        return wrap([f"SUPERIOR COURT OF CALIFORNIA, COUNTY OF {self.county.name}"], Mark(L.COURT))

    def prior_charge(self, when: date) -> list[Token]:
        options = charges_in_force(MARIJUANA, when) if self.rng.random() < 0.7 else charges_in_force(CATALOGUE, when)
        cdef = self.rng.choice(options)
        return wrap([spell_charge(cdef.charge, self.rng, self.rng.choice(("rap", "docket")))], Mark(L.CHARGE))

    # -- kinds --------------------------------------------------------------------------------
    def letter(self) -> None:
        rng, c = self.rng, self.county
        office, signer = rng.choice(
            (
                ("OFFICE OF THE PUBLIC DEFENDER", ("Deputy Public Defender", "Legal Secretary")),
                ("OFFICE OF THE DISTRICT ATTORNEY", ("Deputy District Attorney", "Legal Secretary")),
                ("CLERK OF THE SUPERIOR COURT", ("Deputy Clerk", "Records Supervisor")),
                ("CALIFORNIA DEPARTMENT OF JUSTICE", ("Records Supervisor", "Program Technician")),
            )
        )
        self.center(office)
        self.center(f"COUNTY OF {c.name}" if "JUSTICE" not in office else "BUREAU OF CRIMINAL INFORMATION AND ANALYSIS")
        self.center(
            f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, {rng.choice(drawn_cities(c))}, CA 9{rng.randint(1000, 6199)}"
        )
        self.add("")
        self.add(_d(rng, self.when, rng.choice(("long", "num"))))
        self.add("")
        to = rng.choice(
            (
                ["Criminal Records Unit", "Superior Court of California", f"County of {c.name.title()}"],
                ["Records Section", f"{rng.choice(drawn_cities(c)).title()} Police Department"],
                [_name(rng, False), "Attorney at Law"],
            )
        )
        for ln in to:
            self.add(ln)
        self.add("")
        case = case_number(rng, c, self.when - timedelta(days=rng.randint(300, 9000)), rng.random() < 0.5)
        self.add(
            "RE:  ",
            *wrap([self.subject_name()], Mark(L.PERSON_NAME)),
            "   DOB: ",
            *wrap([self.person.dob.strftime("%m/%d/%Y")], Mark(L.DOB)),
        )
        if rng.random() < 0.7:
            self.add("     Case No. ", *wrap([case], Mark(L.CASE_NUMBER)))
        self.add("")
        self.add(rng.choice(("Dear Sir or Madam:", "To Whom It May Concern:", "Dear Clerk:")))
        self.add("")
        bodies = [
            [
                "Enclosed please find certified copies of the records you requested for the above-named individual. "
                "Please note that these copies are provided for the limited purpose stated in your request and may not "
                "be further disseminated."
            ],
            [
                "Pursuant to Health and Safety Code section 11361.8, this office has reviewed the record of the "
                "above-named individual. Our review includes a prior conviction for ",
                *self.prior_charge(self.when - timedelta(days=4000)),
                ". Please find the attached petition and proposed order.",
            ],
            [
                "We are in receipt of your request dated ",
                _d(rng, self.when - timedelta(days=rng.randint(10, 90)), "long"),
                ". A search of our files was conducted and the enclosed documents are all that could be located. "
                "Some older files have been destroyed pursuant to the records retention schedule.",
            ],
            [
                "This letter transmits the court file for your review. The file contains the complaint, the minute orders "
                "and the abstract of judgment. Kindly return the file to this office within thirty (30) days."
            ],
        ]
        for i in rng.sample(range(len(bodies)), k=rng.randint(1, 3)):
            self.para(bodies[i])
        self.para(
            [
                "If you have any questions, please contact our office at (",
                str(rng.randint(200, 999)),
                ") 555-0",
                str(rng.randint(100, 199)),
                ".",
            ]
        )
        self.add(rng.choice(("Sincerely,", "Very truly yours,", "Respectfully,")))
        self.add("")
        self.add("")
        self.add(_name(rng, False))
        self.add(rng.choice(signer))
        self.add("")
        self.add(f"Enclosures ({rng.randint(1, 6)})" if rng.random() < 0.6 else "cc: File")

    def _minute_head(self, title: str, case: str) -> None:
        rng = self.rng
        self.center(self.court_toks())
        self.center(title)
        self.add("")
        self.add(
            *pad_to(["CASE NO: ", *wrap([case], Mark(L.CASE_NUMBER))], 44),
            f"HEARING DATE: {self.when.strftime('%m/%d/%Y')}",
        )
        judge = N.draw_name(rng, N.pick_pool(rng), rng.choice("MF"))
        self.add(f"DEPT: {rng.randint(1, 90)}    JUDICIAL OFFICER: HON. {judge[1]} {judge[0]}    CLERK: {_name(rng)}")
        self.add("")

    def civil_minute(self) -> None:
        rng = self.rng
        yy = self.when.year
        case = rng.choice(
            (
                f"{yy}-CV-{rng.randint(1000, 99999):05d}",
                f"BC{rng.randint(100000, 999999)}",
                f"RG{yy % 100:02d}{rng.randint(100000, 999999)}",
                f"37-{yy}-{rng.randint(10**7, 10**8 - 1)}-CL-UD-CTL",
                f"SC{rng.randint(10000, 99999)}",
            )
        )
        kind = rng.choice(
            (
                "UNLAWFUL DETAINER",
                "SMALL CLAIMS",
                "CIVIL HARASSMENT RESTRAINING ORDER",
                "LIMITED CIVIL - BREACH OF CONTRACT",
            )
        )
        self._minute_head("CIVIL MINUTE ORDER", case)
        plaintiff = rng.choice(
            (
                f"{rng.choice(('SUNRISE', 'OAKWOOD', 'VALLEY VIEW', 'HARBOR'))} "
                f"{rng.choice(('APARTMENTS LLC', 'PROPERTIES INC', 'MANAGEMENT CO'))}",
                None,
            )
        )
        self.add("PLAINTIFF: ", *(([plaintiff]) if plaintiff else wrap([_name(rng)], Mark(L.PERSON_NAME))))
        self.add("DEFENDANT: ", *wrap([self.subject_name()], Mark(L.PERSON_NAME)))
        self.add("")
        self.add(f"NATURE OF PROCEEDINGS: {kind}")
        self.add("")
        outcomes = {
            "UNLAWFUL DETAINER": "COURT TRIAL HELD. JUDGMENT FOR PLAINTIFF FOR POSSESSION OF THE PREMISES AND "
            f"HOLDOVER DAMAGES OF ${rng.randint(5, 90) * 10} PER DAY. WRIT OF POSSESSION TO ISSUE.",
            "SMALL CLAIMS": f"MATTER HEARD. JUDGMENT FOR PLAINTIFF IN THE AMOUNT OF ${rng.randint(200, 9999)} PLUS COSTS.",
            "CIVIL HARASSMENT RESTRAINING ORDER": "PETITION GRANTED. RESTRAINING ORDER AFTER HEARING ISSUED FOR A PERIOD "
            "OF THREE YEARS. RESPONDENT ORDERED TO STAY 100 YARDS AWAY.",
            "LIMITED CIVIL - BREACH OF CONTRACT": "CASE MANAGEMENT CONFERENCE HELD. MATTER SET FOR TRIAL. PARTIES ORDERED "
            "TO MEDIATION.",
        }
        self.para([outcomes[kind]])
        self.para(["NOTICE GIVEN BY CLERK. CERTIFICATE OF MAILING ATTACHED."])

    def family_minute(self) -> None:
        rng = self.rng
        case = rng.choice(
            (
                f"FL{rng.randint(100000, 999999)}",
                f"{self.when.year % 100:02d}FL{rng.randint(10000, 99999)}",
                f"FAM{rng.randint(10000, 99999)}",
                f"BD{rng.randint(100000, 999999)}",
            )
        )
        self._minute_head(rng.choice(("FAMILY LAW MINUTE ORDER", "MINUTE ORDER - FAMILY LAW")), case)
        self.add("PETITIONER: ", *wrap([_name(rng)], Mark(L.PERSON_NAME)))
        self.add("RESPONDENT: ", *wrap([self.subject_name()], Mark(L.PERSON_NAME)))
        self.add("")
        matter = rng.choice(
            (
                "REQUEST FOR ORDER RE: CHILD CUSTODY AND VISITATION",
                "DISSOLUTION OF MARRIAGE - STATUS CONFERENCE",
                "ORDER TO SHOW CAUSE RE: CHILD SUPPORT",
                "DOMESTIC VIOLENCE RESTRAINING ORDER HEARING",
            )
        )
        self.add(f"MATTER: {matter}")
        self.add("")
        self.para(
            [
                rng.choice(
                    (
                        f"BOTH PARTIES PRESENT. JOINT LEGAL CUSTODY ORDERED. PRIMARY PHYSICAL CUSTODY TO PETITIONER. RESPONDENT TO HAVE "
                        f"VISITATION ALTERNATE WEEKENDS. CHILD SUPPORT ORDERED AT ${rng.randint(150, 1200)} PER MONTH.",
                        "STATUS OF DISSOLUTION REVIEWED. JUDGMENT OF DISSOLUTION TO BE SUBMITTED WITHIN 60 DAYS.",
                        "RESTRAINING ORDER GRANTED AS REQUESTED. ORDER TO EXPIRE IN THREE YEARS. FIREARMS TO BE SURRENDERED WITHIN 24 HOURS.",
                    )
                )
            ]
        )
        self.para(
            [
                "PARTIES REFERRED TO FAMILY COURT SERVICES. NEXT HEARING SET "
                f"{(self.when + timedelta(days=rng.randint(20, 120))).strftime('%m/%d/%Y')}."
            ]
        )

    def traffic_minute(self) -> None:
        rng = self.rng
        cite = f"{rng.choice(('T', 'TR', 'C'))}{rng.randint(100000, 9999999)}"
        self._minute_head(rng.choice(("TRAFFIC MINUTE ORDER", "TRAFFIC DIVISION - MINUTES")), cite)
        self.add(
            "DEFENDANT: ",
            *wrap([self.subject_name()], Mark(L.PERSON_NAME)),
            "   DOB: ",
            *wrap([self.person.dob.strftime("%m/%d/%Y")], Mark(L.DOB)),
        )
        self.add("")
        code = rng.choice(
            (
                ("VC 22350", "UNSAFE SPEED"),
                ("VC 22450(a)", "FAIL TO STOP AT STOP SIGN"),
                ("VC 26708(a)(1)", "OBSTRUCTED WINDSHIELD"),
                ("VC 12951(a)", "NO LICENSE IN POSSESSION"),
                ("VC 5200", "DISPLAY OF LICENSE PLATES"),
                ("VC 23123(a)", "WIRELESS PHONE WHILE DRIVING"),
            )
        )
        self.add("VIOLATION: ", *wrap([code[0]], Mark(L.CHARGE)), f" {code[1]} - INFRACTION")
        self.add("")
        self.para(
            [
                rng.choice(
                    (
                        f"BAIL OF ${rng.randint(35, 490)} FORFEITED. CASE CLOSED.",
                        "DEFENDANT ELECTED TRAFFIC SCHOOL. COMPLETION CERTIFICATE FILED. VIOLATION DISMISSED AND HELD CONFIDENTIAL.",
                        "PROOF OF CORRECTION FILED. CHARGE DISMISSED UPON PAYMENT OF TRANSACTION FEE.",
                        f"TRIAL BY WRITTEN DECLARATION. COURT FINDS FOR DEFENDANT. BAIL OF ${rng.randint(35, 490)} REFUNDED.",
                    )
                )
            ]
        )

    def probation_report(self) -> None:
        rng, c, p = self.rng, self.county, self.person
        case = case_number(rng, c, self.when, True)
        self.center(f"{c.name} COUNTY PROBATION DEPARTMENT")
        self.center(
            rng.choice(
                ("PROBATION OFFICER'S REPORT", "PRE-SENTENCE INVESTIGATION REPORT", "SUPPLEMENTAL PROBATION REPORT")
            )
        )
        self.add("")
        self.add("DEFENDANT: ", *wrap([self.subject_name()], Mark(L.PERSON_NAME)))
        self.add(
            "DOB: ",
            *wrap([p.dob.strftime("%m/%d/%Y")], Mark(L.DOB)),
            "    CASE NO: ",
            *wrap([case], Mark(L.CASE_NUMBER)),
        )
        if rng.random() < 0.5:
            self.add("CII: ", *wrap([p.cii], Mark(L.CII)))
        self.add("COURT: ", *self.court_toks())
        self.add(f"HEARING DATE: {self.when.strftime('%m/%d/%Y')}    PROBATION OFFICER: {_name(rng)}")
        self.add("")
        self.add("PRESENT OFFENSE")
        self.add("")
        earlier = self.when - timedelta(days=rng.randint(30, 200))
        self.para(
            [
                f"According to the arrest report, on {_d(rng, earlier, 'long')}, officers contacted the defendant "
                f"during a traffic stop in {rng.choice(drawn_cities(c)).title()}. A search of the vehicle revealed a quantity of "
                "suspected marijuana packaged in individual bags and a digital scale. The defendant was charged with ",
                *self.prior_charge(earlier),
                " and ",
                *self.prior_charge(earlier),
                ". The matter is before the court for a report and recommendation.",
            ]
        )
        self.add("PRIOR RECORD")
        self.add("")
        year = max(1962, p.dob.year + 19)
        for _ in range(rng.randint(1, 4)):
            year = min(self.when.year - 1, year + rng.randint(1, 6))
            when = date(year, rng.randint(1, 12), rng.randint(1, 28))
            self.body.extend(
                wrap_tokens(
                    [
                        f"{when.year}  ",
                        *self.prior_charge(when),
                        " - ",
                        rng.choice(
                            (
                                "summary probation",
                                "county jail",
                                "fine",
                                "dismissed",
                                "no disposition reported",
                                "diversion",
                            )
                        ),
                    ],
                    self.width,
                    indent=6,
                )
            )
        self.add("")
        self.add("DEFENDANT'S STATEMENT")
        self.add("")
        self.para(
            [
                rng.choice(
                    (
                        "The defendant stated he was holding the marijuana for a friend and did not intend to sell it. He expressed "
                        "remorse and asked for the opportunity to complete a treatment program.",
                        "The defendant declined to make a statement on the advice of counsel.",
                        "The defendant acknowledged a long history of marijuana use beginning at age fifteen and stated that he has "
                        "been sober for six months.",
                    )
                )
            ]
        )
        self.add("EVALUATION AND RECOMMENDATION")
        self.add("")
        self.para(
            [
                "The defendant appears to be a suitable candidate for a grant of probation. It is respectfully "
                "recommended that imposition of sentence be suspended and the defendant be placed on formal probation "
                "under the usual terms and conditions, including search and testing conditions."
            ]
        )
        self.add("Respectfully submitted,")
        self.add("")
        self.add(_name(rng))
        self.add("DEPUTY PROBATION OFFICER")

    def draw(self) -> Drawn:
        getattr(self, self.layout)()
        rng = self.rng
        numbered = rng.random() < 0.5

        def footer(n: int, m: int) -> list[Line]:
            if not numbered:
                return []
            lab = f"PAGE {n} OF {m}"
            return [[""], [" " * ((self.width - len(lab)) // 2) + lab]]

        pages = paginate(self.body, rng.randint(52, 60), rng, footer=footer if numbered else None, slack=2)
        return Drawn(pages, [], "other", self.layout, allowed_labels=L.OTHER_DOC_LABELS)


def draw_other(rng: random.Random, layout: str) -> Drawn:
    if layout not in LAYOUTS:
        raise ValueError(f"unknown other layout {layout!r}")
    return _Other(rng, layout).draw()
