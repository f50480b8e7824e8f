"""Decide, from a file's bytes (and at last its ``ast`` tree), whether it needs full analysis.

A file with no hit cannot produce a finding by itself, so it contributes only its
imports to the graph (the link stage re-analyzes it if it imports a vendor-bound name
from the repo). Three stages, the first two over bytes:

1. One compiled RE2 pattern joins a necessary anchor of every rule: vendor module names
   on import lines, env var names, string-rule patterns, and for each shape rule
   (dict keys, response chains, comparisons) its least common word. Most files of a
   typical repo fail here, in one linear pass.
2. Rules with several conditions (a dict needs all its keys, a chain all its segments,
   a comparison an attribute and a value) are checked in full on the files that pass:
   a file mentioning ``.choices`` (argparse) but never ``message``/``text`` near it
   cannot match ``choices[].message.content``. The checks are set lookups over the
   file's words, so stage 2 costs a few tokenizing passes per candidate file.
3. A file let in by multi-condition rules alone is checked once more on its ``ast``
   tree (parsed anyway before LibCST), one statement-free expression at a time: the
   analyzer matches each chain, dict and comparison within one expression, so all the
   conditions of a rule must hold inside one of them (``parser.add_argument(
   choices=...)`` three functions away from ``widget.text`` is no response read). Only
   the files that pass go to LibCST, about ten times the cost of ``ast``.

Each condition is a necessary one, in the spelling the analyzer sees: a chain segment
is a word of the source (an attribute, a quoted subscript key, a root name), the
least common one after a dot or quoted; a dict key is a quoted string or a
``dict(key=...)`` keyword; a literal value is quoted. In Python files a string rule
anchored at both ends (``^o[1-9]$``) must match a whole quoted literal.
"""

from __future__ import annotations

import ast
import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from lockscan.ruleset import RuleSet
from lockscan.ruleset.matchers.base import Atom, Clause
from lockscan.ruleset.regex import (
    MatchAll,
    PatternError,
    PatternSet,
    Regex,
    compile_bytes,
)


def _fragment(atom: Atom) -> str:
    """The RE2 fragment of one atom, for the stage-one pattern."""
    word = re.escape(atom.word)
    quoted = rf"[\"']{word}[\"']"
    if atom.form == "word":
        return rf"\b{word}\b"
    if atom.form == "member":
        return rf"\.\s*{word}\b|{quoted}"
    if atom.form == "key":  # `"k":` in a literal (`'''k''':` too), `dict(k=...)`, `d["k"] = v`
        return rf"[\"']{word}[\"']+\s*:|\b{word}\s*=|[\"']{word}[\"']\s*\]\s*="
    return quoted


def _group_fragment(group: tuple[Atom, ...]) -> str:
    return "|".join(_fragment(atom) for atom in group)


def import_context(modules: list[str]) -> str:
    """A vendor module name on an import line, anywhere in a parenthesised or
    backslash-continued import list, or imported by name at run time. Calls only resolve
    to a vendor through an import, and a module name such as `together` or `inference`
    is common English elsewhere
    (a docstring line that is only "together)" is not an import); files that reach a
    vendor through another repo module are re-analyzed by the link stage anyway."""
    names = "|".join(re.escape(m) for m in modules)
    return (rf"(?m:^(?:\x{{FEFF}})?[ \t]*(?:from|import)[ \t][^\n]*\b(?:{names})\b)"
            rf"|\b(?:from|import)[ \t]*(?:\(|\\\r?\n)[^)]*\b(?:{names})\b"
            # `importlib.import_module("litellm")`, `__import__("openai")`
            rf"|(?:import_module|__import__)\([ \t]*[\"'](?:{names})\b"
            # a lazy-module wrapper, `LazyLoader("openai", globals(), "openai")` (wider
            # than the engine's test of the callee's name: a prefilter may say "maybe")
            rf"|(?i:lazy)\w*\([^)\n]*[\"'](?:{names})\b")


