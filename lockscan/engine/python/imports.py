"""The cheapest correct import list, for files the prefilter rules out.

Such files cannot couple to a vendor themselves, but their imports still make the
module graph (blast radius, gateways). The standard library's ``ast`` parses about
eight times faster than LibCST, but building its Python objects for every node of
a file whose only interesting nodes are a few imports is still most of a cold scan.

So the fast path never parses the whole file: a single compiled regex walks the
text, skipping comments and string literals, to find the import statements, which
are then parsed together with ``ast`` (a few hundred bytes per file). Whatever that
lexer cannot vouch for (an unterminated string, a 3.12 f-string that nests its own
quote, an import whose nesting depends on the line before, a statement that does not
parse) goes to the plain ``ast`` path, which defines the facts: on a valid file the
fast path yields exactly its result or steps aside.

A syntax error elsewhere in a ruled-out file goes unnoticed, by design: no finding
can hide in a file without the rules' vocabulary, and checking it would cost a full
parse of every file (CPython's parser takes ~4 s CPU on the standard library, most
of a cold scan), the cost semgrep also avoids by parsing only files its patterns'
words occur in. Files that may hold a finding are always parsed in full.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator

from lockscan.model import ImportRef

Facts = tuple[list[ImportRef], list[tuple[str, str]]]


def extract_imports(text: str, module: str, is_package: bool) -> Facts:
    """Imports of a module, and the names its top level re-exports from other modules
    (``from .llm import client`` in a package ``__init__``), for the link stage.

    Raises ``SyntaxError`` (and ``ValueError`` on null bytes)."""
    statements = fast_statements(text)
    if statements is None:
        return extract_imports_ast(text, module, is_package)
    return _facts(statements, module, is_package)


def extract_imports_ast(text: str, module: str, is_package: bool) -> Facts:
    """The reference path: one ``ast.parse`` of the whole file."""
    # Parsed even without imports: syntax errors become diagnostics.
    return imports_of_tree(ast.parse(text), module, is_package)


def imports_of_tree(tree: ast.Module, module: str, is_package: bool) -> Facts:
    """``extract_imports`` of a file already parsed with ``ast``."""
    top = {id(node) for node in tree.body}
    return _facts(((node, id(node) in top) for node in _statements(tree.body)), module,
                  is_package)


def _facts(statements: Iterable[tuple[ast.stmt, bool]], module: str, is_package: bool) -> Facts:
    """Refs and exports from (statement, is it at the module's top level) pairs."""
    package = module if is_package else module.rpartition(".")[0]
    refs: list[ImportRef] = []
    exports: list[tuple[str, str]] = []
    for node, top_level in statements:
        if isinstance(node, ast.Import):
            refs.extend(ImportRef(alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module or "", node.level, package)
            names = tuple(alias.name for alias in node.names if alias.name != "*")
            refs.append(ImportRef(base, node.lineno, names))
            if top_level:
                exports.extend((alias.asname or alias.name, f"{base}.{alias.name}")
                               for alias in node.names if alias.name != "*")
    return sorted(refs, key=lambda r: (r.line, r.module)), sorted(exports)


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement, nested ones included, without entering expressions: an
    import is always a statement, and expressions are most of a tree's nodes
    (``ast.walk`` over them cost more than the parse)."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        for field in _BODIES:
            inner = getattr(node, field, None)
            if inner:
                stack.extend(reversed(inner))


def _absolute(module: str, level: int, package: str) -> str:
    if not level:
        return module
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    return ".".join([*base, module] if module else base)


# --- the fast path -----------------------------------------------------------------

# Identifier characters as Python sees them include non-ASCII ones ``\w`` misses
# (combining marks), so a keyword is only a keyword between ASCII non-word chars.
_NAME_CHAR = r"[\w\x80-\U0010ffff]"
# Everything that can hide the word ``import``: comments, and strings (whose end does
# not depend on their prefix, except for 3.12 f-strings, below), escapes and
# backslash-newlines included; and the keyword itself. Every alternative starts with
# a literal character (a class such as ``['"]`` would not do), so ``re`` skips to the
# next candidate in C, twice as fast as trying each alternative at each position.
_LEXER = re.compile(
    r"""\#[^\n]*
    |'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''
    |\"\"\"[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*\"\"\"
    |'[^'\\\n]*(?:\\.[^'\\\n]*)*'
    |"[^"\\\n]*(?:\\.[^"\\\n]*)*"
    |'|"
    |i(?<!"""
    + _NAME_CHAR
    + r"""i)mport(?!"""
    + _NAME_CHAR
    + r""")""",
    re.VERBOSE | re.DOTALL,
)
# What may stand between ``from`` and ``import``: dotted names, blanks, continuations.
_FROM_HEAD = re.compile(r"from(?:[ \t\f.]|\\\n)(?:[ \t\f.]|\\\n|" + _NAME_CHAR + r")*")
# The rest of an import statement: a parenthesized list (which may hold comments), or
# everything up to the end of the logical line, a ``;`` or a comment.
_TAIL = re.compile(r"[ \t\f]*(?:\((?:[^)#]|\#[^\n]*)*\)|(?:[^\n;#\\]|\\\n)*)")
_IS_NAME_CHAR = re.compile(_NAME_CHAR)
_PLAIN_PREFIXES = frozenset({"", "r", "u", "b", "br", "rb"})
# Before 3.12 an f-string is tokenized like any string; since PEP 701 its fields may
# hold the same quote, comments, backslashes and newlines, which no regex follows.
_NESTED_FSTRINGS = sys.version_info >= (3, 12)


def fast_statements(text: str) -> list[tuple[ast.stmt, bool]] | None:
    """Every import statement of the file with whether it is at the top level, or
    None when the plain ``ast`` path must decide. Exact on a syntactically valid file;
    on any other, the import statements the lexer finds (see the module docstring)."""
    if "\x00" in text:  # ast's error for it is the diagnostic
        return None
    if "import" not in text:
        return []
    if "\r" in text:  # the tokenizer reads \r\n and a lone \r as \n
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    snippets = _import_snippets(text)
    if snippets is None:
        return None
    if not snippets:
        return []
    try:
        body = ast.parse("\n".join(s for s, _, _ in snippets)).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if len(body) != len(snippets) or not all(
        isinstance(node, (ast.Import, ast.ImportFrom)) for node in body
    ):
        return None
    for node, (_, line, _) in zip(body, snippets, strict=True):
        node.lineno = line
    return [(node, top) for node, (_, _, top) in zip(body, snippets, strict=True)]


def _import_snippets(text: str) -> list[tuple[str, int, bool]] | None:
    """(statement text, line, top level) per import statement, or None to fall back."""
    snippets: list[tuple[str, int, bool]] = []
    line, counted = 1, 0
    position = 0
    search = _LEXER.search
    # Past the last "import" there is no import statement, so no need to know where
    # the strings and comments are: that tail is about half of all matches.
    last = text.rfind("import")
    while (match := search(text, position)) and match.start() <= last:
        begin, position = match.span()
        first = text[begin]
        if first == "#":
            continue
        if first in "'\"":  # no copy of the literal: most are skipped unread
            if position - begin == 1:  # an unterminated quote: only 3.12 f-strings
                return None
            if _NESTED_FSTRINGS and not _plain_fstring(text, begin, position):
                return None
            continue
        tail = _TAIL.match(text, position)
        assert tail is not None  # the pattern matches the empty string
        position = tail.end()  # the statement may name modules such as `zipimport`
        start = _from_start(text, match.start())
        line += text.count("\n", counted, start)
        counted = start
        line_start = text.rfind("\n", 0, start) + 1
        indent = text[line_start:start]
        first_on_line = not indent.strip(" \t\f")
        continued = line_start >= 2 and text[line_start - 2] == "\\"
        if "\f" in indent or (text.startswith("from", start) and (
            not first_on_line or continued
        )):
            # Whether a `from` import is at the top level (an export) would depend on
            # what precedes it on its logical line: rare, left to the ast path.
            return None
        snippets.append((text[start:position], line, first_on_line and not indent))
    return snippets


def _from_start(text: str, at: int) -> int:
    """Where the ``from x`` before the ``import`` keyword at ``at`` starts, else ``at``.

    In a valid file a keyword ``from`` followed by nothing but dotted names and blanks
    up to ``import`` can only be an import's head."""
    low = text.rfind("\n", 0, at) + 1
    while low >= 2 and text[low - 2] == "\\":  # backslash continuation lines
        low = text.rfind("\n", 0, low - 1) + 1
    candidate = text.rfind("from", low, at)
    while candidate >= 0:
        if (candidate == 0 or not _IS_NAME_CHAR.match(text, candidate - 1)) and (
            _FROM_HEAD.fullmatch(text, candidate, at)
        ):
            return candidate
        candidate = text.rfind("from", low, candidate)
    return at


def _prefix(text: str, quote: int) -> str:
    start = quote
    while start and _IS_NAME_CHAR.match(text, start - 1):
        start -= 1
    return text[start:quote]


def _plain_fstring(text: str, begin: int, end: int) -> bool:
    """Whether the literal at ``text[begin:end]`` is no f-string, or one whose
    replacement fields hold no quote, comment or backslash and whose braces balance:
    then the regex found the literal's true end."""
    literal = text[begin:end]
    if ("{" not in literal and "}" not in literal) or (
        _prefix(text, begin).lower() in _PLAIN_PREFIXES
    ):
        return True
    depth = 0
    index, end = 0, len(literal)
    while index < end:
        char = literal[index]
        if char == "{":
            if depth == 0 and literal.startswith("{{", index):
                index += 2
                continue
            depth += 1
        elif char == "}":
            if depth == 0:
                if not literal.startswith("}}", index):
                    return False
                index += 2
                continue
            depth -= 1
        elif depth and char in "'\"\\#\n":
            return False
        index += 1
    return depth == 0
