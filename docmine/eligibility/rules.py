"""The named tests a policy file's steps are built from.

A policy step says `when = ["not_felony", {rule = "section_in", args = ["HS 11357"]}]`: each
name here is a function `(ctx, *args) -> (bool, facts, note)`. They read the count, the
person's other counts in the same input and the evaluation date; none of them decides a
relief on its own. Dates before/after compare the conviction (court event) dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from docmine.charges import Charge
from docmine.eligibility import law, statute
from docmine.eligibility.decision import Decision, Fact
from docmine.eligibility.model import CountFacts, History
from docmine.records import Severity

Outcome = tuple[bool, tuple[Fact, ...], str]
RULES: dict[str, Callable[..., Outcome]] = {}


def rule(fn):
    RULES[fn.__name__] = fn
    return fn


@dataclass
class Context:
    count: CountFacts
    history: History
    as_of: date
    params: dict[str, Any]
    min_confidence: float = statute.DEFAULT_MIN_CONFIDENCE
    policy_day: date | None = None  # the policy's own evaluation date (`Policy.evaluation_date`)
    _statute: Any = field(default=False)

    @property
    def day(self) -> date:
        """The day ages and look-back windows are measured on: the policy's, else `as_of`."""
        return self.policy_day or self.as_of

    def statute_decision(self) -> Decision | None:
        if self._statute is False:
            self._statute = statute.evaluate(self.count, self.history, self.as_of, min_confidence=self.min_confidence)
        return self._statute


def parse_spec(spec: str) -> tuple[Charge, bool]:
    """`HS 11357` (any subsection), `HS 11357(a)` (that subsection and below), `HS 11357()` (none)."""
    exact = spec.endswith("()")
    return Charge.parse(spec[:-2] if exact else spec), exact


def charge_matches(charge: Charge | None, spec: tuple[Charge, bool]) -> bool:
    target, exact = spec
    if charge is None or charge.code != target.code or charge.section != target.section:
        return False
    if exact:
        return not charge.subsections
    return charge.subsections[: len(target.subsections)] == target.subsections


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _age(ctx: "Context", day: date | None) -> int | None:
    """Age on `day` from the date of birth on the count's own name entry (its document's or
    DOJ row's), else the person's primary one (`statute.dob_of`)."""
    dob = ctx.count.dob if ctx.count.dob is not None else ctx.history.dob
    if dob is None or day is None:
        return None
    return law.age_on(dob, day)


def _dob_source(ctx: "Context") -> str:
    if ctx.count.dob is not None:
        return ctx.count.source("dob") or ctx.history.dob_source_of(ctx.count.dob)
    return ctx.history.dob_source


def _cf(count: CountFacts) -> Fact:
    return statute.charge_fact(count)


def _specs(ctx: Context, args) -> list[tuple[Charge, bool]]:
    """Args are charge specs, or the name of a list in the policy's [params]."""
    out = []
    for arg in args:
        values = ctx.params.get(arg, [arg]) if isinstance(arg, str) and not arg[:1].isupper() else [arg]
        out.extend(parse_spec(v) for v in values)
    return out


# --- the count itself ------------------------------------------------------------------------


@rule
def always(ctx: Context) -> Outcome:
    return True, (), ""


@rule
def not_felony(ctx: Context) -> Outcome:
    c = ctx.count
    return (
        c.level in (Severity.MISDEMEANOR, Severity.INFRACTION),
        (Fact("severity", c.level.value, c.source("updates") if c.level is not c.severity else c.source("severity")),),
        "reduced under PC 17(b)" if c.level is not c.severity else "",
    )


@rule
def section_in(ctx: Context, *specs: str) -> Outcome:
    hit = any(charge_matches(ctx.count.charge, s) for s in _specs(ctx, specs))
    return hit, (_cf(ctx.count),), ", ".join(specs)


@rule
def convicted_on_or_after(ctx: Context, day: str) -> Outcome:
    c = ctx.count
    when = c.date
    return (
        when is not None and when >= date.fromisoformat(day),
        (Fact("conviction_date", when, c.source("event_date")),),
        day,
    )


@rule
def serving_sentence(ctx: Context) -> Outcome:
    end = ctx.count.sentence_end()
    return (
        end is not None and end > ctx.as_of,
        (Fact("sentence", ctx.count.sentence_text, ctx.count.source("sentence")), Fact("as_of", ctx.as_of)),
        "",
    )