def conditions(rules: RuleSet, kind: str = "python") -> tuple[list[str], list[Clause]]:
    """For files of ``kind``: fragments any one of which decides (imports, env names,
    string patterns), and clauses of rules with several conditions. Each matcher says
    what it needs (``Matcher.terms``); calls, keywords, assignments and resolved-only
    shapes need a vendor import, which the vendors' module names stand for."""
    module_words: set[str] = set()
    words: set[str] = set()
    patterns: set[str] = set()
    clauses: set[Clause] = set()
    if kind == "python":
        for vendor in rules.vendors:
            module_words.update(m.rsplit(".", 1)[-1] for m in vendor.modules)
    for rule in rules.rules:
        if not rule.matcher.facts:
            continue  # reads nothing in files (applied after the scan): needs no file
        terms = rule.matcher.terms(kind)
        if terms is None:  # nothing known: an empty fragment lets every file through
            patterns.add("")
            continue
        module_words.update(terms.modules)
        words.update(terms.words)
        patterns.update(terms.fragments)
        clauses.update(terms.clauses)
    fragments = [import_context(sorted(module_words))] if module_words else []
    fragments.extend(rf"\b{re.escape(w)}\b" for w in sorted(words))
    fragments.extend(sorted(patterns))
    return fragments, sorted(clauses, key=lambda c: [(a.form, a.word) for g in c for a in g])


def vocabulary(rules: RuleSet, kind: str = "python") -> list[str]:
    """Regex fragments; a file matching none of them cannot trigger any rule."""
    return _with_anchors(*conditions(rules, kind))


def _with_anchors(fragments: list[str], clauses: list[Clause]) -> list[str]:
    return fragments + sorted({_group_fragment(clause[0]) for clause in clauses})


# --------------------------------------------------------------------------- screen


class Verdict(enum.Enum):
    """What a file needs, from its bytes."""

    SKIP = "skip"  # no rule can match: its imports are all it gives
    SHAPES = "shapes"  # only multi-condition rules can: confirm on its syntax tree (stage 3)
    ANALYZE = "analyze"  # a single-condition rule may match: full analysis


IndexedClause = tuple[tuple[int, ...], ...]  # groups of indices into Prefilter.atom_list


@dataclass(frozen=True)
class Prefilter:
    """``any_hit``: stage one (every rule's anchor); ``decisive``: the single-condition
    fragments, a hit of which settles it; ``clauses``: the multi-condition rules, as
    groups of indices into ``atom_list``; ``atoms``: one RE2 set that finds every atom
    present in one pass (None when RE2 cannot build it: then any anchor hit is a
    yes); ``anchored``: the clauses by the atoms of their anchor group (stage 3)."""

    any_hit: Regex | MatchAll
    decisive: Regex | MatchAll
    clauses: tuple[IndexedClause, ...]
    atoms: PatternSet | None
    atom_list: tuple[Atom, ...]
    anchored: dict[int, tuple[IndexedClause, ...]]

    def verdict(self, data: bytes) -> Verdict:
        if not self.any_hit.search(data):
            return Verdict.SKIP
        if self.decisive.search(data) or self.atoms is None:
            return Verdict.ANALYZE
        present = self.atoms.present(data)
        return Verdict.SHAPES if any(_holds(c, present) for c in self.clauses) else Verdict.SKIP

    def accepts(self, data: bytes) -> bool:
        return self.verdict(data) is not Verdict.SKIP

    def shapes_in_tree(self, tree: ast.AST) -> bool:
        """Stage 3: whether every condition of some multi-condition rule holds within
        one expression of ``tree`` (see ``expression_units``)."""
        by_word = self._atoms_by_word
        for unit in expression_units(tree):
            present = unit_atoms(unit, by_word)
            if any(_holds(clause, present)
                   for i in present for clause in self.anchored.get(i, ())):
                return True
        return False

    @cached_property
    def _atoms_by_word(self) -> dict[str, tuple[tuple[str, int], ...]]:
        found: dict[str, list[tuple[str, int]]] = {}
        for index, atom in enumerate(self.atom_list):
            found.setdefault(atom.word, []).append((atom.form, index))
        return {word: tuple(entries) for word, entries in found.items()}


def _holds(clause: IndexedClause, present: set[int] | frozenset[int]) -> bool:
    return all(any(i in present for i in group) for group in clause)


