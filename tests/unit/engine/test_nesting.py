"""The nesting screen's fast tree depth equals the straightforward walk over
``ast.iter_child_nodes``, early exit included."""

from __future__ import annotations

import ast

import hypothesmith
import pytest
from hypothesis import given, settings

from lockscan.engine.python.nesting import MAX_NESTING, deep, parse, tree_depth
from tests.support.pycorpus import GENERATED, corpus_files, parses

CORPUS = corpus_files()


def reference_depth(tree: ast.AST, limit: int) -> int:
    """The straightforward version ``tree_depth`` replaces."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ast.BoolOp):
            depth += len(node.values) - 2
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def assert_same_depth(source: str) -> None:
    tree = ast.parse(source)
    full = reference_depth(tree, MAX_NESTING)
    assert tree_depth(tree, MAX_NESTING) == full
    # Stopping early past a lower limit returns the same (first) depth over it.
    for limit in sorted({1, 2, full // 2, max(full - 1, 1), full}):
        assert tree_depth(tree, limit) == reference_depth(tree, limit)


@pytest.mark.parametrize("name", [name for name, _ in CORPUS])
def test_tree_depth_matches_the_reference_on_the_corpus(name):
    assert_same_depth(dict(CORPUS)[name])


@settings(GENERATED, max_examples=20)
@given(hypothesmith.from_grammar())
def test_tree_depth_matches_the_reference_on_generated_programs(source):
    if not parses(source):
        return
    assert_same_depth(source)


def test_depth_counts_each_boolean_operand_and_stops_past_the_limit():
    # Module, Assign, BoolOp (+2 for four operands), Name, Load
    assert tree_depth(ast.parse("x = a and b and c and d\n"), 100) == 7
    nested = ast.parse("x = " + "-" * 600 + "1\n")
    assert tree_depth(nested, 50) == 51
    assert deep(parse("x = " + "-" * 600 + "1\n")).problem[0] == "too-complex"
