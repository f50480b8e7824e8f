"""Spans read from ``ast`` equal LibCST's ``PositionProvider`` spans exactly, for every
node kind the analyzer reports, and fall back to LibCST where the trees disagree."""

from __future__ import annotations

import ast
import sys

import hypothesmith
import libcst as cst
import pytest
from hypothesis import given, settings

from lockscan.engine.python import positions as positions_module
from lockscan.engine.python.positions import (
    CST_KINDS,
    Positions,
    ast_nodes_by_kind,
    char_column,
    cst_nodes_by_kind,
    libcst_positions,
    map_kinds,
    source_lines,
)
from lockscan.engine.python.positions import _source_order as source_order
from lockscan.engine.python.walk import children
from lockscan.model import Span
from tests.support.pycorpus import GENERATED, ODD, corpus_files, parses

CORPUS = corpus_files()


def reported_nodes(tree: cst.Module) -> list[cst.CSTNode]:
    """Every node of a reported kind anywhere, inside imports and f-strings too, and
    annotated-assignment targets."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        if type(node) in CST_KINDS:
            found.append(node)
        if isinstance(node, cst.AnnAssign):
            found.append(node.target)
        # Request options are reported at their dict entry or keyword argument.
        if type(node) is cst.DictElement or (type(node) is cst.Arg and (
                node.keyword is not None or node.star == "**")):
            found.append(node)
        stack.extend(children(node))
    return found


def assert_exact_spans(source: str) -> Positions:
    tree = cst.parse_module(source)
    truth = libcst_positions(tree)
    spans = Positions(tree, source)
    for node in reported_nodes(tree):
        assert spans.span(node) == truth(node), (type(node).__name__, cst.Module([]).code_for_node(node))
    return spans


@pytest.mark.parametrize("name", [name for name, _ in CORPUS])
def test_ast_spans_equal_libcst_spans_on_the_corpus(name):
    source = dict(CORPUS)[name]
    assert_exact_spans(source)
    # And the spans came from ast: every kind's counts agree on these files, so only
    # nodes inside imports and f-strings needed LibCST.
    tree = cst.parse_module(source)
    ours = cst_nodes_by_kind(tree)
    theirs = ast_nodes_by_kind(ast.parse(source))
    assert {k: len(v) for k, v in ours.items()} == {k: len(v) for k, v in theirs.items()}


def reference_ast_nodes_by_kind(tree: ast.AST) -> dict[str, list[ast.AST]]:
    """The straightforward version of ``ast_nodes_by_kind``, over ``iter_child_nodes``."""
    found: dict[str, list[ast.AST]] = {}
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        kind = positions_module.AST_KINDS.get(type(node))
        if kind is None and isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            kind = "string"
        if kind is not None:
            found.setdefault(kind, []).append(node)
        if isinstance(node, ast.Import | ast.ImportFrom | ast.JoinedStr):
            continue
        stack.extend(ast.iter_child_nodes(node))
    for nodes in found.values():
        nodes.sort(key=source_order)
    return found


def assert_same_ast_nodes(source: str) -> None:
    tree = ast.parse(source)
    fast, slow = ast_nodes_by_kind(tree), reference_ast_nodes_by_kind(tree)
    assert {k: list(map(id, v)) for k, v in fast.items()} == {
        k: list(map(id, v)) for k, v in slow.items()}


@pytest.mark.parametrize("name", [name for name, _ in CORPUS])
def test_ast_nodes_by_kind_matches_the_reference_on_the_corpus(name):
    assert_same_ast_nodes(dict(CORPUS)[name])


@settings(GENERATED, max_examples=20)
@given(hypothesmith.from_grammar())
def test_ast_nodes_by_kind_matches_the_reference_on_generated_programs(source):
    if not parses(source):
        return
    assert_same_ast_nodes(source)


def test_the_odd_files_are_mapped_without_falling_back():
    """Outside f-strings, nothing in the hand-written odd files needs LibCST."""
    for name, source in ODD.items():
        tree = cst.parse_module(source)
        spans = Positions(tree, source)
        for nodes in cst_nodes_by_kind(tree).values():
            for node in nodes:
                spans.span(node)
        assert spans.fallbacks == 0, name


@settings(GENERATED, max_examples=40)
@given(hypothesmith.from_grammar())
def test_ast_spans_equal_libcst_spans_on_generated_programs(source):
    try:
        cst.parse_module(source)
        libcst_positions(cst.parse_module(source))
    except Exception:  # hypothesmith can produce code LibCST rejects
        return
    assert_exact_spans(source)


def test_a_kind_whose_counts_differ_falls_back_with_exact_spans(monkeypatch):
    source = ODD["decorators.py"] + ODD["walrus.py"]
    real = positions_module.ast_nodes_by_kind

    def one_call_short(tree):
        found = real(tree)
        found["call"] = found["call"][1:]
        return found

    monkeypatch.setattr(positions_module, "ast_nodes_by_kind", one_call_short)
    assert_exact_spans(source)
    tree = cst.parse_module(source)
    spans = Positions(tree, source)
    mapped = cst_nodes_by_kind(tree)
    for nodes in mapped.values():
        for node in nodes:
            spans.span(node)
    assert len(mapped["call"]) >= 3 and spans.fallbacks == len(mapped["call"])  # only calls


@pytest.mark.parametrize("source", [
    "x = a.b('c')\ry = {'d': e.f}\r",  # lone carriage returns
    "x = a.b(\n  'c')\r\ny = 'é'.x\r",
    pytest.param("type X = a.b('c')\ndef f[T](x: T) -> T: return x.y\n",
                 marks=pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 syntax")),
])
def test_unparsable_for_ast_or_lone_carriage_return_falls_back(source):
    spans = assert_exact_spans(source)
    assert spans.fallbacks > 0


def test_map_kinds_drops_only_the_kind_that_disagrees():
    tree = cst.parse_module("a.b(c['d'])\n")
    ours = cst_nodes_by_kind(tree)
    theirs = ast_nodes_by_kind(ast.parse("a.b(c['d'])\n"))
    theirs["subscript"] = []
    mapping = map_kinds(ours, theirs, ["call", "attribute", "subscript"])
    assert set(mapping) == {id(ours["call"][0]), id(ours["attribute"][0])}


def test_char_column_counts_characters_not_bytes():
    line = "naïve = '日本'.x"
    assert char_column(line, len("naïve = '日本'".encode())) == len("naïve = '日本'")
    assert char_column("plain", 3) == 3
    assert source_lines("a\r\nb\nc") == ["a", "b", "c"]


def test_spans_are_one_based_with_exclusive_end():
    source = "x = 'é' + y.z\n"
    tree = cst.parse_module(source)
    attribute = tree.body[0].body[0].value.right
    assert Positions(tree, source).span(attribute) == Span(1, 11, 1, 14)


def test_sites_inside_f_strings_are_placed_without_the_whole_module_pass():
    source = ("def f():\n    if x:\n        log(f\"{a.b(c['d'])} {x.y == 'z'}\" 'tail' f'{ {\"k\": v.w} }',\n"
              "            f'''{e.f}\n{g.h}''')\n")
    spans = assert_exact_spans(source)
    assert spans.fallbacks == 1  # only g.h: a continuation line inside a string


def test_attributes_in_nested_f_strings_are_exact_without_the_whole_module_pass():
    source = ODD["fstrings.py"]
    tree = cst.parse_module(source)
    truth, spans = libcst_positions(tree), Positions(tree, source)
    inner = [n for n in reported_nodes(tree) if isinstance(n, cst.Attribute)]
    assert len(inner) >= 6
    assert all(spans.span(n) == truth(n) for n in inner)
    assert spans.fallbacks == 0


def test_dict_entries_keywords_and_assignments_are_placed_without_the_whole_module_pass():
    source = (
        "params = {'model': MODEL, 'seed': 1, **extra}\n"
        "params['store'] = False\n"
        "client.chat.completions.create(\n"
        "    temperature=0,  # a comment\n"
        "    **params,\n"
        ")\n"
        "x = y = {'é': 'ü', 'k': [1,\n    2]}\n"
    )
    spans = assert_exact_spans(source)
    assert spans.fallbacks == 0


def test_a_parenthesized_entry_value_falls_back_with_its_exact_span():
    # ast spans the value inside its parentheses, LibCST's entry around them.
    source = "options = {'prompt': ('a'\n    'b'), 'n': 1}\n"
    tree = cst.parse_module(source)
    spans, truth = Positions(tree, source), libcst_positions(tree)
    parenthesized, plain = tree.body[0].body[0].value.elements
    assert spans.span(plain) == truth(plain) and spans.fallbacks == 0
    assert spans.span(parenthesized) == truth(parenthesized) and spans.fallbacks == 1
