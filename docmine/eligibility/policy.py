"""Policies as data: TOML files that say which counts an office considers and how it decides.

A policy file (see `policies/*.toml`, shipped in the package) has:

- `name`, `title`, `source` (where the policy was read), `description`;
- `evaluation_date` (optional, a TOML date): the day the policy was written for; ages and
  look-back windows are measured on it, while `--as-of` still decides what is being served;
- `[scope]`: `charges` (`statute`: HS 11357-11360, their pre-1973 predecessors and PC 182
  conspiracies; `prop64`: HS 11357-11360 only), optional `county` (the office's counties),
  `also` (a [params] list of other charges the office considers, e.g. related charges), and
  `exclude` (rules that take a count out of scope);
- `[params]`: lists and numbers the steps refer to by name;
- `[[step]]`s, first hit wins: `when` (all must hold) and/or `when_any` (one must hold), a
  `relief` (a `Relief` value, `statute` to apply HS 11361.8 as `statute.py` does, or `reduce`:
  redesignate as misdemeanor, or recall and resentence while a sentence is served), the
  `reason` in the office's words and the `clause` it cites.

`load_policy` takes a shipped name or a path; the file's SHA-256 goes into every output.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from docmine.eligibility import law, rules, statute
from docmine.eligibility.decision import Decision, Fact, Relief
from docmine.eligibility.model import CountFacts, History
from docmine.errors import DocmineError

SPECIAL_RELIEFS = ("statute", "reduce")
SCOPES = ("statute", "prop64")


@dataclass(frozen=True, slots=True)
class Step:
    number: int
    when: tuple
    when_any: tuple
    relief: str
    reason: str
    clause: str


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    title: str
    source: str
    description: str
    charges: str
    counties: frozenset[str]
    also: tuple[tuple, ...]  # parsed charge specs considered besides the scope's sections
    exclude: tuple
    params: dict[str, Any]
    steps: tuple[Step, ...]
    min_confidence: float
    path: str
    sha256: str
    # The day the policy was written for (`evaluation_date`, e.g. the LA motion's): ages and
    # look-back windows are measured on it; `--as-of` still decides what is being served.
    evaluation_date: date | None = None

    def in_scope(self, count: CountFacts, history: History, as_of: date) -> bool:
        """Whether this office decides the count (it is then written out with a relief)."""
        if not count.convicted:
            return False
        if self.counties and (count.county or "") not in self.counties:
            return False
        kind = statute.candidate(count)
        if self.charges == "prop64" and kind not in (statute.PROP64, statute.UNREAD):
            kind = None
        if kind is None and not any(rules.charge_matches(count.charge, s) for s in self.also):
            return False
        if self.exclude:
            ctx = rules.Context(count, history, as_of, self.params, self.min_confidence, self.evaluation_date)
            if any(rules.apply(ctx, spec)[0] for spec in self.exclude):
                return False
        return True

    def relief(self, count: CountFacts, history: History, as_of: date) -> Relief:
        """`decide(...).value`, without the explanation tree where the policy is HS 11361.8
        alone (one step, `always`, relief `statute`: `statute.relief` walks the same flow)."""
        if self.statute_only:
            found = statute.relief(count, history, as_of, min_confidence=self.min_confidence)
            return Relief.HAND_REVIEW if found is None else found
        return self.decide(count, history, as_of).value

    @property
    def statute_only(self) -> bool:
        """One step, `always`, relief `statute`: the policy is HS 11361.8 and nothing else."""
        if len(self.steps) != 1:
            return False
        step = self.steps[0]
        return step.relief == "statute" and step.when == ("always",) and not step.when_any

    def charge_prefilter(self):
        """A cheap test on a raw charge text that every charge `in_scope` can accept passes
        (`doj.read_doj` skips building subjects with none). A section's whole-number part is
        always written digit for digit in the text (`Charge` keeps "digit for digit", removing
        only spaces around a decimal point), so the test is whether the text contains the
        whole-number part of a scope section (HS 11357-11360, the pre-1973 sections; a PC 182
        conspiracy counts only when its text names 11357-11360) or of an `also` charge."""
        return _prefilter(self.charges, tuple(spec.section for spec, _ in self.also))

    def decide(self, count: CountFacts, history: History, as_of: date) -> Decision:
        """The policy's decision for an in-scope count: the steps tried, the one that hit."""
        if statute.candidate(count) == statute.UNREAD:  # no step can read a charge that cannot be read
            return statute.evaluate(count, history, as_of, min_confidence=self.min_confidence)
        ctx = rules.Context(count, history, as_of, self.params, self.min_confidence, self.evaluation_date)
        tried: list[Decision] = []
        for step in self.steps:
            checks = [rules.apply(ctx, spec) for spec in step.when]
            ok = all(v for v, _ in checks)
            if ok and step.when_any:
                anys = []
                for spec in step.when_any:
                    v, d = rules.apply(ctx, spec)
                    anys.append((v, d))
                    if v:
                        break
                checks += anys
                ok = any(v for v, _ in anys)
            node = Decision(f"step {step.number}", ok, step.reason, step.clause, (), tuple(d for _, d in checks))
            if not ok:
                tried.append(node)
                continue
            relief, final = self._relief(step, ctx)
            children = tuple(tried) + (node,) + ((final,) if final is not None else ())
            reasoning = step.reason if final is None else f"{step.reason}: {final.reasoning}"
            clause = step.clause if final is None else "; ".join(x for x in (step.clause, final.clause) if x)
            return Decision(self.name, relief, reasoning, clause, (statute.charge_fact(count),), children)
        return Decision(
            self.name, Relief.HAND_REVIEW, "no step of the policy applies: a person decides",
            f"{self.name}: no step", (statute.charge_fact(count),), tuple(tried),
        )  # fmt: skip

    def _relief(self, step: Step, ctx: rules.Context) -> tuple[Relief, Decision | None]:
        if step.relief == "statute":
            decision = ctx.statute_decision()
            if decision is None:
                return Relief.HAND_REVIEW, Decision(
                    "statute",
                    Relief.HAND_REVIEW,
                    "HS 11361.8 does not reach this count's charge: a person decides",
                    "HS 11361.8(a), (e)",
                    (statute.charge_fact(ctx.count),),
                )
            return decision.value, decision
        if step.relief == "reduce":
            serving, _, _ = rules.serving_sentence(ctx)
            if serving:
                return Relief.RECALL_AND_RESENTENCE, Decision(
                    "serving",
                    True,
                    "a sentence is still being served",
                    "HS 11361.8(a)-(b)",
                    (Fact("as_of", ctx.as_of),),
                )
            return Relief.REDESIGNATE_MISDEMEANOR, None
        return Relief(step.relief), None


