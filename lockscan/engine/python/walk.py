"""A read-only pre-order walk over a LibCST tree, calling ``visit_<Type>``/``leave_<Type>``.

``tree.visit(visitor)`` is LibCST's transformer machinery: for every node it rebuilds
a copy through the dataclass constructor, validation included, and throws the copy
away when the visitor is read-only; it also visits every whitespace, comma and
operator token. That was over half of the time of a full file analysis. This walk
reads children straight from the node's fields, skips fields that hold only
whitespace, brackets, punctuation or operators, and never constructs a node.

The visit order is LibCST's own (``_visit_and_replace_children``), which is source
order and not always dataclass field order: decorators come before a function's
body here, ``IfExp`` visits ``body`` before ``test``. ``tests/unit/engine/test_walk.py`` checks
the sequence of visited and left nodes against ``CSTVisitor`` on real and generated
code. A node class missing from ``CHILD_FIELDS`` (a newer LibCST) falls back to
``node.children``, which is slower but visits the same nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from operator import attrgetter

import libcst as cst
from libcst._nodes import op as _op
from libcst._nodes import whitespace as _whitespace

# Nodes that are only layout or punctuation: whitespace, comments, newlines, commas,
# dots, colons, brackets, operators. Nothing below them is ever an expression.
# ``ImportStar`` is left out: it stands for the names of ``from m import *``.
TOKENS: frozenset[type] = frozenset(
    {
        c
        for module in (_op, _whitespace)
        for c in vars(module).values()
        if isinstance(c, type) and issubclass(c, cst.CSTNode)
        and c.__module__ == module.__name__ and c is not cst.ImportStar
    }
    | {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
       cst.LeftCurlyBrace, cst.RightCurlyBrace, cst.Asynchronous, cst.ParamStar,
       cst.ParamSlash}
)

# Per node class, the fields that can hold non-token nodes, in LibCST's visit order.
# Generated from each class's ``_visit_and_replace_children`` (see the module doc).
_FIELDS_BY_NAME: dict[str, tuple[str, ...]] = {
    "AnnAssign": ("target", "annotation", "value"),
    "Annotation": ("annotation",),
    "Arg": ("keyword", "value"),
    "AsName": ("name",),
    "Assert": ("test", "msg"),
    "Assign": ("targets", "value"),
    "AssignTarget": ("target",),
    "Attribute": ("value", "attr"),
    "AugAssign": ("target", "value"),
    "Await": ("expression",),
    "BinaryOperation": ("left", "right"),
    "BooleanOperation": ("left", "right"),
    "Break": (),
    "Call": ("func", "args"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "CompFor": ("target", "iter", "ifs", "inner_for_in"),
    "CompIf": ("test",),
    "Comparison": ("left", "comparisons"),
    "ComparisonTarget": ("comparator",),
    "ConcatenatedString": ("left", "right"),
    "Continue": (),
    "Decorator": ("decorator",),
    "Del": ("target",),
    "Dict": ("elements",),
    "DictComp": ("key", "value", "for_in"),
    "DictElement": ("key", "value"),
    "Element": ("value",),
    "Ellipsis": (),
    "Else": ("body",),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "Expr": ("value",),
    "Finally": ("body",),
    "Float": (),
    "For": ("target", "iter", "body", "orelse"),
    "FormattedString": ("parts",),
    "FormattedStringExpression": ("expression", "format_spec"),
    "FormattedStringText": (),
    "From": ("item",),
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "GeneratorExp": ("elt", "for_in"),
    "Global": ("names",),
    "If": ("test", "body", "orelse"),
    "IfExp": ("body", "test", "orelse"),
    "Imaginary": (),
    "Import": ("names",),
    "ImportAlias": ("name", "asname"),
    "ImportFrom": ("module", "names"),
    "ImportStar": (),
    "IndentedBlock": ("body",),
    "Index": ("value",),
    "Integer": (),
    "Lambda": ("params", "body"),
    "LazyImport": ("names",),
    "LazyImportFrom": ("module", "names"),
    "List": ("elements",),
    "ListComp": ("elt", "for_in"),
    "Match": ("subject", "cases"),
    "MatchAs": ("pattern", "name"),
    "MatchCase": ("pattern", "guard", "body"),
    "MatchClass": ("cls", "patterns", "kwds"),
    "MatchKeywordElement": ("key", "pattern"),
    "MatchList": ("patterns",),
    "MatchMapping": ("elements", "rest"),
    "MatchMappingElement": ("key", "pattern"),
    "MatchOr": ("patterns",),
    "MatchOrElement": ("pattern",),
    "MatchSequenceElement": ("value",),
    "MatchSingleton": ("value",),
    "MatchStar": ("name",),
    "MatchTuple": ("patterns",),
    "MatchValue": ("value",),
    "Module": ("body",),
    "Name": (),
    "NameItem": ("name",),
    "NamedExpr": ("target", "value"),
    "Nonlocal": ("names",),
    "Param": ("name", "annotation", "default"),
    "ParamSpec": ("name",),
    "Parameters": ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
    "Pass": (),
    "Raise": ("exc", "cause"),
    "Return": ("value",),
    "Set": ("elements",),
    "SetComp": ("elt", "for_in"),
    "SimpleStatementLine": ("body",),
    "SimpleStatementSuite": ("body",),
    "SimpleString": (),
    "Slice": ("lower", "upper", "step"),
    "StarredDictComp": ("value", "for_in"),
    "StarredDictElement": ("value",),
    "StarredElement": ("value",),
    "Subscript": ("value", "slice"),
    "SubscriptElement": ("slice",),
    "TemplatedString": ("parts",),
    "TemplatedStringExpression": ("expression", "format_spec"),
    "TemplatedStringText": (),
    "Try": ("body", "handlers", "orelse", "finalbody"),
    "TryStar": ("body", "handlers", "orelse", "finalbody"),
    "Tuple": ("elements",),
    "TypeAlias": ("name", "type_parameters", "value"),
    "TypeParam": ("param", "default"),
    "TypeParameters": ("params",),
    "TypeVar": ("name", "bound"),
    "TypeVarTuple": ("name",),
    "UnaryOperation": ("expression",),
    "While": ("test", "body", "orelse"),
    "With": ("items", "body"),
    "WithItem": ("item", "asname"),
    "Yield": ("value",),
}

# Resolved against the installed LibCST; names it does not have (older versions) drop.
CHILD_FIELDS: dict[type, tuple[str, ...]] = {
    getattr(cst, name): fields
    for name, fields in _FIELDS_BY_NAME.items()
    if isinstance(getattr(cst, name, None), type)
}

Children = Callable[[cst.CSTNode], list[cst.CSTNode]]
_SENTINEL = type(cst.MaybeSentinel.DEFAULT)


def _reader(fields: tuple[str, ...]) -> Children:
    """A function returning a node's non-token children in visit order."""
    if not fields:
        return lambda node: []
    get = attrgetter(*fields) if len(fields) > 1 else (lambda node, g=attrgetter(fields[0]): (g(node),))

    # Exact type tests, not isinstance: CSTNode is an ABC, and ABC instance checks
    # were a visible share of the walk.
    def read(node: cst.CSTNode) -> list[cst.CSTNode]:
        out: list[cst.CSTNode] = []
        for value in get(node):
            kind = type(value)
            if kind is tuple or kind is list:
                out.extend(v for v in value if type(v) not in TOKENS)
            elif value is not None and kind is not _SENTINEL and kind not in TOKENS:
                out.append(value)
        return out

    return read


