"""Prop 64 eligibility (HS 11361.8): the law, county policies as data, every decision explained.

    from docmine.eligibility import check, load_policy
    for result in check(["doj_bulk.csv"], load_policy("statute"), as_of=date(2019, 11, 11)):
        print(result.count.key, result.relief.value, result.decision.reasoning)

Modules: `law` (the statute's rules), `eras` (HS 11357 by era), `statute` (the law as a
flow), `policy` + `policies/*.toml` (offices' flows as data), `rules` (the tests policy steps
use), `decision` (`Relief`, the explanation tree), `model` (the facts worked on), `doj`
(the DOJ bulk file, streaming), `check` (the entry point), `output` (CSV, Parquet, summary).
"""

from docmine.eligibility.check import Problem, Result, Tally, check
from docmine.eligibility.decision import Decision, Fact, Relief
from docmine.eligibility.policy import Policy, available_policies, load_policy

__all__ = [
    "Decision",
    "Fact",
    "Policy",
    "Problem",
    "Relief",
    "Result",
    "Tally",
    "available_policies",
    "check",
    "load_policy",
]
