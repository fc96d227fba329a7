"""What a correction changes, decided with the code `docmine check` runs.

The people are read again from what the run read (`.docmine/inputs.json`: DOJ files, counts
JSON Lines, and the counts extracted from documents, kept in the folder), linked and merged as
`results.build` does, once, when the first correction is previewed. A person is then decided
with the corrections already approved (decisions.csv) and the one proposed, through
`results.corrections.apply`, `eligibility.check.evaluate_history` and `people.identity.recheck`
(the three steps `build` runs)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from docmine.eligibility.check import Tally, evaluate_history
from docmine.eligibility.model import History
from docmine.eligibility.policy import Policy, load_policy
from docmine.errors import DocmineError
from docmine.people import identity
from docmine.results import corrections
from docmine.results.build import INPUTS_FILE, linked_people
from docmine.results.inputs import InputFile


def policy_of(root: Path, run: dict) -> Policy:
    """The policy the run used: by its file when that is a file, else by name."""
    candidates = [run.get("policy_file", ""), run.get("policy", "")]
    for name in candidates:
        if name and Path(name).is_file():
            return load_policy(name)
    return load_policy(run.get("policy") or "statute")


@dataclass(frozen=True)
class ReadInput:
    """One input of the run: as `build` was given it, with the file its counts are read from made
    absolute (`results.build._inputs_json` keeps it relative to the results folder when it lies
    inside), and the input file itself."""

    item: InputFile
    file: str  # the input as the user named it, absolute (an archive member: `archive.zip!member`)


def read_inputs(root: Path) -> list[ReadInput]:
    """What the run read, from `RESULTS/.docmine/inputs.json`; DocmineError when it is missing."""
    path = Path(root) / INPUTS_FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        found = []
        for entry in saved["inputs"]:
            item = InputFile(**{k: v for k, v in entry.items() if k in InputFile.__dataclass_fields__})
            if item.counts_path and not Path(item.counts_path).is_absolute():
                item = replace(item, counts_path=str(Path(root) / item.counts_path))
            found.append(ReadInput(item, entry.get("file") or item.path))
        return found
    except (OSError, ValueError, TypeError, KeyError):
        raise DocmineError(
            f"{path}: missing: run `docmine check` (or `docmine batch`) again on this folder "
            "so that corrections can be decided"
        ) from None


def input_files(root: Path) -> dict[str, str]:
    """Each input as the run named it -> the file itself (absolute); {} when not recorded."""
    try:
        return {r.item.path: r.file for r in read_inputs(root)}
    except DocmineError:
        return {}


class Redecider:
    def __init__(self, root: Path, run: dict):
        self.root = Path(root)
        self.run = run
        self._lock = threading.Lock()
        self._by_count: dict[str, History] | None = None
        self.policy = policy_of(self.root, run)
        self.as_of = date.fromisoformat(run.get("as_of") or date.today().isoformat())

    def _people(self) -> dict[str, History]:
        with self._lock:
            if self._by_count is None:
                inputs = [r.item for r in read_inputs(self.root)]
                for item in inputs:
                    read = item.counts_path or item.path
                    if item.kind != "document" and not Path(read).is_file():
                        raise DocmineError(f"{read}: the input this folder was made from is gone")
                by_count: dict[str, History] = {}
                for history, _ in linked_people(inputs, Tally()):
                    for c in history.counts:
                        by_count[c.key] = history
                self._by_count = by_count
            return self._by_count

    def outcome(self, count_id: str, fields: dict[str, str], by: str, approved: dict, final: dict[str, str]) -> dict:
        """The count and its person decided again with `fields` corrected (and the approved
        corrections of the person's other counts, `approved`: count -> (fields, who)). Returns
        the count's new relief and explanation, and each other count whose relief changes
        (`final`: count -> its final relief now)."""
        history = self._people().get(count_id)
        if history is None:
            raise DocmineError(f"{count_id}: not among the counts this folder was made from")
        keys = {c.key for c in history.counts}
        fixes = {k: v for k, v in approved.items() if k in keys}
        if fields:
            fixes[count_id] = (fields, by)
        else:
            fixes.pop(count_id, None)
        found: dict[str, dict] = {}
        for person in corrections.apply(history, fixes):
            results = identity.recheck(
                person, evaluate_history(person, self.policy, self.as_of), self.policy, self.as_of
            )
            for r in results:
                found[r.count.key] = {
                    "relief": r.relief.value,
                    "reason": r.decision.reasoning,
                    "clause": r.decision.clause,
                    "explanation": r.decision.to_dict(),
                    "separate": person.key != history.key,
                }
        mine = found.get(count_id, {"relief": "", "reason": "the policy does not consider this count", "clause": ""})
        others = [
            {"count_id": k, "before": final.get(k, ""), "after": v["relief"]}
            for k, v in sorted(found.items())
            if k != count_id and v["relief"] != final.get(k, "")
        ]
        return {"count_id": count_id, "corrections": fields, **mine, "others": others}
