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
from itertools import product

from lockscan.ruleset.loader import (
    AccessMatcher,
    CompareMatcher,
    DictMatcher,
    EnvMatcher,
    ImportMatcher,
    RuleSet,
    StringMatcher,
    alternatives_at,
)
from lockscan.ruleset.regex import (
    MatchAll,
    PatternError,
    PatternSet,
    Regex,
    compile_bytes,
    search_fragment,
    syntax_characters,
)

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MIN_ATTR_ANCHOR = 6  # shorter attribute names (`type`) are too common to anchor on
MAX_EXPANSIONS = 256  # alternatives of one chain pattern checked one by one, at most
SCREENED_KINDS = ("python", "prompt")  # the file kinds that go through the prefilter

# Chain segments that nearly every codebase uses; a chain rule anchors on a rarer one.
COMMON_SEGMENTS = frozenset({"message", "content", "text", "data", "name", "type", "id",
                             "value", "input", "output", "outputs", "result", "delta", "parts",
                             "role", "function", "parameters", "properties", "description",
                             "call"})


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class Atom:
    """One way a word can appear. ``form``: ``word`` (anywhere, whole word), ``member``
    (after a dot, or quoted: an attribute or subscript key), ``key`` (a quoted dict
    key before its colon, or a ``key=`` keyword), ``quoted`` (a quoted string literal,
    exactly)."""

    form: str
    word: str


Group = tuple[Atom, ...]  # holds when any atom does
Clause = tuple[Group, ...]  # holds when every group does; the first group is the anchor


def _fragment(atom: Atom) -> str:
    """The RE2 fragment of one atom, for the stage-one pattern."""
    word = re.escape(atom.word)
    quoted = rf"[\"']{word}[\"']"
    if atom.form == "word":
        return rf"\b{word}\b"
    if atom.form == "member":
        return rf"\.\s*{word}\b|{quoted}"
    if atom.form == "key":  # `"k":` in a literal (`'''k''':` too), or `dict(k=...)`
        return rf"[\"']{word}[\"']+\s*:|\b{word}\s*="
    return quoted


def _group_fragment(group: Group) -> str:
    return "|".join(_fragment(atom) for atom in group)


# --------------------------------------------------------------------------- per rule


def access_clauses(pattern: str) -> list[Clause]:
    """One clause per alternative spelled out (``{a,b}.c`` is ``a.c`` or ``b.c``). A
    segment after a dot is an attribute or a quoted subscript key in the source (a
    member); the first one may be the chain's root name (a word). The least common
    segment is the anchor."""
    spelled = expand(pattern)
    if spelled is None:  # too many alternatives: any segment of any of them
        idents = sorted(set(_IDENT.findall(pattern)))
        return [(tuple(Atom("word", i) for i in idents),)] if idents else []
    clauses = []
    for text in spelled:
        atoms = {Atom("member" if text[m.start() - 1:m.start()] == "." else "word", m.group(0))
                 for m in _IDENT.finditer(text)}
        # A name both ways (`a.a`) needs only the weaker spelling.
        atoms -= {Atom("member", a.word) for a in atoms if a.form == "word"}
        if not atoms:
            return []  # wildcards only: no word is necessary (the rule loader warns of none)
        anchor = min(atoms, key=lambda a: (*_rank(a.word), a.form))
        rest = sorted(atoms - {anchor}, key=lambda a: (a.word, a.form))
        clauses.append(((anchor,), *((atom,) for atom in rest)))
    return clauses


def expand(pattern: str) -> list[str] | None:
    """Every alternative of a path pattern spelled out (``{a,b}.c`` -> ``a.c``, ``b.c``);
    None past MAX_EXPANSIONS. Wildcards stay as they are: they require no word."""
    parts: list[list[str]] = []
    pos = 0
    while pos < len(pattern):
        if pattern[pos] == "{":
            alternatives, pos = alternatives_at(pattern, pos)
            options: list[str] = []
            for option in alternatives:
                inner = expand(option)
                if inner is None:
                    return None
                options.extend(inner)
            parts.append(options)
        else:
            parts.append([pattern[pos]])
            pos += 1
    total = 1
    for options in parts:
        total *= len(options)
        if total > MAX_EXPANSIONS:
            return None
    return ["".join(combination) for combination in product(*parts)]


def compare_clause(matcher: CompareMatcher) -> Clause:
    """An attribute (as a word) and one of the compared values (quoted); the anchor is
    the attribute when every name is long enough to be rare, else the value."""
    attrs: Group = tuple(Atom("word", a) for a in sorted(matcher.attrs))
    values: Group = tuple(Atom("quoted", v) for v in sorted(matcher.values))
    if all(len(a) >= MIN_ATTR_ANCHOR for a in matcher.attrs):
        return (attrs, values)
    return (values, attrs)


