"""The output contract: counts as JSON Lines, a stable `count_id`, and the JSON Schema.

Every stage writes and reads counts through this module, so the format lives in one place:
one JSON object per count, dates in ISO 8601, charges in canonical form (`HS 11357(b)`),
enums as their lower-case values. `count_from_dict(count_to_dict(c)) == c` for every count.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import types
import typing
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from docmine.charges import Charge
from docmine.records import Count, Person, Provenance, Sentence, SentenceTerm, Update

SCHEMA_VERSION = "1"
_COUNT_FIELDS = [f.name for f in dataclasses.fields(Count)]


def count_id(document_sha256: str, *position: int | str) -> str:
    """A count's stable id: the document's content hash and the count's position in it.

    Position is what locates the count in that document (for an extracted record: the
    event's ordinal and the count's ordinal within it; for a DOJ row: subject and count
    order). The same file gives the same ids in every run, whatever its name or path.
    """
    if len(document_sha256) < 16 or any(c not in "0123456789abcdef" for c in document_sha256):
        raise ValueError(f"not a sha256 hex digest: {document_sha256!r}")
    if not position:
        raise ValueError("a count_id needs the count's position in its document")
    return document_sha256[:16] + "-" + "-".join(str(p) for p in position)


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- dataclass <-> JSON ---------------------------------------------------------------


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value.value if isinstance(value, enum.Enum) else value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Charge):
        return value.canonical
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    raise TypeError(f"cannot serialise {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(tp: Any, value: Any) -> Any:
    return _decoder(tp)(value)


def _keep(value: Any) -> Any:
    return value  # an int stays an int (36 months), so the text round-trips exactly


@cache
def _decoder(tp: Any) -> typing.Callable[[Any], Any]:
    """A function that turns the JSON for `tp` back into `tp`, worked out once per type (a
    county's counts are read back in every run: the type is not inspected again per value)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        inner_decode = _decoder(inner)
        return lambda value: None if value is None else inner_decode(value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            each = _decoder(args[0])
            return lambda value: None if value is None else tuple(each(v) for v in value)
        decoders = [_decoder(a) for a in args]
        return lambda value: None if value is None else tuple(d(v) for d, v in zip(decoders, value))
    if origin is dict:
        each = _decoder(typing.get_args(tp)[1])
        return lambda value: None if value is None else {k: each(v) for k, v in value.items()}
    if tp is Charge:
        return lambda value: (
            None if value is None else Charge.parse(value) if isinstance(value, str) else Charge(**value)
        )
    if tp is date:
        return lambda value: None if value is None else date.fromisoformat(value)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda value: None if value is None else tp(value)
    if dataclasses.is_dataclass(tp):
        hints = _hints(tp)
        fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(tp)}

        def dataclass_of(value: Any) -> Any:
            if value is None:
                return None
            return tp(**{k: fields[k](v) for k, v in value.items() if k in fields})

        return dataclass_of
    return _keep


def count_to_dict(count: Count) -> dict[str, Any]:
    """The contract's JSON object for a count (fields in a fixed order)."""
    data = _encode(count)
    return {name: data[name] for name in _COUNT_FIELDS}


def count_from_dict(data: dict[str, Any]) -> Count:
    count = _decode(Count, data)
    if count.charge is not None and count.charge.attempted != data.get("attempted", False):
        count = dataclasses.replace(
            count, charge=dataclasses.replace(count.charge, attempted=bool(data.get("attempted")))
        )
    return count


def dumps_count(count: Count) -> str:
    """One JSON Lines line (no trailing newline): compact, key order fixed, UTF-8 kept."""
    return json.dumps(count_to_dict(count), ensure_ascii=False, separators=(",", ":"))


def write_counts(path: str | Path, counts: Iterable[Count]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for count in counts:
            handle.write(dumps_count(count) + "\n")
            n += 1
    return n


def read_counts(path: str | Path) -> Iterator[Count]:
    with open(path, encoding="utf-8") as handle:
        for line_number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield count_from_dict(json.loads(line))
            except (ValueError, TypeError, KeyError) as exc:
                raise ContractError(f"{path}: line {line_number}: {exc}") from exc


class ContractError(ValueError):
    """A counts file does not follow the output contract."""


# --- schema ---------------------------------------------------------------------------


@cache
def counts_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) for one count object, shipped with the package."""
    text = resources.files("docmine").joinpath("schema/count.schema.json").read_text("utf-8")
    return json.loads(text)


def validate_count(data: dict[str, Any]) -> None:
    """Raise `ContractError` naming the first field that breaks the schema."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(counts_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(count)"
        raise ContractError(f"{where}: {first.message}")


__all__ = [
    "ContractError",
    "Count",
    "Person",
    "Provenance",
    "Sentence",
    "SentenceTerm",
    "Update",
    "count_from_dict",
    "count_id",
    "count_to_dict",
    "counts_schema",
    "dumps_count",
    "read_counts",
    "sha256_file",
    "validate_count",
    "write_counts",
]
