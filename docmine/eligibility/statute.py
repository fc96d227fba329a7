"""HS 11361.8 applied to one count: the `statute` policy's flow, rule by rule.

`candidate(count)` says whether a count is one the law is about at all (only those get an
explanation tree); `evaluate` (with the tree) and `relief` (without it) run the one flow,
`_flow`, which applies in order (docs/law.md gives each step's clause and source):

1. conviction or sustained juvenile petition (11361.8(a), (e), (m)); sources that disagree on
   the count (`people.merge_sources`), an unreadable charge that names marijuana, a pre-1973
   section or a PC 182 conspiracy go to a person;
2. relief already recorded; extraction confidence;
3. the offence before Prop 64 took effect (an arrest or conviction date after it bounds the
   offence from above only), and after the 1972-73 recodification;
4. the conduct read in its era (`eras.py`) and the person's age at the offence, from the date
   of birth on the count's own record (a sustained petition: under 18); a record that
   contradicts itself, or other dates of birth that would change the relief, go to a person;
5. what the conduct is today (`law.todays_level`), presuming what the record cannot show;
6. signs of a disqualifying fact in the same case (HS 11361);
7. priors, for 11358-11360 where they decide between misdemeanor and felony (juvenile
   adjudications are not prior convictions);
8. a sentence still being served (parole or PRCS after prison included);
9. the relief (`law.relief_for`), at the conviction's level after any PC 17(b) reduction.
"""

from __future__ import annotations

from datetime import date

from docmine.eligibility import law, sources
from docmine.eligibility.decision import Decision, Fact, Relief
from docmine.eligibility.eras import Possession, hs11357_meaning
from docmine.eligibility.model import CountFacts, History
from docmine.records import DispositionKind, Severity, UpdateKind

PROP64 = "prop64"
PRE_1973 = "pre_1973"
CONSPIRACY = "conspiracy"
UNREAD = "unread"  # no readable charge, but its text names a Prop 64 section or marijuana

DEFAULT_MIN_CONFIDENCE = 0.6


def candidate(count: CountFacts) -> str | None:
    """Which kind of Prop 64 candidate the count is, by its charge alone (None: not one)."""
    charge = count.charge
    if charge is None:
        return UNREAD if law.looks_like_marijuana(count.charge_text) else None
    if law.is_prop64_charge(charge):
        return PROP64
    if law.pre_1973_section(charge) is not None:
        return PRE_1973
    if law.is_conspiracy_to_prop64(charge, count.charge_text):
        return CONSPIRACY
    return None


_CANONICAL: dict[int, tuple] = {}  # id(charge) -> (charge, its canonical text); the charge kept alive


def canonical(charge) -> str | None:
    if charge is None:
        return None
    found = _CANONICAL.get(id(charge))
    if found is None or found[0] is not charge:
        text = charge.canonical
        if len(_CANONICAL) < 200_000:
            _CANONICAL[id(charge)] = (charge, text)
        return text
    return found[1]


def charge_fact(count: CountFacts) -> Fact:
    return Fact("charge", canonical(count.charge), count.source("charge"))


def _hand(name: str, reasoning: str, clause: str, facts, children=()) -> Decision:
    return Decision(name, Relief.HAND_REVIEW, reasoning, clause, tuple(facts), tuple(children))