_PREFILTERS: dict = {}


def _prefilter(charges: str, also_sections: tuple[str, ...]):
    key = (charges, also_sections)
    found = _PREFILTERS.get(key)
    if found is None:
        sections = set(law.PROP64_SECTIONS)
        if charges == "statute":
            sections |= set(law.PRE_1973_MARIJUANA)
        sections |= set(also_sections)
        wholes = {re.match(r"\d*", s).group() for s in sections}
        if "" in wholes:  # a section not starting with a digit: no cheap test, keep everything
            found = _PREFILTERS[key] = lambda text: True
        else:
            # and the words that mark an unread marijuana charge (`law.looks_like_marijuana`)
            words = ["MARIJUANA", "MARIHUANA", "CANNABIS", "MJ"]
            found = _PREFILTERS[key] = re.compile(
                "|".join(sorted(map(re.escape, wholes)) + words), re.IGNORECASE
            ).search
    return found


def available_policies() -> list[str]:
    folder = resources.files("docmine.eligibility").joinpath("policies")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_policy(name_or_path: str | Path) -> Policy:
    """A shipped policy by name (`statute`, `la-pilot-2019`, ...) or a policy file by path."""
    path = Path(name_or_path)
    if path.suffix.lower() in (".toml",) or path.exists():
        if not path.is_file():
            raise DocmineError(f"{path}: no such policy file")
        data, where = path.read_bytes(), str(path)
    else:
        resource = resources.files("docmine.eligibility").joinpath("policies", f"{name_or_path}.toml")
        if not resource.is_file():
            raise DocmineError(
                f"unknown policy {name_or_path!r}: choose one of {', '.join(available_policies())} or give a .toml file"
            )
        data, where = resource.read_bytes(), f"docmine/eligibility/policies/{name_or_path}.toml"
    try:
        return parse_policy(tomllib.loads(data.decode("utf-8")), where, hashlib.sha256(data).hexdigest())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DocmineError(f"{where}: not a readable TOML policy: {exc}") from exc


def parse_policy(data: dict[str, Any], where: str, sha256: str) -> Policy:
    def fail(problem: str):
        raise DocmineError(f"{where}: {problem}")

    for key in ("name", "step"):
        if key not in data:
            fail(f"missing `{key}`")
    scope = data.get("scope", {})
    params = data.get("params", {})
    charges = scope.get("charges", "statute")
    if charges not in SCOPES:
        fail(f"scope.charges must be one of {', '.join(SCOPES)}, not {charges!r}")
    steps = []
    for number, raw in enumerate(data["step"], 1):
        relief = raw.get("relief")
        if relief not in SPECIAL_RELIEFS and relief not in {r.value for r in Relief}:
            fail(f"step {number}: unknown relief {relief!r}")
        when, when_any = tuple(raw.get("when", ())), tuple(raw.get("when_any", ()))
        for spec in when + when_any:
            name = spec.lstrip("!") if isinstance(spec, str) else spec.get("rule")
            if name not in rules.RULES:
                fail(f"step {number}: unknown rule {name!r}")
        steps.append(Step(number, when, when_any, relief, raw.get("reason", ""), raw.get("clause", "")))
    try:
        also = tuple(rules.parse_spec(s) for s in params.get(scope.get("also", ""), []))
    except ValueError as exc:
        fail(f"scope.also: {exc}")
    evaluation_date = data.get("evaluation_date")
    if evaluation_date is not None and not isinstance(evaluation_date, date):
        fail(f"evaluation_date must be a date (2020-02-11), not {evaluation_date!r}")
    return Policy(
        name=data["name"], title=data.get("title", ""), source=data.get("source", ""),
        description=data.get("description", ""), charges=charges,
        counties=frozenset(c.upper() for c in scope.get("county", [])), also=also,
        exclude=tuple(scope.get("exclude", ())), params=params, steps=tuple(steps),
        min_confidence=float(data.get("min_confidence", statute.DEFAULT_MIN_CONFIDENCE)), path=where,
        sha256=sha256, evaluation_date=evaluation_date,
    )  # fmt: skip
