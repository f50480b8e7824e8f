"""The screened matcher groups (``lockscan.ruleset.matchers``) give exactly the hits of
the plain loop over every rule (kept here as the reference), on every string, call,
chain and import that full analysis meets in the rule examples and the sample repos,
plus edge cases (table keys, env names, lone surrogates, trailing newlines)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from lockscan.engine import analyze_file
from lockscan.model import (
    CallSite,
    ChainSite,
    ImportFact,
    KeywordSite,
    Site,
    SourceFile,
    Span,
    StringFact,
    TextValueFact,
)
from lockscan.ruleset import RuleSet
from lockscan.ruleset.candidates import build_candidates
from lockscan.ruleset.index import RuleIndex, is_fallback, split_vendor
from lockscan.ruleset.matchers import (
    AccessMatcher,
    CallMatcher,
    CompareMatcher,
    EnvMatcher,
    Hit,
    ImportMatcher,
    KeywordMatcher,
    StringMatcher,
)
from lockscan.ruleset.matchers.access import reaches, written_start
from lockscan.ruleset.regex import searchable
from tests.support.repos import ROOT

SPAN = Span(1, 1, 1, 1)
KINDS = ("python", "notebook", "prompt", "config")


# ---------------------------------------------------------------- the plain loops


def plain_strings(index: RuleIndex, value: str, kind: str) -> list[tuple[str, int, int, str]]:
    found = []
    for rule, matcher in index.members(StringMatcher):
        if matcher.applies_to(kind):
            where = matcher.locate(value)
            if where is not None:
                found.append((rule.id, *where))
    return found


def plain_env(index: RuleIndex, value: str) -> list[str]:
    return [rule.id for rule, matcher in index.members(EnvMatcher) if value in matcher.names]


def plain_site(index: RuleIndex, site: Site) -> list[tuple[str, str, str, str | None]]:
    path, vendor = split_vendor(site.path)
    found: list[tuple[str, str, str]] = []
    if isinstance(site, CallSite | KeywordSite):
        keywords = site.keywords if isinstance(site, CallSite) else ((site.name, site.value),)
        for rule, call in index.members(CallMatcher) if isinstance(site, CallSite) else ():
            if call.regex.fullmatch(path):
                found.append((rule.id, site.text, rule.confidence))
        for rule, matcher in index.members(KeywordMatcher):
            if matcher.calls.regex.fullmatch(path):
                name = next((n for n, v in keywords if n in matcher.names and (
                    matcher.value is None or matcher.value.search(searchable(v))) and (
                    matcher.unless is None or not matcher.unless.search(searchable(v)))), None)
                if name is not None:
                    found.append((rule.id, name, rule.confidence))
    elif isinstance(site, ChainSite):
        payloads = index.group(AccessMatcher).payloads
        for rule, access in index.members(AccessMatcher):
            written = written_start(site, payloads.get(rule.vendor, frozenset()))
            if access.falls_back() or (written and not reaches(access.regex, site.path, written)):
                continue
            if access.regex.search(path):
                confidence = index.confidence(rule, path, site.resolved,
                                              access.require_resolved, access.roots)
                if confidence:
                    found.append((rule.id, site.text, confidence))
    else:
        found = [(h.rule.id, h.subject, h.confidence)
                 for h in index.group(CompareMatcher).match(replace(site, path=path))]
    return [(*f, vendor) for f in found]


def plain_import(index: RuleIndex, names: list[str]) -> list[tuple[str, str]]:
    found = []
    for rule, matcher in index.members(ImportMatcher):
        prefixes = matcher.modules
        hit = next((n for n in names for p in prefixes if n == p or n.startswith(p + ".")), None)
        if hit is not None:
            found.append((rule.id, hit))
    return found


# ---------------------------------------------------------------- what analysis meets


def _sources() -> list[Path]:
    return sorted([*(ROOT / "rules").rglob("*.py"), *(ROOT / "sample_repos").rglob("*.py")])


@pytest.fixture(scope="module")
def met(rules: RuleSet) -> dict[str, list]:
    """Every string, site and import the analyzer asks about, over all sources."""
    seen: dict[str, list] = {"strings": [], "sites": [], "imports": []}
    patch = pytest.MonkeyPatch()
    real = RuleIndex.hits

    def record(index, fact):
        if isinstance(fact, StringFact):
            seen["strings"].append(fact)
        elif isinstance(fact, ImportFact):
            seen["imports"].append(fact.modules)
        elif isinstance(fact, Site):
            seen["sites"].append(fact)
        return real(index, fact)

    patch.setattr(RuleIndex, "hits", record)
    try:
        for path in _sources():
            source = SourceFile(str(path.relative_to(ROOT)), str(path), "python", path.stem)
            analyze_file(source, path.read_bytes(), rules, True)
    finally:
        patch.undo()
    return seen


def _edge_strings(index: RuleIndex) -> list[str]:
    keys = [k for _, matcher in index.members(StringMatcher) for k, _ in matcher.table]
    envs = [n for _, matcher in index.members(EnvMatcher) for n in matcher.names]
    return [*keys, *(k + "\n" for k in keys), *envs, "", "\ud800gpt-4o", "You are Claude.",
            "as éClaude", "accounts/me/models/x\n"]


def test_analysis_meets_enough_to_compare(met):
    assert len(met["strings"]) > 500 and len(met["sites"]) > 500 and len(met["imports"]) > 100


def test_string_hits_equal_the_plain_loop(met, rules):
    index = rules.index
    values = sorted({f.value for f in met["strings"]} | set(_edge_strings(index)))
    strings = index.group(StringMatcher)
    hits = 0
    for value in values:
        for kind in KINDS:
            expected = plain_strings(index, value, kind)
            got = strings.match(TextValueFact(value, Span(1, 1, 1, 1 + len(value)), kind))
            assert [(h.rule.id, h.span.column - 1, h.span.end_column - 1, h.data)
                    for h in got] == expected, (value, kind)
            for env in (False, True):
                fast = index.hits(StringFact(value, SPAN, env, kind))
                assert [(h.rule.id, h.subject, h.data) for h in fast] == [
                    (rule, value[start:end], data) for rule, start, end, data in expected
                ] + [(rule, value, "") for rule in plain_env(index, value)], (value, kind)
            hits += len(expected)
    assert hits > 100  # the comparison covers real matches, not only misses


def _key(hit: Hit) -> tuple[str, str, str, str | None]:
    return hit.rule.id, hit.subject, hit.confidence, hit.vendor


def test_site_hits_equal_the_plain_loop(met, rules):
    index = rules.index
    sites = list(met["sites"])
    sites += [replace(s, path=s.path + "\n") for s in sites[:200]]  # Python's `$` quirk
    matched = 0
    for site in sites:
        expected = plain_site(index, site)
        # The fallback field reads (`match.results`) have no screen to compare.
        assert [_key(h) for h in index.hits(site) if not is_fallback(h)] == expected, site
        matched += bool(expected)
    assert matched > 100


def test_import_hits_equal_the_plain_loop(met, rules):
    index = rules.index
    modules = sorted({m for _, matcher in index.members(ImportMatcher) for m in matcher.modules})
    cases = [list(m) for m in met["imports"]] + [[m] for m in modules]
    cases += [[m + ".x.y", "os"] for m in modules] + [[m + "x"] for m in modules] + [["", "a..b"]]
    matched = 0
    for names in cases:
        expected = plain_import(index, names)
        got = index.hits(ImportFact(tuple(names), SPAN))
        assert [(h.rule.id, h.subject) for h in got] == expected
        matched += bool(expected)
    assert matched > 100


def test_candidates_screen_only_what_re2_can_hold(rules):
    """A rule with no RE2 stand-in (None) or one RE2 rejects is always a candidate;
    the others only when their patterns (or exact texts) match."""
    a, b, c, d = rules.rules[:4]
    own = {a.id: [r"gpt-\d+"], b.id: None, c.id: [r"(?<=x)y"], d.id: []}
    found = build_candidates([a, b, c, d], lambda rule: own[rule.id],
                             exact=lambda rule: ["exactly"] if rule is d else [])
    assert found.always == {1, 2}
    assert found.of("nothing here") == [b, c]
    assert found.of("use gpt-4 now") == [a, b, c]
    assert found.of("exactly") == [b, c, d]
    assert found.of("exactly!") == [b, c]
    whole = build_candidates([a], lambda rule: [r"gpt-\d+"], whole=True)
    assert whole.of("gpt-4") == [a] and whole.of("a gpt-4") == []


def test_rule_set_with_built_screens_pickles():
    """Workers started by spawn or forkserver receive the rule set by pickle, with
    whatever the parent already built from it."""
    import pickle

    from lockscan.ruleset import load_rules
    fresh = load_rules()
    index = fresh.index
    strings = index.group(StringMatcher)
    strings.candidates("python"), index.group(CallMatcher), index.group(AccessMatcher)
    copy = pickle.loads(pickle.dumps(fresh)).index
    for text in ("gpt-4o", "claude-3-5-sonnet-20240620", "nothing"):
        assert [r.id for r, _ in copy.group(StringMatcher).candidates("python").of(text)] == \
            [r.id for r, _ in strings.candidates("python").of(text)]
    assert [r.id for r, _ in copy.group(CallMatcher).candidates.of("openai.OpenAI")] == \
        ["openai.client"]
