"""Parsing without LibCST's per-node validation gives the same trees as
``libcst.parse_module``, and leaves validation on for every other use of LibCST."""

from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import given, settings

from lockscan.engine.python.parse import parse
from tests.support.pycorpus import GENERATED, corpus_files

CORPUS = corpus_files()


def assert_same_tree(source: str) -> None:
    try:
        expected = cst.parse_module(source)
    except cst.ParserSyntaxError:
        with pytest.raises(cst.ParserSyntaxError):
            parse(source)
        return
    tree = parse(source)
    assert tree.deep_equals(expected)
    assert tree.code == expected.code


@pytest.mark.parametrize("name", [name for name, _ in CORPUS])
def test_parse_gives_libcst_trees_on_the_corpus(name):
    assert_same_tree(dict(CORPUS)[name])


@settings(GENERATED, max_examples=20)
@given(hypothesmith.from_grammar())
def test_parse_gives_libcst_trees_on_generated_programs(source):
    assert_same_tree(source)


@pytest.mark.parametrize("source", ["x = (\n", "def f(:\n    pass\n"])
def test_validation_is_back_after_a_parse_and_after_a_syntax_error(source):
    parse("x = 1\n")
    with pytest.raises(cst.ParserSyntaxError):
        parse(source)
    with pytest.raises(cst.CSTValidationError):
        cst.Name("")  # an empty name: only validation rejects it
