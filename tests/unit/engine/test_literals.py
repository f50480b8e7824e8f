"""``literal_value`` (no compile) agrees with LibCST's ``evaluated_value`` (literal_eval)."""

from __future__ import annotations

import libcst as cst
import pytest

from lockscan.engine.python.symbols import literal_value
from lockscan.engine.python.walk import preorder
from tests.support.pycorpus import corpus_files

CASES = [
    "'plain'", '"double"', "'''tri\nple'''", '"""a "quoted" word"""', "r'raw\\n'", "R'\\d+'",
    "u'uni'", "'esc\\n'", "'\\u00e9'", "b'bytes'", "rb'\\x00'", "'tab\there'", "''",
    "'caf\u00e9 \u65e5\u672c'", "'\\\\'", "'line\\\ncontinued'", "U'x'", "Br'y'",
]


def evaluated(node: cst.SimpleString) -> object:
    try:
        return node.evaluated_value
    except Exception as exc:
        return type(exc)


def fast(node: cst.SimpleString) -> object:
    try:
        return literal_value(node)
    except Exception as exc:
        return type(exc)


@pytest.mark.parametrize("literal", CASES)
def test_literal_value_of_hand_written_literals(literal):
    node = cst.parse_expression(literal)
    assert fast(node) == evaluated(node)


def test_literal_value_agrees_on_every_string_of_the_corpus():
    checked = 0
    for _, source in corpus_files():
        for node in preorder(cst.parse_module(source), lambda n: False):
            if isinstance(node, cst.SimpleString):
                assert fast(node) == evaluated(node), node.value
                checked += 1
    assert checked > 1000
