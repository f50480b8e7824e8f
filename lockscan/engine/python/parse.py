"""Parsing with LibCST, faster."""

from __future__ import annotations

import libcst as cst
from libcst import CSTNode as _CSTNode


def parse(text: str) -> cst.Module:
    """``libcst.parse_module(text)``, without validating each node as it is built.

    LibCST's native parser builds every node through its dataclass constructor, whose
    ``__post_init__`` runs ``_validate``: checks that a hand-built node is well formed
    (a name is not empty, whitespace is whitespace), which raise or do nothing and are
    ~13% of the parse. The parser only builds nodes from text it accepted (LibCST's
    own comment at ``CSTNode.__post_init__`` proposes skipping them when parsing), so
    they are switched off for the duration of the call. The switch is on the class,
    hence process-wide: lockscan builds no nodes on another thread meanwhile, and it
    is restored however the parse ends. ``tests/unit/engine/test_parse.py`` checks the trees equal
    ``libcst.parse_module``'s."""
    validate = _CSTNode.__dict__.get("__post_init__")
    if validate is None:  # a LibCST that validates elsewhere: parse as it does
        return cst.parse_module(text)
    _CSTNode.__post_init__ = _no_validation  # type: ignore[method-assign]
    try:
        return cst.parse_module(text)
    finally:
        _CSTNode.__post_init__ = validate  # type: ignore[method-assign]


def _no_validation(self: cst.CSTNode) -> None:
    return None
