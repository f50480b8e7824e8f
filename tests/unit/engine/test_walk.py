"""The read-only walker visits exactly what LibCST's own ``CSTVisitor`` visits (tokens
aside), in the same order, on real and generated code."""

from __future__ import annotations

import hypothesmith
import libcst as cst
import pytest
from hypothesis import given, settings

from lockscan.engine.python.walk import CHILD_FIELDS, TOKENS, children, preorder, walk
from tests.support.pycorpus import GENERATED, corpus_files

NODE_CLASSES = sorted(
    (c for c in vars(cst).values() if isinstance(c, type) and issubclass(c, cst.CSTNode)
     and c is not cst.CSTNode and "_visit_and_replace_children" in vars(c)),
    key=lambda c: c.__name__,
)


class LibcstRecorder(cst.CSTVisitor):
    """LibCST's traversal, with every token node filtered out of the record."""

    def __init__(self, prune: tuple[type, ...] = ()) -> None:
        super().__init__()
        self.events: list[tuple[str, str, int]] = []
        self.prune = prune

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) not in TOKENS:
            self.events.append(("visit", type(node).__name__, id(node)))
        return not isinstance(node, self.prune)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) not in TOKENS:
            self.events.append(("leave", type(original_node).__name__, id(original_node)))


def walker_recorder(prune: tuple[type, ...] = ()) -> object:
    """A handler with ``visit_<T>``/``leave_<T>`` for every node class, as the walker
    expects them (no base class, no generic hooks)."""
    events: list[tuple[str, str, int]] = []

    def make(kind: str, name: str):
        def handler(self, node):
            events.append((kind, name, id(node)))
            if kind == "visit" and isinstance(node, prune):
                return False
            return None
        return handler

    namespace = {}
    for cls in NODE_CLASSES:
        namespace[f"visit_{cls.__name__}"] = make("visit", cls.__name__)
        namespace[f"leave_{cls.__name__}"] = make("leave", cls.__name__)
    recorder = type("Recorder", (), namespace)()
    recorder.events = events  # type: ignore[attr-defined]
    return recorder


def assert_same_walk(source: str, prune: tuple[type, ...] = ()) -> None:
    tree = cst.parse_module(source)
    expected = LibcstRecorder(prune)
    tree.visit(expected)
    mine = walker_recorder(prune)
    walk(tree, mine)
    assert mine.events == expected.events  # type: ignore[attr-defined]


CORPUS = corpus_files()


@pytest.mark.parametrize("name", [name for name, _ in CORPUS])
def test_walk_matches_libcst_on_the_corpus(name):
    source = dict(CORPUS)[name]
    assert_same_walk(source)
    # A handler returning False skips the node's children, and its leave still runs.
    assert_same_walk(source, prune=(cst.Call, cst.ConcatenatedString, cst.Lambda))


@settings(GENERATED, max_examples=80)
@given(hypothesmith.from_grammar())
def test_walk_matches_libcst_on_generated_programs(source):
    try:
        cst.parse_module(source)
    except Exception:  # hypothesmith can produce code LibCST rejects
        return
    assert_same_walk(source)
    assert_same_walk(source, prune=(cst.BinaryOperation, cst.Subscript))


@settings(GENERATED, max_examples=4)
@given(hypothesmith.from_node())
def test_walk_matches_libcst_on_generated_syntax_trees(source):
    assert_same_walk(source)


def test_every_libcst_node_class_has_a_child_table():
    """A LibCST upgrade that adds a node class must extend the table (the walker would
    still be right via ``node.children``, but slow)."""
    missing = [c.__name__ for c in NODE_CLASSES if c not in TOKENS and c not in CHILD_FIELDS]
    assert missing == []


def test_children_are_the_non_token_children_in_source_order():
    tree = cst.parse_module("@d\ndef f(a, *, b=1) -> int:\n    return a if b else c\n")
    func = tree.body[0]
    assert [type(c).__name__ for c in children(func)] == [
        "Decorator", "Name", "Parameters", "Annotation", "IndentedBlock"]
    if_exp = func.body.body[0].body[0].value
    assert [c.value for c in children(if_exp)] == ["a", "b", "c"]  # body, test, orelse
    assert children(func) == [c for c in func.children if type(c) not in TOKENS]


def test_preorder_prunes_without_yielding():
    tree = cst.parse_module("x = 1\ndef f():\n    y = 2\nz = lambda: (w := 3)\n")
    names = [n.value for n in preorder(tree, lambda n: isinstance(n, cst.FunctionDef | cst.Lambda))
             if isinstance(n, cst.Name)]
    assert names == ["x", "z"]
