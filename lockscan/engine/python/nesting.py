"""Screen source text before LibCST sees it.

LibCST's native parser recurses on the C stack: 5,000 nested parentheses or a
20,000-long ``a and a and ...`` crash the whole process (a segfault no ``except``
catches), and chains a few thousand deep take tens of seconds before failing. The
standard library's parser is ~5x faster, guards its own recursion, and tells how deep
the tree is, so every file that gets a full analysis is parsed with ``ast`` first:
files nested deeper than LibCST and our visitor can take are reported as
``too-complex`` and never reach LibCST. CPython's syntax errors are also clearer than
LibCST's ("Missing parentheses in call to 'print'"), so they are reused in the
diagnostic.

When this Python cannot parse a file that LibCST might (newer syntax than the running
interpreter), the nesting is bounded from the token stream instead.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass

# Depth of the syntax tree beyond which a file is not handed to LibCST. LibCST plus
# the visitor give up (RecursionError, caught) near 320 levels; the native parser
# only becomes slow or unsafe past ~1,000. Real code stays under ~100.
MAX_NESTING = 500

_NESTING_OPS = frozenset({
    "(", "[", "{", ".", "+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^",
    "~", "<", ">", "<=", ">=", "==", "!=", ":=",
})
_NESTING_WORDS = frozenset({"and", "or", "not", "if", "lambda", "await", "for", "in", "is"})


@dataclass(frozen=True, slots=True)
class Screen:
    """``problem`` (code, message) means: do not parse with LibCST.
    ``syntax_error`` is CPython's reason when it rejects the file."""

    problem: tuple[str, str] | None = None
    syntax_error: str | None = None
    tree: ast.Module | None = None  # the parse, reused for source positions


def parse(text: str) -> Screen:
    """The ``ast`` parse of ``text``, or why LibCST must not see it (a syntax error
    that nests too deeply to try); not yet the depth of a tree that parses."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        reason = syntax_reason(exc)
        if "too many nested" in str(exc.msg) or "too complex" in str(exc.msg):
            return Screen(("too-complex", f"line {exc.lineno}: {exc.msg} (Python's own limit); "
                                          "not analyzed"), reason)
        bound = token_nesting_bound(text)
        if bound is None:
            return Screen(("parse-error", reason), reason)
        if bound > MAX_NESTING:
            return Screen(("too-complex", f"{reason}; and nested too deeply to try LibCST"),
                          reason)
        return Screen(None, reason)  # maybe newer syntax: let LibCST decide
    except (RecursionError, MemoryError):
        return Screen(("too-complex", "nesting too deep to parse"))
    except ValueError as exc:  # null bytes and the like
        return Screen(("parse-error", f"cannot parse: {exc}"))
    return Screen(tree=tree)


def deep(parsed: Screen) -> Screen:
    """``parsed``, or too complex when its tree nests deeper than LibCST can take."""
    if parsed.tree is not None and tree_depth(parsed.tree, MAX_NESTING) > MAX_NESTING:
        return Screen(("too-complex", f"expressions nest over {MAX_NESTING} levels deep; "
                                      "not analyzed (generated code?)"))
    return parsed


def syntax_reason(exc: SyntaxError) -> str:
    return f"syntax error at line {exc.lineno}: {exc.msg}; is it Python 2 or unfinished?"


def tree_depth(tree: ast.AST, limit: int) -> int:
    """Depth of ``tree`` as LibCST will see it, stopping early past ``limit``.

    Iterative (a recursive walk would itself overflow). ``a and b and c`` is one flat
    ``BoolOp`` in ``ast`` but a nested chain in LibCST, so it counts per operand.
    Children are read from each class's ``_fields`` inline rather than through
    ``ast.iter_child_nodes`` (two generators per node): 2.4x faster, same nodes in the
    same order (``tests/unit/engine/test_nesting.py`` compares the two)."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    pop, push = stack.pop, stack.append
    node_class = ast.AST
    while stack:
        node, depth = pop()
        cls = type(node)
        if cls is ast.BoolOp:
            depth += len(node.values) - 2  # type: ignore[attr-defined]
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        depth += 1
        for name in cls._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, node_class):
                        push((item, depth))
            elif isinstance(value, node_class):
                push((value, depth))
    return deepest


def token_nesting_bound(text: str) -> int | None:
    """An upper bound on expression depth per logical line, from tokens alone; None
    when Python cannot even tokenize the text.

    Counts brackets, operators, keywords that build expressions, and runs of adjacent
    strings (implicit concatenation nests in LibCST)."""
    worst = count = 0
    previous_string = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                worst = max(worst, count)
                count = 0
                previous_string = False
                continue
            is_string = token.type == tokenize.STRING
            if (token.type == tokenize.OP and token.string in _NESTING_OPS) or (
                token.type == tokenize.NAME and token.string in _NESTING_WORDS
            ) or (is_string and previous_string):
                count += 1
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous_string = is_string
    except (tokenize.TokenError, SyntaxError, RecursionError, MemoryError):
        return None
    return max(worst, count)
