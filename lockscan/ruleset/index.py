"""Where a rule is matched: pure functions from extracted facts to rule hits.

The analyzers extract facts (imports, call sites, chains, comparisons, dict literals,
string literals) and ask this module which rules they trigger. The link stage asks
again for sites that only resolve once other files are known. Nothing here parses
or reads files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from lockscan.model import CallSite, ChainSite, CompareSite, Site, Span
from lockscan.ruleset.loader import (
    AccessMatcher,
    AssignMatcher,
    CallMatcher,
    CompareMatcher,
    DependencyMatcher,
    DictMatcher,
    EnvMatcher,
    ImportMatcher,
    KeywordMatcher,
    Rule,
    RuleSet,
    StringMatcher,
    path_pattern_regex,
)
from lockscan.ruleset.regex import (
    MatchAll,
    PatternError,
    PatternSet,
    Regex,
    compile_text,
    search_fragment,
    searchable,
    searchable_utf8,
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule that fired at a span; ``subject`` fills ``{match}`` in the message."""

    rule: Rule
    span: Span
    subject: str
    confidence: str
    data: str = ""
    vendor: str | None = None  # overrides the rule's vendor (OpenAI SDK pointed elsewhere)


@dataclass(frozen=True, slots=True)
class DictFact:
    keys: frozenset[str]
    values: tuple[tuple[str, str], ...]  # (key, literal string value)
    nested: tuple[tuple[str, frozenset[str]], ...]  # (key, keys of the nested dict)
    span: Span
    # When the dict ends a list literal of 2+ dicts: the keys all of them share.
    list_common_keys: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class StringFact:
    value: str
    span: Span
    env_context: bool = False  # argument of os.getenv / os.environ[...]


@dataclass(frozen=True, slots=True)
class Candidates:
    """Which of ``rules`` may match a text, found in one RE2 pass instead of one
    search per rule. ``found`` holds RE2 patterns, pattern k standing for rule
    ``owners[k]``; rules in ``always`` could not be put there and are always tried;
    ``exact`` maps a whole text to the rules that name it exactly. A rule left out
    cannot match; one let in still faces its own check (which also finds positions)."""

    rules: tuple[Rule, ...]
    found: PatternSet | None
    owners: tuple[int, ...]
    always: frozenset[int]
    exact: Mapping[str, tuple[int, ...]]

    def of(self, text: str) -> list[Rule]:
        """The rules that may match ``text``, in rule order."""
        found = self.found.present(searchable_utf8(text)) if self.found is not None else ()
        exact = self.exact.get(text, ())
        if not (found or exact or self.always):
            return []  # most texts: nothing to sort or look up
        chosen = {self.owners[k] for k in found}
        chosen.update(self.always, exact)
        return [self.rules[i] for i in sorted(chosen)]


def build_candidates(
    rules: Iterable[Rule],
    patterns: Callable[[Rule], list[str] | None],
    exact: Callable[[Rule], Iterable[str]] = lambda rule: (),
    whole: bool = False,
) -> Candidates:
    """``patterns(rule)``: RE2 patterns at least one of which matches every text the
    rule matches (None: no such patterns, always try the rule); ``exact(rule)``: texts
    the rule matches exactly. ``whole``: patterns must match the whole text."""
    kept = tuple(rules)
    owners: list[int] = []
    sources: list[bytes] = []
    always: set[int] = set()
    exact_texts: dict[str, list[int]] = {}
    for number, rule in enumerate(kept):
        own = patterns(rule)
        if own is None or not all(_compiles(pattern) for pattern in own):
            always.add(number)
            continue
        for pattern in own:
            owners.append(number)
            sources.append(pattern.encode("utf-8"))
        for text in exact(rule):
            exact_texts.setdefault(text, []).append(number)
    found: PatternSet | None = None
    if sources:
        try:
            found = PatternSet(sources, whole=whole)
        except PatternError:  # too large for one set: every rule is tried, never wrong
            always.update(owners)
    return Candidates(kept, found, tuple(owners), frozenset(always),
                      {text: tuple(numbers) for text, numbers in exact_texts.items()})