@rule
def sentence_completed(ctx: Context) -> Outcome:
    hit, facts, note = serving_sentence(ctx)
    return not hit, facts, note


@rule
def probation_completed(ctx: Context) -> Outcome:
    end = ctx.count.probation_end()
    return (
        end is not None and end <= ctx.as_of,
        (Fact("sentence", ctx.count.sentence_text, ctx.count.source("sentence")),),
        "",
    )


@rule
def set_aside_1203_4(ctx: Context) -> Outcome:
    return ctx.count.set_aside_1203_4, (Fact("set_aside_1203_4", ctx.count.set_aside_1203_4),), ""


@rule
def place_in(ctx: Context, *places: str) -> Outcome:
    names = {p.upper() for arg in places for p in ctx.params.get(arg, [arg])}
    return ctx.count.place in names, (Fact("place", ctx.count.place, ctx.count.source("place")),), ""


@rule
def statute_relief_in(ctx: Context, *reliefs: str) -> Outcome:
    decision = ctx.statute_decision()
    value = decision.value.value if decision is not None else None
    return value in reliefs, (Fact("statute_relief", value),), ""


# --- age and time ------------------------------------------------------------------------------


@rule
def age_at_conviction_below(ctx: Context, years: int) -> Outcome:
    age = _age(ctx, ctx.count.date)
    return age is not None and age < years, (Fact("age_at_conviction", age, _dob_source(ctx)),), ""


@rule
def age_at_least(ctx: Context, years: int) -> Outcome:
    age = _age(ctx, ctx.day)
    return (
        age is not None and age >= years,
        (Fact("age_on_evaluation_date", age, _dob_source(ctx)), Fact("evaluation_date", ctx.day)),
        "",
    )


@rule
def age_at_most(ctx: Context, years: int) -> Outcome:
    age = _age(ctx, ctx.day)
    return (
        age is not None and age <= years,
        (Fact("age_on_evaluation_date", age, _dob_source(ctx)), Fact("evaluation_date", ctx.day)),
        "",
    )


@rule
def years_since_conviction_at_least(ctx: Context, years: int) -> Outcome:
    when = ctx.count.date
    return (
        when is not None and when <= _years_before(ctx.day, years),
        (Fact("conviction_date", when, ctx.count.source("event_date")),),
        "",
    )


# --- the person's record -----------------------------------------------------------------------


@rule
def deceased(ctx: Context) -> Outcome:
    return ctx.history.deceased, (Fact("deceased", ctx.history.deceased, "DECEASED event"),), ""


@rule
def only_prop64_convictions(ctx: Context) -> Outcome:
    others = [c for c in ctx.history.convictions if not law.is_prop64_charge(c.charge)]
    return not others, tuple(Fact("other_conviction", c.charge_text, c.source("charge")) for c in others[:3]), ""


@rule
def all_sentences_completed(ctx: Context) -> Outcome:
    running = [c for c in ctx.history.convictions if (c.sentence_end() or date.min) > ctx.as_of]
    return not running, tuple(Fact("running_sentence", c.sentence_text, c.source("sentence")) for c in running[:3]), ""


@rule
def no_conviction_within_years(ctx: Context, years: int) -> Outcome:
    since = _years_before(ctx.day, years)
    recent = [c for c in ctx.history.convictions if c.date is not None and c.date > since]
    return not recent, tuple(Fact("recent_conviction", c.date, c.source("event_date")) for c in recent[:3]), ""


@rule
def more_than_one_conviction(ctx: Context) -> Outcome:
    n = len(ctx.history.convictions)
    return n > 1, (Fact("convictions_on_record", n),), ""


@rule
def most_recent_conviction_older_than(ctx: Context, years: int) -> Outcome:
    dates = [c.date for c in ctx.history.convictions if c.date is not None]
    last = max(dates) if dates else None
    return last is not None and last < _years_before(ctx.day, years), (Fact("most_recent_conviction", last),), ""