def evaluate(
    count: CountFacts, history: History, as_of: date, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> Decision | None:
    """The statute's decision for a candidate conviction, with its explanation tree; None when
    the count is not one."""
    return _flow(count, history, as_of, min_confidence, [])


def relief(
    count: CountFacts, history: History, as_of: date, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> Relief | None:
    """`evaluate(...).value`, through the same flow (`_flow`) with no tree built: `check`
    tallies with it and builds the tree only when a result's `decision` is read
    (`check.Result`, which checks that the two agree)."""
    return _flow(count, history, as_of, min_confidence, None)


def _flow(count: CountFacts, history: History, as_of: date, min_confidence: float, steps: list | None):
    """The statute's flow, written once (module docstring). With `steps` (a list) every step is
    recorded and the root `Decision` returned; with None only the `Relief` is, and no
    explanation is built: each `if steps is not None` below is all the fast path pays."""
    kind = candidate(count)
    if kind is None or not count.convicted:
        return None
    charge = count.charge
    if steps is not None:
        facts = (charge_fact(count), Fact("disposition", count.disposition.value, count.source("disposition")))
        steps.append(
            Decision(
                "conviction",
                True,
                "a conviction or a sustained juvenile petition (11361.8(m) applies "
                "the section to juvenile adjudications)",
                "HS 11361.8(a), (e), (m)",
                facts,
            )
        )
    if kind == UNREAD:
        return _end(steps, Relief.HAND_REVIEW, unread_charge, count)
    if steps is not None and charge.attempted:
        steps.append(
            Decision(
                "attempt",
                True,
                "an attempt (PC 664) of the section: read as the section itself",
                "PC 664; HS 11361.8(e)",
                (charge_fact(count),),
            )
        )
    if count.conflicts:
        return _end(steps, Relief.HAND_REVIEW, sources_disagree, count)
    if kind == PRE_1973:
        return _end(steps, Relief.HAND_REVIEW, _old_section, count)
    if kind == CONSPIRACY:
        return _end(steps, Relief.HAND_REVIEW, _conspiracy, count)
    text = already_relieved(count)
    if text is not None:
        return _end(
            steps,
            Relief.NOT_ELIGIBLE,
            lambda: Decision(
                "already_relieved",
                Relief.NOT_ELIGIBLE,
                "11361.8 relief is already on the record",
                "HS 11361.8",
                (Fact("update", text, count.source("updates")),),
            ),
        )
    if steps is not None and count.set_aside_1203_4:
        steps.append(
            Decision(
                "set_aside_1203_4",
                True,
                "set aside under PC 1203.4; the count stays on the record and 11361.8 dismissal and sealing gives more",
                "PC 1203.4; HS 11361.8(e)",
                (Fact("update", "set_aside_1203_4", count.source("updates")),),
            )
        )
    if count.confidence < min_confidence:
        return _end(
            steps,
            Relief.HAND_REVIEW,
            lambda: _hand(
                "confidence",
                f"extraction confidence {count.confidence:.2f} is below {min_confidence:.2f}: a person "
                "checks the count against the page",
                "docmine policy: minimum confidence",
                (Fact("confidence", round(count.confidence, 3), count.source("charge")),),
            ),
        )

    when, when_name, offence_day = offence_timing_value(count)
    if steps is not None:
        timing = offence_timing(count)
        steps.append(timing)
    if when == "after":
        return _end(
            steps,
            Relief.NOT_ELIGIBLE,
            lambda: Decision(
                "offence_after_prop64",
                Relief.NOT_ELIGIBLE,
                "the offence was committed after Prop 64 took effect; the conviction is already under the new law",
                "HS 11361.8(a), (e)",
                timing.facts,
            ),
        )
    if when != "before":
        return _end(
            steps, Relief.HAND_REVIEW, lambda: _hand("offence_date", timing.reasoning, timing.clause, timing.facts)
        )
    if offence_day < law.RECODIFIED:
        return _end(
            steps,
            Relief.HAND_REVIEW,
            lambda: _hand(
                "old_numbering",
                f"an offence on {offence_day}, before Division 10 was repealed and re-enacted (Stats. "
                "1972, ch. 1407): the section then numbered another offence, so a person reads what the conviction was, "
                "as for the other pre-1973 sections",
                f"HS 11361.8(a), (e); {sources.RECODIFICATION_1972}",
                (charge_fact(count), Fact("offence_day", offence_day, timing.facts[0].source)),
            ),
        )

    section = charge.section
    possession = None
    if section == "11357":
        possession, era = hs11357_meaning(charge.subsections, offence_day)
        if steps is not None:
            steps.append(
                Decision(
                    "era",
                    possession.value,
                    f"HS 11357{''.join(f'({s})' for s in charge.subsections)} "
                    f"read in the {era.name} era ({era.start} to {era.end})",
                    "; ".join(era.sources),
                    (charge_fact(count), Fact("offence_day", offence_day, timing.facts[0].source)),
                )
            )
    age = age_value(count, history, offence_day)
    if steps is not None:
        age_step = age_at_offence(count, history, offence_day)
        steps.append(age_step)
    band = law.age_band(age)
    if (
        count.disposition is DispositionKind.SUSTAINED
        and band is not law.Band.UNDER_18
        and (dob_of(count, history) is not None or count.cycle_age is not None)
    ):
        return _end(
            steps,
            Relief.HAND_REVIEW,
            lambda: _hand(
                "record_contradicts",
                f"a sustained juvenile petition (the juvenile court takes a person under 18 at the "
                f"offence, WIC 602), yet the record puts the person at {age}: a person checks which is wrong",
                f"WIC 602; {sources.WIC_602}",
                (charge_fact(count),) + age_step.facts,
            ),
        )
    if possession is Possession.SCHOOL_MINOR and band is not law.Band.UNDER_18:
        return _end(
            steps,
            Relief.HAND_REVIEW,
            lambda: _hand(
                "record_contradicts",
                f"HS 11357(e) of the {offence_day.year} code applied only to persons under 18 on "
                f"school grounds, yet the record puts the person at {age}: a person checks which is wrong",
                f"HS 11357(e) (former); {sources.HS_11357_MOSCONE_ERA}",
                (charge_fact(count),) + age_step.facts,
            ),
        )
    if len(history.dobs) > 1:
        found = dob_conflict(count, history, as_of, offence_day, possession, band)
        if found is not None:
            return _end(steps, Relief.HAND_REVIEW, dob_conflict_decision, count, history, offence_day, found)
    return _today_on(count, history, as_of, offence_day, possession, band, steps)


def relief_at(
    count: CountFacts, history: History, as_of: date, offence_day: date, possession, band: law.Band
) -> Relief:
    """The relief from today's level on, for a person of `band` at the offence (`dob_conflict`
    tries each date of birth on record with it)."""
    return _today_on(count, history, as_of, offence_day, possession, band, None)


def _today_on(
    count: CountFacts, history: History, as_of: date, offence_day: date, possession, band: law.Band, steps: list | None
):
    """Steps 5-9 of the flow: today's level, the same case, priors, serving, the relief."""
    charge = count.charge
    section = charge.section
    reading = law.todays_level(section, charge.subsections, possession, band)
    if steps is not None:
        today_facts = [charge_fact(count), Fact("age_band", band.value, "")]
        today_facts += [
            Fact("presumed", p, "not on the record; presumed in the person's favour (HS 11361.8(b), (f))", True)
            for p in reading.presumed
        ]
        steps.append(Decision("today", reading.level.value, reading.reasoning, reading.clause, tuple(today_facts)))
    if reading.level is not law.Today.UNCHANGED:
        same_case = same_case_11361(count, history)
        if same_case:
            return _end(
                steps,
                Relief.HAND_REVIEW,
                lambda: _hand(
                    "same_case_11361",
                    "an HS 11361 count (employing or furnishing to a minor) in the same case suggests a "
                    "sale to a minor, which keeps the offence a felony",
                    "HS 11359(c)(3), 11360(a)(3)(C); HS 11361",
                    (Fact("same_case_charge", same_case[0].charge.canonical, same_case[0].source("charge")),),
                ),
            )
    if (
        section in ("11358", "11359", "11360")
        and reading.level is law.Today.MISDEMEANOR
        and count.level not in (Severity.MISDEMEANOR, Severity.INFRACTION)
    ):
        found = priors_found(count, history, section, offence_day)
        if steps is not None:
            prior = priors_decision(count, history, section, offence_day, found)
            steps.append(prior)
        if found[0] is not False:
            return _end(
                steps,
                Relief.HAND_REVIEW,
                lambda: _hand(
                    "priors",
                    prior.reasoning + "; under `statute` a person reviews it (the burden is on the prosecution, "
                    "11361.8(b), (f))",
                    prior.clause,
                    prior.facts,
                ),
            )
    serving = serving_value(count, as_of)
    relief, reasoning, clause = law.relief_for(reading.level, count.level, serving)
    if steps is None:
        return relief
    steps.append(serving_decision(count, as_of))
    facts = [Fact("severity", count.level.value, count.source("severity")), Fact("today", reading.level.value, "")]
    if count.level is not count.severity:
        facts.append(Fact("reduced_17b", True, count.source("updates")))
        clause = f"{clause}; PC 17(b); {sources.PC_17_B}"
    return _root(Decision("relief", relief, reasoning, clause, tuple(facts)), steps)


def _end(steps: list | None, relief: Relief, build, *args):
    """The step that decides: its relief on the fast path; the tree, with `build(*args)` as its
    last step, when explaining (the two must agree)."""
    if steps is None:
        return relief
    final = build(*args)
    if final.value is not relief:
        raise AssertionError(f"the flow's step {final.name} explains {final.value}, decides {relief}")
    return _root(final, steps)


def _old_section(count: CountFacts) -> Decision:
    old = law.pre_1973_section(count.charge)
    checked = "confirmed in a court opinion" if old.verified else "not confirmed by a source docmine read"
    return _hand(
        "old_section",
        f"{old.section} ({old.conduct}, {checked}) predates the 1972-73 recodification; 11361.8 "
        f"names {old.counterpart} as amended, so a person decides whether it reaches this conviction",
        "HS 11361.8(a), (e)" + (f"; {old.source}" if old.source else ""),
        (charge_fact(count),),
    )


def _conspiracy(count: CountFacts) -> Decision:
    return _hand(
        "conspiracy",
        "a conspiracy (PC 182) to commit a Prop 64 offence: the conviction is under PC 182, "
        "not 11357-11360, so a person decides",
        "HS 11361.8(e); PC 182",
        (charge_fact(count), Fact("charge_text", count.charge_text, count.source("charge"))),
    )


def already_relieved(count: CountFacts) -> str | None:
    """The text of an update recording 11361.8 relief already given, if any."""
    for update in count.updates:
        text = getattr(update, "text", "") or ""
        if update.kind in (UpdateKind.DISMISSED, UpdateKind.SEALED, UpdateKind.REDESIGNATED) and "11361.8" in text:
            return text
    return None


def same_case_11361(count: CountFacts, history: History) -> list[CountFacts]:
    """HS 11361 counts (employing or furnishing to a minor) in the count's own cycle."""
    return [
        c
        for c in history.counts
        if c is not count
        and c.cycle
        and c.cycle == count.cycle
        and c.charge is not None
        and c.charge.code == "HS"
        and c.charge.section == "11361"
    ]


def unread_charge(count: CountFacts) -> Decision:
    """Hand review for a conviction whose charge cannot be read but whose text names a Prop 64
    section or marijuana: it must reach a person, never vanish from the results."""
    return _hand(
        "charge_unread",
        f"the charge {count.charge_text!r} cannot be read as a code section, but it names a "
        "Prop 64 section or marijuana: a person reads the record",
        "HS 11361.8(a), (e)",
        (Fact("charge_text", count.charge_text, count.source("charge")),),
    )


def sources_disagree(count: CountFacts) -> Decision:
    """Hand review for a count whose sources disagree (`people.merge_sources`: the DOJ rows
    and the court docket of one case): which is right is for a person, who sees both. Nothing
    is presumed here: the presumption of HS 11361.8(b), (f) is for facts the record does not
    show, not for facts two records state differently."""
    parts, facts = [], []
    for conflict in count.conflicts:
        shown = " vs ".join(f"{v['value']} ({v['source']}: {v['where']})" for v in conflict["values"])
        parts.append(f"{conflict['field']}: {shown}")
        facts += [Fact(f"{conflict['field']}[{v['source']}]", v["value"], v["where"]) for v in conflict["values"]]
    return _hand(
        "sources_disagree",
        "the sources of this count disagree on " + "; ".join(parts) + ": a person checks which is right",
        "HS 11361.8(b), (f); docmine: sources that disagree are reviewed",
        facts,
    )


def _root(final: Decision, steps: list[Decision]) -> Decision:
    return Decision("statute", final.value, final.reasoning, final.clause, final.facts, tuple(steps) + (final,))


def offence_timing_value(count: CountFacts) -> tuple[str, str, date | None]:
    """(`before`/`after`/`unknown`/`unproven`, the date's name, the date): see `offence_timing`."""
    day = count.offense_date
    if day is not None:
        return ("before" if day < law.PROP64_OPERATIVE else "after"), "offense_date", day
    day = count.arrest_date
    if day is not None:  # the offence came on or before the arrest: an arrest date bounds it from above only
        return ("before" if day < law.PROP64_OPERATIVE else "unproven"), "arrest_date", day
    day = count.date
    if day is None:
        return "unknown", "conviction_date", None
    return ("before" if day < law.PROP64_OPERATIVE else "unproven"), "conviction_date", day


def offence_timing(count: CountFacts) -> Decision:
    """Whether the offence came before Prop 64 took effect (2016-11-09): 11361.8 reaches
    conduct "had that act been in effect at the time of the offense" (HS 11361.8(a), (e)).
    An offence date settles it either way. An arrest or conviction dated before proves it; one
    dated later cannot show it (the offence came on or before either), so a person checks."""
    clause = "HS 11361.8(a), (e)"
    when, name, day = offence_timing_value(count)
    if name == "arrest_date" and when == "unproven":
        return Decision(
            "offence_before_prop64",
            when,
            "arrested after Prop 64 took effect, with no offence date on "
            "the record: the offence came on or before the arrest, perhaps before 2016-11-09, so a person "
            "checks when it was",
            clause,
            (Fact(name, day, count.source(name)),),
        )
    if name != "conviction_date":
        return Decision(
            "offence_before_prop64",
            when,
            f"{name.replace('_', ' ')} {day} is {when} 2016-11-09",
            clause,
            (Fact(name, day, count.source(name)),),
        )
    if day is None:
        return Decision(
            "offence_before_prop64",
            "unknown",
            "no date on the record shows when the offence was: a person checks the date",
            clause,
            (Fact("offence_date", None, count.source("offense_date")),),
        )
    if day < law.PROP64_OPERATIVE:
        value, why = "before", f"convicted on {day}, before 2016-11-09, so the offence was earlier still"
    else:
        value = "unproven"
        why = f"convicted on {day}, after Prop 64, with no earlier date on the record: a person checks when the offence was"
    facts = (Fact("conviction_date", day, count.source("event_date")),)
    return Decision("offence_before_prop64", value, why, clause, facts)


def dob_of(count: CountFacts, history: History) -> date | None:
    """The date of birth the age rule uses: the one on the count's own name entry (its
    document's, or its DOJ row's), else the person's primary one."""
    return count.dob if count.dob is not None else history.dob


def _dob_source(count: CountFacts, history: History) -> str:
    if count.dob is not None:
        return count.source("dob") or history.dob_source_of(count.dob)
    return history.dob_source


def age_value(count: CountFacts, history: History, offence_day: date) -> int:
    """The age `age_at_offence` decides on."""
    dob = count.dob if count.dob is not None else history.dob
    if dob is not None:
        return law.age_on(dob, offence_day)
    if count.cycle_age is not None:
        return count.cycle_age
    if count.disposition is DispositionKind.SUSTAINED:
        return 17  # a sustained juvenile petition: under 18 at the offence (WIC 602)
    return 21


def age_at_offence(count: CountFacts, history: History, offence_day: date) -> Decision:
    """Age at the offence, which today's sections grade by (law.age_band). From the date of
    birth on the count's own record (`dob_of`); else the DOJ cycle age; else presumed 21 or
    over, the reading most in the person's favour (dismissal rather than redesignation) under
    HS 11361.8(b), (f)."""
    clause = "HS 11357(a), 11358(a)-(b), 11359(a)-(b), 11360(a)"
    dob = dob_of(count, history)
    if dob is not None:
        age = law.age_on(dob, offence_day)
        return Decision(
            "age_at_offence",
            age,
            f"born {dob}, {age} on {offence_day}",
            clause,
            (Fact("dob", dob, _dob_source(count, history)), Fact("offence_day", offence_day, "")),
        )
    if count.cycle_age is not None:
        return Decision(
            "age_at_offence",
            count.cycle_age,
            f"{count.cycle_age} at the arrest cycle",
            clause,
            (Fact("cycle_age", count.cycle_age, count.source("cycle_age")),),
        )
    if count.disposition is DispositionKind.SUSTAINED:
        return Decision(
            "age_at_offence",
            17,
            "no date of birth, but a sustained juvenile petition: the juvenile court "
            'takes a person "under 18 years of age when he or she violates any law" (WIC 602), so '
            "under 18 at the offence",
            f"WIC 602; {sources.WIC_602}",
            (Fact("disposition", count.disposition.value, count.source("disposition")),),
        )
    return Decision(
        "age_at_offence",
        21,
        "no date of birth: presumed 21 or over, the reading in the person's favour",
        "HS 11361.8(b), (f)",
        (Fact("age_at_offence", "21 or over", "not on the record", True),),
    )


def dob_conflict(
    count: CountFacts, history: History, as_of: date, offence_day: date, possession, band: law.Band
) -> tuple | None:
    """A person with several dates of birth on record (`History.dobs`, from every input
    linked): the first other date that puts the offence in another age band (HS 11357-11360
    grade by 18 and 21) AND changes the count's relief, as (used, other, relief with used,
    relief with other); None when no date on record would change it."""
    used = dob_of(count, history)
    if used is None:
        return None
    mine = None
    for other in history.dobs:
        if other == used:
            continue
        other_band = law.age_band(law.age_on(other, offence_day))
        if other_band is band:
            continue
        if mine is None:
            mine = relief_at(count, history, as_of, offence_day, possession, band)
        theirs = relief_at(count, history, as_of, offence_day, possession, other_band)
        if theirs is not mine:
            return used, other, mine, theirs
    return None


def dob_conflict_decision(count: CountFacts, history: History, offence_day: date, found: tuple) -> Decision:
    used, other, mine, theirs = found
    a, b = law.age_on(used, offence_day), law.age_on(other, offence_day)
    return _hand(
        "dob_conflict",
        f"the dates of birth on record disagree: born {used} the person was {a} on "
        f"{offence_day} ({mine.value}), born {other} {b} ({theirs.value}); the age decides the relief, so "
        "a person checks which date is right",
        "HS 11357(a), 11358(a)-(b), 11359(a)-(b), 11360(a); HS 11361.8(b), (f)",
        (
            Fact("dob", used, _dob_source(count, history)),
            Fact("other_dob", other, history.dob_source_of(other)),
            Fact("offence_day", offence_day, ""),
        ),
    )


def priors_found(count: CountFacts, history: History, section: str, offence_day: date) -> tuple:
    """What `priors_decision` finds, first hit wins: (`super_strike`, prior, listed),
    (`pc290c`, prior, listed), (`two_priors`, priors), (`two_earlier_same_section`, priors),
    (`registration`, event), else (False, earlier convictions)."""
    # A sustained juvenile petition is not a "prior conviction" for these clauses (WIC 203; People v.
    # Zamora (2017), on the same words in HS 11377: sources.JUVENILE_NOT_CONVICTION).
    earlier = [
        c
        for c in history.convictions
        if c is not count
        and c.date is not None
        and c.date < offence_day
        and c.disposition is not DispositionKind.SUSTAINED
    ]
    for prior in earlier:
        found = law.super_strike(prior.charge)
        if found is not None:
            return "super_strike", prior, found
    for prior in earlier:
        found = law.pc290c_offence(prior.charge)
        if found is not None:
            return "pc290c", prior, found
    same = [p for p in earlier if p.charge is not None and law.prior_under_new_subdivision(p.charge, section)]
    if len(same) >= 2:
        return "two_priors", same
    older = [p for p in earlier if p.charge is not None and p.charge.code == "HS" and p.charge.section == section]
    if len(older) >= 2:
        return "two_earlier_same_section", older
    registrations = [r for r in history.registrations if r.date is not None and r.date < offence_day]
    if registrations:
        return "registration", registrations[0]
    return False, earlier


def priors_decision(
    count: CountFacts, history: History, section: str, offence_day: date, found: tuple | None = None
) -> Decision:
    """Priors that keep 11358-11360 felonies today: a super strike (PC 667(e)(2)(C)(iv)) or a
    PC 290(c) offence, or two priors under the new misdemeanor subdivision (HS 11358(d),
    11359(c)(1)-(2), 11360(a)(3)(A)-(B); sources HS_11358_PRIORS, HS_11359_TODAY,
    HS_11360_TODAY). A REGISTRATION event is evidence to flag, not proof: it may be a drug or
    arson registration. Value False when nothing was found, else the reason found first
    (`priors_found`)."""
    # The prior that keeps the felony: a super strike or PC 290(c) offence, HS 11358(d),
    # 11359(c)(1), 11360(a)(3)(A); two priors of the section, HS 11358(d), 11359(c)(2), 11360(a)(3)(B).
    clause = {"11358": "HS 11358(d)", "11359": "HS 11359(c)(1)", "11360": "HS 11360(a)(3)(A)"}[section]
    two_clause = {"11358": "HS 11358(d)", "11359": "HS 11359(c)(2)", "11360": "HS 11360(a)(3)(B)"}[section]
    kind, *found = found if found is not None else priors_found(count, history, section, offence_day)
    if kind in ("super_strike", "pc290c"):
        prior, listed = found
        if kind == "super_strike":
            what = f"a PC 667(e)(2)(C)(iv) offence ({listed.item}; {listed.match.value})"
            cited = f"{clause}; PC 667(e)(2)(C)(iv) (Prop 36, 2012), as PC 1170.12(c)(2)(C)(iv); {sources.PC_667}"
        else:
            what = f"a PC 290(c) offence ({listed.match.value})"
            cited = f"{clause}; PC 290(c); {sources.PC_290_C}; {sources.PC_290_C_236_1}"
        return Decision(
            "priors",
            kind,
            f"a prior conviction of {prior.charge.canonical} on {prior.date} is {what}",
            cited,
            (
                Fact("prior", prior.charge.canonical, prior.source("charge")),
                Fact("prior_date", prior.date, prior.source("event_date")),
            ),
        )
    if kind in ("two_priors", "two_earlier_same_section"):
        priors = found[0]
        if kind == "two_priors":
            why = f"{len(priors)} prior convictions under the new misdemeanor subdivision of HS {section}"
        else:
            why = (
                f"{len(priors)} earlier convictions of HS {section} from before Prop 64: "
                "whether they count as priors under the new subdivision is for a court"
            )
        return Decision(
            "priors",
            kind,
            why,
            two_clause,
            tuple(Fact("prior", p.charge.canonical, p.source("charge")) for p in priors),
        )
    if kind == "registration":
        r = found[0]
        return Decision(
            "priors",
            "registration",
            f"a registration on {r.date} ({r.charge_text or 'registration'}) may "
            "be a PC 290(c) registration, or a drug or arson one: evidence to check, not proof",
            f"{clause}; PC 290(c)",
            (
                Fact("registration", r.charge_text, r.source("charge")),
                Fact("registration_date", r.date, r.source("event_date")),
            ),
        )
    return Decision(
        "priors",
        False,
        "no super strike, PC 290(c) offence, two priors or registration before the offence on this record",
        clause,
        (Fact("earlier_convictions", len(found[0]), ""),),
    )


def _serving_end(count: CountFacts) -> tuple[date | None, bool]:
    """The last day of the sentence, parole or PRCS after a prison term included, and whether
    that supervision sets it."""
    end = count.sentence_end()
    if count.prison_days is None:
        return end, False
    supervised = count.supervision_end()
    if supervised is not None and (end is None or supervised > end):
        return supervised, True
    return end, False


def serving_value(count: CountFacts, as_of: date) -> bool:
    """Whether `serving_decision` finds a sentence still being served."""
    end = _serving_end(count)[0]
    return end is not None and end > as_of


def serving_decision(count: CountFacts, as_of: date) -> Decision:
    """Whether the sentence is still being served on `as_of` (11361.8(a) then applies). A
    sentence whose length is not on the record is presumed completed. Parole or post-release
    community supervision after a prison term is part of the sentence still being served."""
    end, supervised = _serving_end(count)  # as `serving_value`
    if end is None:
        return Decision(
            "serving",
            False,
            "no sentence length on the record: presumed completed",
            "HS 11361.8(a), (e)",
            (Fact("sentence", count.sentence_text or None, count.source("sentence"), True),),
        )
    serving = end > as_of
    shown = "life" if end == date.max else end.isoformat()
    if supervised:
        return Decision(
            "serving",
            serving,
            f"a prison term is followed by parole or post-release community "
            f"supervision of up to 3 years, part of the sentence: it may run to {shown}; evaluated on "
            f"{as_of}",
            f"HS 11361.8(a), (e); PC 3451; {sources.PRCS_3_YEARS}; {sources.SERVING_INCLUDES_SUPERVISION}",
            (
                Fact("sentence", count.sentence_text, count.source("sentence")),
                Fact("as_of", as_of, "--as-of"),
                Fact("supervision", "3 years after release, at the longest", "", True),
            ),
        )
    return Decision(
        "serving",
        serving,
        f"sentence ends {shown}; evaluated on {as_of}",
        "HS 11361.8(a), (e)",
        (Fact("sentence", count.sentence_text, count.source("sentence")), Fact("as_of", as_of, "--as-of")),
    )