def dict_clause(matcher: DictMatcher) -> Clause:
    """Every key (its own and its nested dicts'), and one allowed value per valued
    key; the least common of the required keys and single values is the anchor."""
    groups: dict[Group, tuple[bool, str]] = {}  # group -> (is common, word) for ranking
    for key in matcher.keys | {k for _, keys in matcher.nested for k in keys}:
        groups[(Atom("key", key),)] = (key in COMMON_SEGMENTS, key)
    for _, allowed in matcher.values:
        group = tuple(Atom("quoted", v) for v in sorted(allowed))
        groups[group] = (len(allowed) > 1 or allowed[0] in COMMON_SEGMENTS, allowed[0])
    candidates = [(key, rank) for key, rank in groups.items()
                  if key[0].word in matcher.keys or key[0].form == "quoted"]
    anchor = min(candidates, key=lambda c: (c[1][0], -len(c[1][1]), c[1][1], c[0][0].form))[0]
    return (anchor, *sorted((g for g in groups if g != anchor),
                            key=lambda g: [(a.form, a.word) for a in g]))


def _rank(ident: str) -> tuple[bool, bool, int, str]:
    """Lowest for the identifier least likely to appear by chance: one with an
    underscore (`tool_calls`), else the longest that is not a common word."""
    return ("_" not in ident, ident in COMMON_SEGMENTS, -len(ident), ident)


def string_fragments(matcher: StringMatcher, kind: str) -> list[str]:
    """The regexes of a string rule as searches over raw source. In Python a rule
    anchored at both ends matches a whole literal's value, so it must sit between
    quotes (prefixes such as ``f`` or ``r`` and triple quotes keep a quote adjacent)."""
    if kind == "prompt":
        return ([search_fragment(r.pattern) for r in matcher.regexes]
                + [re.escape(key) for key, _ in matcher.table])
    fragments = []
    for regex in matcher.regexes:
        fragment = search_fragment(regex.pattern)
        if _anchored_both(regex.pattern):
            fragment = rf"[\"'](?:{search_fragment(regex.pattern[1:-1])})[\"']"
        fragments.append(fragment)
    fragments.extend(rf"[\"']{re.escape(key)}[\"']" for key, _ in matcher.table)
    return fragments


def _anchored_both(pattern: str) -> bool:
    """``^...$`` with no top-level alternation and no escaped final ``$``."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith(r"\$")):
        return False
    return not any(char in "|^$" and depth == 0
                   for _, char, depth in syntax_characters(pattern[1:-1]))


def import_context(modules: list[str]) -> str:
    """A vendor module name on an import line, or anywhere in a parenthesised or
    backslash-continued import list. Calls only resolve to a vendor through an import,
    and a module name such as `together` or `inference` is common English elsewhere
    (a docstring line that is only "together)" is not an import); files that reach a
    vendor through another repo module are re-analyzed by the link stage anyway."""
    names = "|".join(re.escape(m) for m in modules)
    return (rf"(?m:^(?:\x{{FEFF}})?[ \t]*(?:from|import)[ \t][^\n]*\b(?:{names})\b)"
            rf"|\b(?:from|import)[ \t]*(?:\(|\\\r?\n)[^)]*\b(?:{names})\b")


def conditions(rules: RuleSet, kind: str = "python") -> tuple[list[str], list[Clause]]:
    """For files of ``kind``: fragments any one of which decides (imports, env names,
    string patterns), and clauses of rules with several conditions."""
    if kind == "prompt":  # prompt files are only searched by string rules
        return sorted({f for rule in rules.rules if isinstance(rule.matcher, StringMatcher)
                       and "prompt" in rule.matcher.files
                       for f in string_fragments(rule.matcher, "prompt")}), []
    module_words: set[str] = set()
    words: set[str] = set()
    patterns: set[str] = set()
    clauses: set[Clause] = set()
    for vendor in rules.vendors:
        module_words.update(m.rsplit(".", 1)[-1] for m in vendor.modules)
    for rule in rules.rules:
        matcher = rule.matcher
        if isinstance(matcher, ImportMatcher):
            module_words.update(m.rsplit(".", 1)[-1] for m in matcher.modules)
        elif isinstance(matcher, EnvMatcher):
            words.update(matcher.names)
            # Settings-class fields spell them in lower case (`openai_api_key: str`).
            words.update(name.lower() for name in matcher.names)
        elif isinstance(matcher, DictMatcher):
            clauses.add(dict_clause(matcher))
        elif isinstance(matcher, AccessMatcher) and not matcher.require_resolved:
            for pattern in matcher.patterns:
                clauses.update(access_clauses(pattern))
        elif isinstance(matcher, CompareMatcher) and not matcher.require_resolved:
            clauses.add(compare_clause(matcher))
        elif isinstance(matcher, StringMatcher) and "python" in matcher.files:
            patterns.update(string_fragments(matcher, kind))
        # Calls, keywords, assignments and resolved-only shapes need a vendor import.
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
                add(node.slice.value, ("word", "member"))
        elif kind is ast.Dict:
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    add(key.value, ("key",))
    return present


def _join(fragments: list[str]) -> Regex | MatchAll:
    """One RE2 pattern (linear time: rules' regexes are user input, see saferegex)."""
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


def prefilter_for(rules: RuleSet, kind: str = "python") -> Prefilter:
    """The compiled prefilter of a rule set for one file kind, built once and kept."""
    return rules.derived(f"prefilter:{kind}", lambda r: compile_prefilter(r, kind))
