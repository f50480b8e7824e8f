"""The cache's codec: ``lockscan.model`` dataclasses as JSON, never pickle.

The cache lives in the scanned repository, and loading a pickle planted there would run
code. Decoding builds only the model's own frozen dataclasses, from strings, integers,
booleans and lists; anything else is an error, which the store treats as a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from lockscan import model
from lockscan.model import FileFacts

_TYPES = {name: cls for name, cls in vars(model).items()
          if isinstance(cls, type) and dataclasses.is_dataclass(cls)}


def checksum(blob: str) -> str:
    """SHA-256 of a stored blob: a facts row's MAC covers this, not the blob itself."""
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def encode(facts: FileFacts) -> str | None:
    """JSON for a ``FileFacts``; None when it holds something the codec cannot carry."""
    try:
        if _is_plain(facts):
            return json.dumps(_plain_to_json(facts), separators=(",", ":"), ensure_ascii=False)
        return json.dumps(to_json(facts), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def decode(blob: str) -> FileFacts:
    if blob.startswith("["):
        return _plain_from_json(json.loads(blob, parse_float=reject, parse_constant=reject))
    # The JSON parser builds each dataclass as it closes its object (object_hook, in C
    # order), which is ~3x faster than a second recursive walk over the parsed tree.
    value = json.loads(blob, object_hook=object_hook, parse_float=reject, parse_constant=reject)
    if not isinstance(value, FileFacts):
        raise ValueError("not a FileFacts")
    return value


# Most files of a big repo hold only imports and exports (the prefilter found no vendor
# vocabulary). They are stored as one flat array, decoded without a per-object hook:
# about half the time of the tagged form on the stdlib, most of a warm rescan's decoding.
_PLAIN = "imports-only"


def _is_plain(facts: FileFacts) -> bool:
    return not (facts.findings or facts.deferred or facts.diagnostics or facts.suppressions)


def _plain_to_json(facts: FileFacts) -> list[Any]:
    imports = [[as_str(r.module), _int(r.line), [as_str(n) for n in r.names], _bool(r.type_checking)]
               for r in facts.imports]
    exports = [[as_str(name), as_str(value)] for name, value in facts.exports]
    return [_PLAIN, as_str(facts.path), as_str(facts.kind), _opt_str(facts.module),
            _int(facts.lines), imports, exports, _bool(facts.analyzed)]


def _plain_from_json(value: Any) -> FileFacts:
    tag, path, kind, module, lines, imports, exports, analyzed = value
    if tag != _PLAIN:
        raise ValueError("not a plain FileFacts")
    refs = tuple([model.ImportRef(as_str(m), _int(line), tuple([as_str(n) for n in names]),
                                  _bool(checking)) for m, line, names, checking in imports])
    return FileFacts(as_str(path), as_str(kind), _opt_str(module), _int(lines), refs,
                     tuple([(as_str(name), as_str(text)) for name, text in exports]),
                     analyzed=_bool(analyzed))


def as_str(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("expected a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else as_str(value)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError("expected an integer")
    return value


def _bool(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("expected true or false")
    return value


def decode_facts(blob: str, path: str) -> FileFacts | None:
    try:
        facts = decode(blob)
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    return facts if facts.path == path else None


# Field names of each model dataclass, looked up once: a result holds ~100k of them and
# ``dataclasses.fields`` per object was most of the time of storing it.
_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TYPES.values()}
_SCALARS = frozenset({type(None), bool, int, str, float})


def to_json(value: Any) -> Any:
    kind = type(value)
    if kind in _SCALARS:
        return value  # floats (scores) only in results: the facts decoder rejects them
    if kind is tuple:
        return [to_json(v) for v in value]
    if kind is dict:  # keeps its order, as a list of pairs
        return {"@": _DICT, "v": [[as_str(k), to_json(v)] for k, v in value.items()]}
    names = _FIELDS.get(kind)
    if names is not None:
        return {"@": kind.__name__, "v": [to_json(getattr(value, name)) for name in names]}
    # Subclasses (a str enum, a named tuple): as their base.
    if isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, tuple):
        return [to_json(v) for v in value]
    raise TypeError(f"cannot cache a {kind.__name__}")


_DICT = "dict"  # no model dataclass has this name


def object_hook(value: dict[str, Any]) -> Any:
    if value["@"] == _DICT:
        return {as_str(k): _tuples(v) if type(v) is list else v for k, v in value["v"]}
    cls = _TYPES[value["@"]]
    return cls(*(_tuples(v) if type(v) is list else v for v in value["v"]))


def _tuples(value: list[Any]) -> tuple[Any, ...]:
    return tuple(_tuples(v) if type(v) is list else v for v in value)


def reject(text: str) -> Any:
    raise ValueError(f"unexpected number {text} in the cache")  # the codec writes none