def _listed_prior(ctx: Context, list_name: str, *, before: bool) -> CountFacts | None:
    specs = [parse_spec(s) for s in ctx.params.get(list_name, [])]
    gang = ctx.params.get(list_name + "_with_enhancement", [])
    enhancement = ctx.params.get("gang_enhancement")
    has_enhancement = enhancement is not None and any(
        charge_matches(c.charge, parse_spec(enhancement)) for c in ctx.history.convictions
    )
    gang_specs = [parse_spec(s) for s in gang] if has_enhancement else []
    this = ctx.count.date
    for c in ctx.history.convictions:
        if c is ctx.count or (before and (c.date is None or this is None or not c.date < this)):
            continue
        if any(charge_matches(c.charge, s) for s in specs) or any(charge_matches(c.charge, s) for s in gang_specs):
            return c
    return None


@rule
def prior_listed(ctx: Context, list_name: str) -> Outcome:
    """A conviction before this one whose charge is on the policy's list `list_name`."""
    hit = _listed_prior(ctx, list_name, before=True)
    facts = (Fact("prior", hit.charge.canonical, hit.source("charge")), Fact("prior_date", hit.date)) if hit else ()
    return hit is not None, facts, list_name


@rule
def record_has_listed(ctx: Context, list_name: str) -> Outcome:
    """Any conviction on the person's record (before or after) whose charge is on the list."""
    hit = _listed_prior(ctx, list_name, before=False)
    facts = (Fact("conviction", hit.charge.canonical, hit.source("charge")), Fact("date", hit.date)) if hit else ()
    return hit is not None, facts, list_name


@rule
def prior_registration(ctx: Context) -> Outcome:
    this = ctx.count.date
    regs = [r for r in ctx.history.registrations if r.date is not None and this is not None and r.date < this]
    return bool(regs), tuple(Fact("registration", r.charge_text, r.source("charge")) for r in regs[:1]), ""


@rule
def record_has_registration(ctx: Context) -> Outcome:
    regs = ctx.history.registrations
    return bool(regs), tuple(Fact("registration", r.charge_text, r.source("charge")) for r in regs[:1]), ""


@rule
def earlier_same_section_at_least(ctx: Context, n: int) -> Outcome:
    c = ctx.count
    if c.charge is None or c.date is None:
        return False, (), ""
    earlier = [
        p
        for p in ctx.history.convictions
        if p is not c
        and p.date is not None
        and p.date < c.date
        and law.is_prop64_charge(p.charge)
        and p.charge.section == c.charge.section
    ]
    return len(earlier) >= n, tuple(Fact("earlier", p.charge.canonical, p.source("charge")) for p in earlier[:3]), ""


@rule
def same_section_convictions_at_least(ctx: Context, n: int, *sections: str) -> Outcome:
    c = ctx.count
    if c.charge is None or (sections and c.charge.section not in sections):
        return False, (), ""
    same = [
        p
        for p in ctx.history.convictions
        if p.charge is not None and p.charge.code == c.charge.code and p.charge.section == c.charge.section
    ]
    return len(same) >= n, (Fact("same_section_convictions", len(same)),), ""


@rule
def prop64_in_same_cycle(ctx: Context) -> Outcome:
    c = ctx.count
    hits = [o for o in ctx.history.counts if o is not c and o.cycle == c.cycle and law.is_prop64_charge(o.charge)]
    return bool(hits), tuple(Fact("same_cycle", o.charge.canonical, o.source("charge")) for o in hits[:1]), ""


@rule
def cycle_all_prop64_or_listed(ctx: Context, list_name: str) -> Outcome:
    c = ctx.count
    specs = [parse_spec(s) for s in ctx.params.get(list_name, [])]
    others = [
        o
        for o in ctx.history.convictions
        if o.cycle == c.cycle
        and not law.is_prop64_charge(o.charge)
        and not any(charge_matches(o.charge, s) for s in specs)
    ]
    return not others, tuple(Fact("other_in_cycle", o.charge_text, o.source("charge")) for o in others[:3]), ""


def apply(ctx: Context, spec) -> tuple[bool, Decision]:
    """Apply one `when` entry (a name, `!name`, or {rule, args, not}) and explain it."""
    if isinstance(spec, str):
        negate = spec.startswith("!")
        name, args = spec.lstrip("!"), []
    else:
        name, args, negate = spec["rule"], list(spec.get("args", [])), bool(spec.get("not", False))
    fn = RULES[name]
    hit, facts, note = fn(ctx, *args)
    value = (not hit) if negate else hit
    label = ("not " if negate else "") + name + (f"({', '.join(map(str, args))})" if args else "")
    return value, Decision(label, value, note or label, "", facts)