def _compiles(pattern: str) -> bool:
    try:
        compile_text(pattern)
    except PatternError:
        return False
    return True


def _string_patterns(rule: Rule) -> list[str] | None:
    """A string rule's own RE2 regexes, searched as they are; regexes that fell back
    to Python's ``re`` (bundled rules with lookaround) widened until RE2 can take them."""
    widened = [regex.pattern if not isinstance(regex, re.Pattern) else _widened(regex.pattern)
               for regex in rule.matcher.regexes]  # type: ignore[union-attr]
    return None if None in widened else widened  # type: ignore[return-value]


# Where Python's ``re`` and RE2 disagree on non-ASCII text: Unicode classes and case folding.
_UNICODE_SENSITIVE = re.compile(r"\\[wWdDsS]|\(\?[a-zA-Z]*i")


def _widened(pattern: str) -> str | None:
    """An RE2 pattern that matches wherever the Python ``re`` pattern does: lookaround
    and anchors relaxed (``search_fragment``) and ``\\b``/``\\B`` dropped (Python's are
    Unicode-aware, RE2's ASCII-only). None when no such widening is known."""
    if _UNICODE_SENSITIVE.search(pattern) or "[]" in pattern or "[^]" in pattern:
        return None  # (a class opening with `]` holds it literally: not tracked below)
    out: list[str] = []
    in_class = False
    for token in re.findall(r"\\.|.", pattern, re.DOTALL):
        if token in ("\\b", "\\B"):
            if in_class:  # `[\b]` is a backspace in Python: leave such patterns alone
                return None
            continue
        if in_class:
            in_class = token != "]"
        elif token == "[":
            in_class = True
        out.append(token)
    return search_fragment("".join(out))


def _string_table(rule: Rule) -> Iterable[str]:
    return (key for key, _ in rule.matcher.table)  # type: ignore[union-attr]


def _call_patterns(calls: CallMatcher) -> list[str]:
    return [calls.regex.pattern]


def _access_patterns(rule: Rule) -> list[str]:
    """The access regex with its lookaround spelled as consumed characters (RE2 has
    none), which keeps the yes/no answer; ``\\n?$`` because Python's ``$`` also
    matches before a final newline."""
    body = "|".join(f"(?:{path_pattern_regex(p)})"
                    for p in rule.matcher.patterns)  # type: ignore[union-attr]
    return [rf"(?:^|[.\])])(?:{body})(?:\n?$|[.(\[])"]


