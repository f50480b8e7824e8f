"""Source spans of LibCST nodes, read from Python's ``ast`` instead of LibCST metadata.

LibCST's ``PositionProvider`` regenerates the whole module's code to learn where each
node is: it cost more than parsing and analyzing together. ``ast.parse`` is an order
of magnitude cheaper and records positions as it parses. The two trees are not the
same shape, but for each kind of node the analyzer reports (calls, attributes,
subscripts, comparisons, dicts, strings, imports, annotated assignments) the k-th
LibCST node of that kind in pre-order is the k-th ``ast`` node of that kind in
source order, sorted by (start, -end) so that an outer node precedes an inner one
that starts at the same place.

Where the trees differ, the mapping leaves nodes out on both sides:
- names inside import statements are ``Attribute`` nodes in LibCST only, so import
  statements are not entered;
- implicitly concatenated strings are one ``ConcatenatedString`` holding parts in
  LibCST and one ``Constant``/``JoinedStr`` in ``ast``: only outermost strings count;
- before Python 3.12 ``ast`` positions inside f-strings are unreliable (a repeated
  expression gets the first one's position), so nothing inside an f-string counts
  (on any version: one rule is simpler than two, and such sites are rare).

``ast`` columns are UTF-8 byte offsets; they are turned into characters with the
line's text. Whenever a kind's counts differ, a node is outside the mapping, or the
text cannot be parsed by this Python, the span comes from LibCST's
``PositionProvider``, computed at most once per file. Everything is lazy: a file
whose sites produce no finding computes no position at all.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from lockscan.engine.python.walk import children, preorder
from lockscan.model import Span

# LibCST node class -> the kind both trees agree on.
CST_KINDS: dict[type, str] = {
    cst.Call: "call",
    cst.Attribute: "attribute",
    cst.Subscript: "subscript",
    cst.Comparison: "compare",
    cst.Dict: "dict",
    cst.SimpleString: "string",
    cst.ConcatenatedString: "string",
    cst.FormattedString: "string",
    cst.Import: "import",
    cst.ImportFrom: "import_from",
    cst.AnnAssign: "ann_assign",
    cst.Assign: "assign",
}
AST_KINDS: dict[type, str] = {
    ast.Call: "call",
    ast.Attribute: "attribute",
    ast.Subscript: "subscript",
    ast.Compare: "compare",
    ast.Dict: "dict",
    ast.JoinedStr: "string",
    ast.Import: "import",
    ast.ImportFrom: "import_from",
    ast.AnnAssign: "ann_assign",
    ast.Assign: "assign",
}
# Not entered: nothing under them is mapped. Exact types (CSTNode is an ABC, and
# isinstance against it is slow).
_LEAVES = frozenset({cst.Import, cst.ImportFrom, cst.SimpleString, cst.ConcatenatedString,
                     cst.FormattedString})
_AST_LEAVES = frozenset({ast.Import, ast.ImportFrom, ast.JoinedStr})
# Python parses a lone carriage return as a line break; keep such rare files on LibCST
# rather than reason about two line-numbering schemes.
_LONE_CR = re.compile(r"\r(?!\n)")
_NEWLINE = re.compile(r"\r\n|\n")


def cst_nodes_by_kind(tree: cst.Module) -> dict[str, list[cst.CSTNode]]:
    """The mapped LibCST nodes of each kind, in pre-order."""
    found: dict[str, list[cst.CSTNode]] = {}
    stack: list[cst.CSTNode] = [tree]
    while stack:
        node = stack.pop()
        kind = CST_KINDS.get(type(node))
        if kind is not None:
            found.setdefault(kind, []).append(node)
        if type(node) in _LEAVES:
            continue  # import names, string parts, anything inside an f-string: unmapped
        stack.extend(reversed(children(node)))
    return found


def ast_nodes_by_kind(tree: ast.AST) -> dict[str, list[ast.AST]]:
    """The mapped ``ast`` nodes of each kind, sorted as LibCST's pre-order sorts them.

    Children are read from each class's ``_fields`` inline, not through
    ``ast.iter_child_nodes`` (two generators per node): same nodes, same order, about
    twice as fast (``tests/unit/engine/test_positions.py`` compares the two)."""
    found: dict[str, list[ast.AST]] = {}
    stack: list[ast.AST] = [tree]
    pop, push = stack.pop, stack.append
    kinds, node_class = AST_KINDS, ast.AST
    while stack:
        node = pop()
        cls = type(node)
        kind = kinds.get(cls)
        if kind is None and cls is ast.Constant and isinstance(node.value, str | bytes):  # type: ignore[attr-defined]
            kind = "string"
        if kind is not None:
            found.setdefault(kind, []).append(node)
        if cls in _AST_LEAVES:
            continue
        for name in cls._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_class):
                        push(item)
            elif isinstance(value, node_class):
                push(value)
    for nodes in found.values():
        nodes.sort(key=_source_order)
    return found


def _source_order(node: ast.AST) -> tuple[int, int, int, int]:
    return (node.lineno, node.col_offset,  # type: ignore[attr-defined]
            -node.end_lineno, -node.end_col_offset)  # type: ignore[attr-defined]


def source_lines(text: str) -> list[str]:
    """Lines as Python numbers them (``\\n`` and ``\\r\\n`` end a line)."""
    return _NEWLINE.split(text)


def char_column(line: str, byte_offset: int) -> int:
    """The 0-based character column of a UTF-8 byte offset into ``line``."""
    if line.isascii():
        return byte_offset
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8"))


def ast_span(node: ast.AST, lines: list[str]) -> Span:
    line, end_line = node.lineno, node.end_lineno  # type: ignore[attr-defined]
    start = char_column(lines[line - 1], node.col_offset)  # type: ignore[attr-defined]
    end = char_column(lines[end_line - 1], node.end_col_offset)  # type: ignore[attr-defined]
    return Span(line, start + 1, end_line, end + 1)


def libcst_positions(tree: cst.Module) -> Callable[[cst.CSTNode], Span]:
    """The slow, always-right source of spans."""
    ranges = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)

    def span(node: cst.CSTNode) -> Span:
        rng = ranges[node]
        return Span(rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1)

    return span


def map_kinds(
    cst_nodes: dict[str, list[cst.CSTNode]], ast_nodes: dict[str, list[ast.AST]],
    kinds: Iterable[str],
) -> dict[int, ast.AST]:
    """id(LibCST node) -> its ``ast`` node, for every kind whose counts agree."""
    mapping: dict[int, ast.AST] = {}
    for kind in kinds:
        ours, theirs = cst_nodes.get(kind, []), ast_nodes.get(kind, [])
        if len(ours) == len(theirs):
            mapping.update(zip(map(id, ours), theirs, strict=True))
    return mapping


def _never(node: cst.CSTNode) -> bool:
    return False


class Positions:
    """Spans of one file's LibCST nodes, computed on first request."""

    def __init__(self, tree: cst.Module, text: str, syntax: ast.Module | None = None) -> None:
        """``syntax``: ``ast.parse(text)`` when the caller has it already."""
        self.tree = tree
        self.text = text
        self.syntax = syntax
        self._mapping: dict[int, ast.AST] | None = None
        self._targets: dict[int, ast.AST] = {}
        self._lines: list[str] = []
        self._strings: list[cst.CSTNode] = []
        self._owners: dict[int, cst.CSTNode] | None = None
        self._inside: dict[int, Callable[[cst.CSTNode], Span]] = {}
        self._fallback: Callable[[cst.CSTNode], Span] | None = None
        self._cst_nodes: dict[str, list[cst.CSTNode]] = {}
        self._parts: dict[int, tuple[ast.AST, ast.AST]] | None = None
        self.fallbacks = 0  # spans that came from LibCST's whole-module pass, for tests

    def span(self, node: cst.CSTNode) -> Span:
        if self._mapping is None:
            self._build()
        found = self._mapping.get(id(node)) or self._targets.get(id(node))  # type: ignore[union-attr]
        if found is not None:
            try:
                return ast_span(found, self._lines)
            except (UnicodeError, IndexError):
                pass
        part = self._part(node)
        if part is not None:
            try:
                first, last = (ast_span(n, self._lines) for n in part)
                return Span(first.line, first.column, last.end_line, last.end_column)
            except (UnicodeError, IndexError):
                pass
        owner = self._owner(node)
        inside = self._span_inside(owner, node) if owner is not None else None
        return inside or self._libcst_span(node)

    def _part(self, node: cst.CSTNode) -> tuple[ast.AST, ast.AST] | None:
        """A dict entry or a keyword argument of a mapped dict or call: its first and last
        ``ast`` node (key and value; the keyword twice). Request options are reported
        where each entry is written, and ``ast`` has no node for a dict entry, so entries
        and keywords are found through their dict or call."""
        if self._parts is None:
            self._parts = {}
            for found in self._cst_nodes.get("dict", []):
                theirs = self._mapping.get(id(found))  # type: ignore[union-attr]
                elements = found.elements  # type: ignore[attr-defined]
                if isinstance(theirs, ast.Dict) and len(theirs.keys) == len(elements):
                    for element, key, value in zip(elements, theirs.keys, theirs.values,
                                                   strict=True):
                        # ``ast`` spans a parenthesized value inside its parentheses.
                        if (key is not None and type(element) is cst.DictElement
                                and not getattr(element.value, "lpar", None)
                                and not getattr(element.key, "lpar", None)):
                            self._parts[id(element)] = (key, value)
            for found in self._cst_nodes.get("call", []):
                theirs = self._mapping.get(id(found))  # type: ignore[union-attr]
                if isinstance(theirs, ast.Call):
                    self._call_parts(found, theirs)  # type: ignore[arg-type]
        return self._parts.get(id(node))

    def _call_parts(self, ours: cst.Call, theirs: ast.Call) -> None:
        # Keyword arguments only: ``ast`` puts a parenthesized positional value's span
        # around its parentheses (a tuple's), LibCST inside them.
        named = [a for a in ours.args if a.keyword is not None or a.star == "**"]
        if len(named) == len(theirs.keywords):
            for arg, keyword in zip(named, theirs.keywords, strict=True):
                self._parts[id(arg)] = (keyword, keyword)  # type: ignore[index]

    def _build(self) -> None:
        self._mapping = {}
        if _LONE_CR.search(self.text):
            return
        tree = self.syntax
        if tree is None:
            try:
                tree = ast.parse(self.text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                return  # newer syntax than this Python, or nothing ast can take
        cst_nodes = cst_nodes_by_kind(self.tree)
        ast_nodes = ast_nodes_by_kind(tree)
        self._lines = source_lines(self.text)
        self._mapping = map_kinds(cst_nodes, ast_nodes, set(CST_KINDS.values()))
        self._cst_nodes = cst_nodes
        self._strings = cst_nodes.get("string", [])
        # Annotated assignment targets (settings-class fields), via their statement.
        for statement in cst_nodes.get("ann_assign", []):
            found = self._mapping.get(id(statement))
            if isinstance(found, ast.AnnAssign):
                self._targets[id(statement.target)] = found.target  # type: ignore[attr-defined]

    def _owner(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The mapped outermost string that ``node`` is inside (an f-string expression)."""
        if self._owners is None:
            self._owners = {}
            for string in self._strings:
                if type(string) is not cst.SimpleString and id(string) in self._mapping:  # type: ignore[operator]
                    for inner in preorder(string, _never):
                        self._owners[id(inner)] = string
        return self._owners.get(id(node))

    def _span_inside(self, owner: cst.CSTNode, node: cst.CSTNode) -> Span | None:
        """A node inside an f-string or a concatenation: LibCST positions over that one
        string, moved to where ``ast`` puts the string. Only on the string's first line:
        LibCST re-indents continuation lines with the enclosing block's indentation,
        which a string taken out of its block does not have (None: not known here)."""
        relative = self._inside.get(id(owner))
        if relative is None:
            statement = cst.SimpleStatementLine(body=[cst.Expr(value=owner)])  # type: ignore[arg-type]
            relative = libcst_positions(cst.Module(body=[statement]))
            self._inside[id(owner)] = relative
        inner, at = relative(owner), relative(node)
        if not at.line == at.end_line == inner.line:
            return None
        start = self.span(owner)
        shift = start.column - inner.column
        return Span(start.line, at.column + shift, start.line, at.end_column + shift)

    def _libcst_span(self, node: cst.CSTNode) -> Span:
        if self._fallback is None:
            self._fallback = libcst_positions(self.tree)
        self.fallbacks += 1
        return self._fallback(node)
