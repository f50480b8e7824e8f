"""Adding a matcher is one module and one registry entry: no engine, loader, index or
prefilter edits. A matcher written here, registered, loaded from a rules file and run
through a whole scan proves it."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, ClassVar

from lockscan.model import ScanConfig, StringFact, TextValueFact
from lockscan.pipeline.scan import scan
from lockscan.ruleset import load_rules
from lockscan.ruleset.matchers import REGISTRY, Group, Hit, Matcher, Terms
from lockscan.ruleset.spec import SpecContext, SpecError, str_list
from tests.support.repos import write_tree


@dataclass(frozen=True, slots=True)
class SuffixMatcher(Matcher):
    """A string literal that ends with one of ``suffixes``."""

    suffixes: tuple[str, ...]

    name: ClassVar[str] = "suffixes"
    facts: ClassVar[tuple[type, ...]] = (StringFact,)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> SuffixMatcher:
        suffixes = tuple(str_list(spec, "a list of suffixes"))
        if any(not s.startswith("-") for s in suffixes):
            raise SpecError("each suffix starts with `-`")
        return cls(suffixes)

    def terms(self, file_kind: str) -> Terms:
        return Terms(fragments=tuple(s.replace("-", r"\-") for s in self.suffixes))


class SuffixGroup(Group[SuffixMatcher]):
    def match(self, fact: StringFact) -> list[Hit]:
        return [Hit(rule, fact.span, fact.value, rule.confidence) for rule, matcher in self.members
                if fact.value.endswith(matcher.suffixes)]


SuffixMatcher.group = SuffixGroup

RULES = textwrap.dedent("""
    [vendor]
    id = "acme"
    modules = ["acme"]
    apis = ["acme-chat"]

    [[rule]]
    id = "acme.preview-model"
    kind = "model_id"
    message = "names an ACME preview model ({match})"
    why = "Preview models change without notice."
    fix = "Pin a released model in configuration."
    effort = 1
    match.suffixes = ["-preview", "-beta"]
    """)


def test_a_registered_matcher_runs_in_a_whole_scan(tmp_path, monkeypatch):
    monkeypatch.setitem(REGISTRY, "suffixes", SuffixMatcher)
    rules_dir = write_tree(tmp_path / "rules", {"acme.toml": RULES})
    repo = write_tree(tmp_path / "repo", {
        "app.py": 'MODEL = "acme-large-preview"\nOTHER = "acme-large"\n',
        "quiet.py": "import os\n",  # no term of the rule: the prefilter rules it out
    })
    rules = load_rules([rules_dir], include_bundled=False)
    result = scan(repo, ScanConfig(jobs=1), rules)
    assert [(f.path, f.line, f.rule, f.message) for f in result.findings] == [
        ("app.py", 1, "acme.preview-model", "names an ACME preview model (acme-large-preview)")]


def test_its_spec_errors_are_reported_like_any_other(tmp_path, monkeypatch):
    import pytest

    from lockscan.errors import RuleError

    monkeypatch.setitem(REGISTRY, "suffixes", SuffixMatcher)
    rules_dir = write_tree(tmp_path / "rules",
                           {"acme.toml": RULES.replace('"-preview"', '"preview"')})
    with pytest.raises(RuleError) as raised:
        load_rules([rules_dir], include_bundled=False)
    assert raised.value.problems == [
        f"{rules_dir / 'acme.toml'}: rule acme.preview-model: match.suffixes: each suffix "
        "starts with `-`"]


@dataclass(frozen=True, slots=True)
class PlainSuffixMatcher(Matcher):
    """The same matcher written with the least code: no prefilter terms and no config
    screen. The defaults must then read every file, never lose a finding."""

    suffixes: tuple[str, ...]

    name: ClassVar[str] = "plain-suffixes"
    facts: ClassVar[tuple[type, ...]] = (StringFact, TextValueFact)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> PlainSuffixMatcher:
        return cls(tuple(str_list(spec, "a list of suffixes")))


class PlainSuffixGroup(Group[PlainSuffixMatcher]):
    def match(self, fact: StringFact | TextValueFact) -> list[Hit]:
        return [Hit(rule, fact.span, fact.value, rule.confidence) for rule, matcher in self.members
                if fact.value.endswith(matcher.suffixes)]


PlainSuffixMatcher.group = PlainSuffixGroup


def test_a_matcher_that_declares_no_terms_or_screen_still_finds_everything(tmp_path, monkeypatch):
    monkeypatch.setitem(REGISTRY, "plain-suffixes", PlainSuffixMatcher)
    rules_dir = write_tree(tmp_path / "rules", {"acme.toml": RULES.replace(
        "match.suffixes", "match.plain-suffixes")})
    repo = write_tree(tmp_path / "repo", {
        "app.py": 'MODEL = "acme-large-preview"\n',  # no vendor import at all
        "settings.yaml": "model: acme-small-beta\n",
    })
    rules = load_rules([rules_dir], include_bundled=False)
    result = scan(repo, ScanConfig(jobs=1), rules)
    assert [(f.path, f.line) for f in result.findings] == [("app.py", 1), ("settings.yaml", 1)]
