"""The resolvers in ``lockscan.engine.python.symbols`` test node classes with ``is``; that
equals ``isinstance`` only while those LibCST classes have no subclasses."""

from __future__ import annotations

import libcst as cst

from lockscan.engine.python.symbols import EXACT_CLASSES, chain_inner, chain_text, dotted_name


def _all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _all_subclasses(sub)
    return found


def test_exactly_tested_classes_have_no_subclasses():
    assert {c.__name__: _all_subclasses(c) for c in EXACT_CLASSES} == {
        c.__name__: set() for c in EXACT_CLASSES}


def test_resolvers_read_chains_as_written():
    expr = cst.parse_expression("(await a.b['c'][0]().d).e")
    assert chain_text(expr) == "a.b.c[]().d.e"
    assert dotted_name(cst.parse_expression("a.b.c")) == "a.b.c"
    assert dotted_name(expr) is None
    inner = [expr]
    while (step := chain_inner(inner[-1])) is not None:
        inner.append(step)
    assert [type(n).__name__ for n in inner] == [
        "Attribute", "Await", "Attribute", "Call", "Subscript", "Subscript", "Attribute", "Name"]