# Nodes that hold statements. Every other node is an expression-like subtree (an
# expression, the arguments of a def, a keyword, a pattern, an alias) that holds none.
_STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case, ast.mod)


def expression_units(tree: ast.AST) -> Iterator[ast.AST]:
    """The largest subtrees of ``tree`` that hold no statement. Every site the analyzer
    matches (an attribute/subscript chain, a dict literal or ``dict()`` call, a
    comparison, and the literals they hold) lies within one of them."""
    stack = [tree]
    while stack:
        for child in ast.iter_child_nodes(stack.pop()):
            if isinstance(child, _STATEMENT_HOLDERS):
                stack.append(child)
            else:
                yield child


def unit_atoms(unit: ast.AST,
               by_word: dict[str, tuple[tuple[str, int], ...]]) -> set[int]:
    """Indices of the atoms present in one expression unit, in the forms the analyzer
    reads: a name is a ``word``; an attribute or a string subscript key a ``word`` and a
    ``member``; a string dict key or any keyword argument a ``key``; any string (or
    bytes) literal ``quoted``. A superset is harmless (LibCST decides); a miss is not."""
    present: set[int] = set()

    def add(word: str, forms: tuple[str, ...]) -> None:
        for form, index in by_word.get(word, ()):
            if form in forms:
                present.add(index)

    for node in ast.walk(unit):
        kind = type(node)
        if kind is ast.Name:
            add(node.id, ("word",))
        elif kind is ast.Attribute:
            add(node.attr, ("word", "member"))
        elif kind is ast.Constant:
            if isinstance(node.value, str):
                add(node.value, ("quoted",))
            elif isinstance(node.value, bytes):
                add(node.value.decode("latin-1"), ("quoted",))
        elif kind is ast.keyword:
            if node.arg is not None:
                add(node.arg, ("key",))
        elif kind is ast.Subscript:
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                # `d["k"] = v` writes a key of a dict built step by step.
                store = ("key",) if isinstance(node.ctx, ast.Store) else ()
                add(node.slice.value, ("word", "member", *store))
        elif kind is ast.Call:
            key = read_key(node)  # type: ignore[arg-type]
            if key is not None:
                add(key, ("word", "member"))
        elif kind is ast.Dict:
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    add(key.value, ("key",))
    return present


def read_key(node: ast.Call) -> str | None:
    """The field a call reads as the analyzer sees it: ``x.get("k")``, ``getattr(x, "k")``
    and ``hasattr(x, "k")`` read ``x.k`` (``lockscan.engine.python.symbols.value_call``)."""
    func, args = node.func, node.args
    if isinstance(func, ast.Attribute) and func.attr == "get" and args:
        key = args[0]
    elif isinstance(func, ast.Name) and func.id in ("getattr", "hasattr") and len(args) >= 2:
        key = args[1]
    else:
        return None
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


def _join(fragments: list[str]) -> Regex | MatchAll:
    """One RE2 pattern (linear time: rules' regexes are user input, see lockscan.ruleset.regex)."""
    if not fragments:
        return compile_bytes(rb"[^\x00-\x{10FFFF}]")  # matches nothing
    try:
        return compile_bytes("|".join(f"(?:{f})" for f in fragments).encode("utf-8"))
    except PatternError:
        return MatchAll()  # slower, never wrong: a prefilter may only say "maybe"


def compile_prefilter(rules: RuleSet, kind: str = "python") -> Prefilter:
    fragments, clauses = conditions(rules, kind)
    atoms = sorted({atom for clause in clauses for group in clause for atom in group},
                   key=lambda a: (a.form, a.word))
    number = {atom: i for i, atom in enumerate(atoms)}
    indexed = tuple(tuple(tuple(number[a] for a in group) for group in clause)
                    for clause in clauses)
    try:
        found: PatternSet | None = PatternSet([_fragment(a).encode("utf-8") for a in atoms])
    except PatternError:
        found = None
    anchored: dict[int, list[IndexedClause]] = {}
    for clause in indexed:
        for index in clause[0]:
            anchored.setdefault(index, []).append(clause)
    return Prefilter(_join(_with_anchors(fragments, clauses)), _join(fragments), indexed, found,
                     tuple(atoms), {i: tuple(c) for i, c in anchored.items()})