class RuleIndex:
    """Rules grouped by matcher type, with the vendor module roots each rule trusts."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.by_type: dict[type, tuple[Rule, ...]] = {}
        for rule in rules.rules:
            key = type(rule.matcher)
            self.by_type[key] = (*self.by_type.get(key, ()), rule)
        self.vendor_modules = {v.id: v.modules for v in rules.vendors}
        self.all_vendor_modules = tuple(sorted({m for v in rules.vendors for m in v.modules}))
        self.vendor_module_set = frozenset(self.all_vendor_modules)
        # First segments of every vendor module: most paths fail on their first segment.
        self.vendor_roots = frozenset(SEGMENT_END.split(m, 1)[0] for m in self.all_vendor_modules)
        self.screens: dict[str, Regex | MatchAll] = {}
        self.string_candidates: dict[str, Candidates] = {}
        self.env_by_name: dict[str, tuple[Rule, ...]] = {}
        for rule in self.of(EnvMatcher):
            for name in rule.matcher.names:  # type: ignore[union-attr]
                self.env_by_name[name] = (*self.env_by_name.get(name, ()), rule)
        self.import_by_module: dict[str, tuple[int, ...]] = {}
        for number, rule in enumerate(self.of(ImportMatcher)):
            for module in rule.matcher.modules:  # type: ignore[union-attr]
                self.import_by_module[module] = (*self.import_by_module.get(module, ()), number)

    def strings_for(self, file_kind: str) -> Candidates:
        """The string rules that apply to ``file_kind``, screened together."""
        found = self.string_candidates.get(file_kind)
        if found is None:
            found = self.string_candidates[file_kind] = build_candidates(
                (rule for rule in self.of(StringMatcher)
                 if string_rule_applies(rule.matcher, file_kind)),  # type: ignore[arg-type]
                _string_patterns, _string_table)
        return found

    # Built on first use: a rescan served from the cache matches nothing.
    @functools.cached_property
    def calls(self) -> Candidates:
        return build_candidates(
            self.of(CallMatcher), lambda r: _call_patterns(r.matcher), whole=True)  # type: ignore[arg-type]

    @functools.cached_property
    def keywords(self) -> Candidates:
        return build_candidates(
            self.of(KeywordMatcher), lambda r: _call_patterns(r.matcher.calls), whole=True)  # type: ignore[union-attr]

    @functools.cached_property
    def access(self) -> Candidates:
        return build_candidates(self.of(AccessMatcher), _access_patterns)

    def string_screen(self, file_kind: str) -> Regex | MatchAll:
        """One RE2 pattern that every string able to hit a ``file_kind`` string rule
        matches, so most literals cost one search instead of one per rule."""
        screen = self.screens.get(file_kind)
        if screen is None:
            fragments = []
            for rule in self.of(StringMatcher):
                matcher: StringMatcher = rule.matcher  # type: ignore[assignment]
                if string_rule_applies(matcher, file_kind):
                    fragments.extend(search_fragment(r.pattern) for r in matcher.regexes)
                    fragments.extend(re.escape(key) for key, _ in matcher.table)
            try:
                screen = compile_text("|".join(f"(?:{f})" for f in fragments)) if fragments \
                    else compile_text(r"[^\x00-\x{10FFFF}]")
            except PatternError:
                screen = MatchAll()  # slower, never wrong: a screen may only say "maybe"
            self.screens[file_kind] = screen
        return screen

    def of(self, matcher_type: type) -> tuple[Rule, ...]:
        return self.by_type.get(matcher_type, ())

    def is_vendor_path(self, path: str) -> bool:
        """``path`` is a vendor module or starts with one followed by ``.``, ``(``, ``[``.
        A set lookup per segment boundary: the link stage asks this for every export of
        a repo, and a loop over ~80 module prefixes per question dominated a rescan."""
        if SEGMENT_END.split(path, 1)[0] not in self.vendor_roots:
            return False
        if path in self.vendor_module_set:
            return True
        return any(path[:end.start()] in self.vendor_module_set
                   for end in SEGMENT_END.finditer(path))

    def owner_matches(self, rule: Rule, path: str, roots: tuple[str, ...]) -> bool | None:
        """True: the path is rooted in the rule's vendor; False: in another vendor; None: neither."""
        own = roots or self.vendor_modules.get(rule.vendor, ())
        if any(_has_prefix(path, m) for m in own):
            return True
        if self.is_vendor_path(path):
            return False
        return None


SEGMENT_END = re.compile(r"[.(\[]")  # where a path segment ends: `.`, a call, a subscript


def index_rules(rules: RuleSet) -> RuleIndex:
    """The index of a rule set, built once and kept on the rule set."""
    return rules.derived("index", RuleIndex)


def _has_prefix(path: str, module: str) -> bool:
    return path == module or (
        path.startswith(module) and path[len(module)] in ".([" if len(path) > len(module) else False
    )


# --------------------------------------------------------------------------- imports


def match_import(index: RuleIndex, modules: Iterable[str], span: Span, text: str) -> list[Hit]:
    """One hit per rule for an import statement; ``modules`` are the absolute names it binds."""
    # A rule names module prefixes; look each dotted prefix of each name up instead
    # of testing every rule. A rule's subject is the first name that hits it.
    subjects: dict[int, str] = {}
    for name in modules:
        for prefix in _dotted_prefixes(name):
            for number in index.import_by_module.get(prefix, ()):
                subjects.setdefault(number, name)
    rules = index.of(ImportMatcher)
    return [Hit(rules[number], span, subject, rules[number].confidence)
            for number, subject in sorted(subjects.items())]


def _dotted_prefixes(name: str) -> Iterable[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: what ``n == p or n.startswith(p + ".")``
    accepts as ``p``."""
    start = name.find(".")
    while start != -1:
        yield name[:start]
        start = name.find(".", start + 1)
    yield name


# --------------------------------------------------------------------------- sites


_VENDOR_TAG = re.compile(r"@([a-z0-9_]+)")


def split_vendor(path: str) -> tuple[str, str | None]:
    """A path without its ``@vendor`` tags, and the last tag (the host a client was
    pointed at, see ``lockscan.engine.python.endpoints``)."""
    if "@" not in path:
        return path, None
    tags = _VENDOR_TAG.findall(path)
    return _VENDOR_TAG.sub("", path), (tags[-1] if tags else None)


def _with_vendor(hits: list[Hit], vendor: str | None) -> list[Hit]:
    return [replace(hit, vendor=vendor) for hit in hits] if vendor else hits


def match_site(index: RuleIndex, site: Site) -> list[Hit]:
    """Rules hit by a site. A host tag on its path (``openai.OpenAI()@together``) is
    taken off before matching and becomes the vendor of every hit."""
    path, vendor = split_vendor(site.path)
    if vendor:
        return _with_vendor(match_site(index, replace(site, path=path)), vendor)
    if isinstance(site, CallSite):
        return match_call(index, site)
    if isinstance(site, ChainSite):
        return match_chain(index, site)
    return match_compare(index, site)


def match_call(index: RuleIndex, site: CallSite) -> list[Hit]:
    hits = []
    for rule in index.calls.of(site.path):
        if rule.matcher.regex.fullmatch(site.path):  # type: ignore[union-attr]
            hits.append(Hit(rule, site.span, site.text, rule.confidence))
    for rule in index.keywords.of(site.path) if site.keywords else ():
        matcher: KeywordMatcher = rule.matcher  # type: ignore[assignment]
        if not matcher.calls.regex.fullmatch(site.path):
            continue
        for name, value in site.keywords:
            if name in matcher.names and (
                matcher.value is None or matcher.value.search(searchable(value))
            ):
                hits.append(Hit(rule, site.span, name, rule.confidence))
                break
    return hits


def match_assign(
    index: RuleIndex, path: str, span: Span, text: str, value: str = ""
) -> list[Hit]:
    """``value``: the literal tokens of the assigned value, for rules that test it."""
    path, vendor = split_vendor(path)
    hits = []
    for rule in index.of(AssignMatcher):
        matcher: AssignMatcher = rule.matcher  # type: ignore[assignment]
        if matcher.targets.regex.fullmatch(path) and (
            matcher.value is None or matcher.value.search(searchable(value))
        ):
            hits.append(Hit(rule, span, text, rule.confidence))
    return _with_vendor(hits, vendor)


def _resolved_confidence(
    index: RuleIndex, rule: Rule, path: str, resolved: bool, require: bool, roots: tuple[str, ...]
) -> str | None:
    """High when the chain is rooted in the rule's vendor, lower when its root is unknown,
    None when it belongs to another vendor (or must be resolved and is not)."""
    if resolved:
        owner = index.owner_matches(rule, path, roots)
        if owner is True:
            return "high"
        if owner is False or require:
            return None
        return "medium"
    return None if require else "medium"


def match_chain(index: RuleIndex, site: ChainSite) -> list[Hit]:
    hits = []
    for rule in index.access.of(site.path):
        matcher: AccessMatcher = rule.matcher  # type: ignore[assignment]
        found = matcher.regex.search(site.path)
        if not found:
            continue
        confidence = _resolved_confidence(
            index, rule, site.path, site.resolved, matcher.require_resolved, matcher.roots
        )
        if confidence:
            hits.append(Hit(rule, site.span, site.text, confidence))
    return hits


def match_compare(index: RuleIndex, site: CompareSite) -> list[Hit]:
    hits = []
    last = _last_segment(site.path)
    for rule in index.of(CompareMatcher):
        matcher: CompareMatcher = rule.matcher  # type: ignore[assignment]
        if last not in matcher.attrs:
            continue
        value = next((v for v in site.values if v in matcher.values), None)
        if value is None:
            continue
        confidence = _resolved_confidence(
            index, rule, site.path, site.resolved, matcher.require_resolved, matcher.roots
        )
        if confidence:
            hits.append(Hit(rule, site.span, f"{last} == {value!r}", confidence))
    return hits


def _last_segment(path: str) -> str:
    trimmed = path
    while trimmed.endswith(("[]", "()")):
        trimmed = trimmed[:-2]
    return trimmed.rsplit(".", 1)[-1]


# --------------------------------------------------------------------------- literals


def match_dict(index: RuleIndex, fact: DictFact) -> list[Hit]:
    hits = []
    values = dict(fact.values)
    nested = dict(fact.nested)
    for rule in index.of(DictMatcher):
        matcher: DictMatcher = rule.matcher  # type: ignore[assignment]
        if not matcher.keys <= fact.keys or matcher.absent & fact.keys:
            continue
        if any(values.get(key) not in allowed for key, allowed in matcher.values):
            continue
        if any(not want <= nested.get(key, frozenset()) for key, want in matcher.nested):
            continue
        if matcher.last_in_list_of and matcher.last_in_list_of not in fact.list_common_keys:
            continue
        subject = ", ".join(f'"{k}"' for k in sorted(matcher.keys))
        hits.append(Hit(rule, fact.span, subject, rule.confidence))
    return hits


def match_string(index: RuleIndex, fact: StringFact, file_kind: str = "python") -> list[Hit]:
    hits = []
    for rule in index.strings_for(file_kind).of(fact.value):
        found = _search_string(rule.matcher, fact.value)  # type: ignore[arg-type]
        if found is not None:
            subject, data = found
            hits.append(Hit(rule, fact.span, subject, rule.confidence, data))
    for rule in index.env_by_name.get(fact.value, ()):
        confidence = rule.confidence if fact.env_context else "medium"
        hits.append(Hit(rule, fact.span, fact.value, confidence))
    return hits


def match_env_name(index: RuleIndex, name: str, span: Span) -> list[Hit]:
    """An environment variable read by name (a settings-class field), not a literal."""
    return [Hit(rule, span, name, rule.confidence) for rule in index.env_by_name.get(name, ())]


def _search_string(matcher: StringMatcher, value: str) -> tuple[str, str] | None:
    """The matched text and the rule's datum, for a string literal."""
    found = _locate_string(matcher, value)
    if found is None:
        return None
    start, end, data = found
    return value[start:end], data


def string_rule_applies(matcher: StringMatcher, file_kind: str) -> bool:
    """Notebook code cells are Python: they match rules for ``python`` or ``notebook``."""
    return file_kind in matcher.files or (file_kind == "notebook" and "python" in matcher.files)


def match_text_value(
    index: RuleIndex, value: str, line: int, column: int, file_kind: str
) -> list[Hit]:
    """String rules over one value taken from a text file (a config value, a prompt line).

    ``column`` is the 1-based column where ``value`` starts; the hit spans the matched
    part. Anchored model-id regexes therefore only match a whole value, never a
    substring of a longer line."""
    hits = []
    for rule in index.strings_for(file_kind).of(value):
        matcher: StringMatcher = rule.matcher  # type: ignore[assignment]
        found = _locate_string(matcher, value)
        if found is not None:
            start, end, data = found
            span = Span(line, column + start, line, column + end)
            hits.append(Hit(rule, span, value[start:end], rule.confidence, data))
    return hits


def _locate_string(matcher: StringMatcher, value: str) -> tuple[int, int, str] | None:
    value = searchable(value)
    if matcher.exclude is not None and matcher.exclude.search(value):
        return None
    for key, data in matcher.table:
        if value == key:
            return 0, len(value), data
    for regex in matcher.regexes:
        found = regex.search(value)
        if found:
            return found.start(), found.end(), ""
    return None


def match_dependency(index: RuleIndex, distribution: str, span: Span, spec: str) -> list[Hit]:
    return [
        Hit(rule, span, spec or distribution, rule.confidence)
        for rule in index.of(DependencyMatcher)
        if distribution in rule.matcher.distributions  # type: ignore[union-attr]
    ]