def _fallback(node: cst.CSTNode) -> list[cst.CSTNode]:
    return [child for child in node.children if type(child) not in TOKENS]


_READERS: dict[type, Children] = {cls: _reader(fields) for cls, fields in CHILD_FIELDS.items()}


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children that are not tokens, in source order."""
    return _READERS.get(type(node), _fallback)(node)


Handler = Callable[[object, cst.CSTNode], object]


@cache
def _handlers(handler_class: type) -> tuple[dict[type, Handler], dict[type, Handler]]:
    """``visit_<Type>`` and ``leave_<Type>`` of a handler class, by node class: looked up
    once per class instead of a ``getattr`` with a formatted name per node."""
    node_classes = {c for c in vars(cst).values()
                    if isinstance(c, type) and issubclass(c, cst.CSTNode)} - TOKENS
    visits: dict[type, Handler] = {}
    leaves: dict[type, Handler] = {}
    for cls in node_classes:
        visit = getattr(handler_class, f"visit_{cls.__name__}", None)
        leave = getattr(handler_class, f"leave_{cls.__name__}", None)
        if visit is not None:
            visits[cls] = visit
        if leave is not None:
            leaves[cls] = leave
    return visits, leaves


def walk(tree: cst.CSTNode, handler: object) -> None:
    """Visit ``tree`` pre-order like ``tree.visit(handler)`` for a read-only visitor:
    ``visit_<Type>(node)`` before the children (returning False skips them),
    ``leave_<Type>(node)`` after them (also when they were skipped). Token nodes are
    not visited. Iterative, so deep trees cannot exhaust the Python stack here."""
    visits, leaves = _handlers(type(handler))
    readers = _READERS
    # Entries are (node, leaving): a leave entry is pushed only for classes that have
    # a leave handler, so most nodes cost one push and one pop.
    stack: list[tuple[cst.CSTNode, bool]] = [(tree, False)]
    pop, push = stack.pop, stack.append
    while stack:
        node, leaving = pop()
        cls = type(node)
        if leaving:
            leaves[cls](handler, node)
            continue
        if cls in leaves:
            push((node, True))
        visit = visits.get(cls)
        if visit is not None and visit(handler, node) is False:
            continue
        kids = readers.get(cls, _fallback)(node)
        if kids:
            stack.extend((child, False) for child in reversed(kids))


def preorder(node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool]) -> Iterator[cst.CSTNode]:
    """The descendants of ``node`` in pre-order, not entering (nor yielding) those for
    which ``prune`` is true."""
    stack = list(reversed(children(node)))
    while stack:
        current = stack.pop()
        if prune(current):
            continue
        yield current
        stack.extend(reversed(children(current)))
