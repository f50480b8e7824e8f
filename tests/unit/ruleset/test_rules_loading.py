"""Rules load as data and every problem is reported at once with file, rule id and fix."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lockscan.errors import RuleError
from lockscan.ruleset import load_rules
from lockscan.ruleset.paths import path_pattern_regex

VENDOR = '[vendor]\nid = "acme"\nmodules = ["acme"]\n'


def rule(**fields: str) -> str:
    base = {
        "id": '"acme.thing"', "kind": '"call"', "message": '"calls acme"', "why": '"why"',
        "fix": '"fix"', "effort": "3", "match.calls": '["acme.Client().run"]',
    }
    base.update(fields)
    return "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items() if v is not None)


def load(tmp_path: Path, text: str):
    (tmp_path / "acme.toml").write_text(text, encoding="utf-8")
    return load_rules([tmp_path], include_bundled=False)


def errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        load(tmp_path, text)
    return info.value.problems


def test_bundled_rules_load_and_are_sorted(rules):
    ids = [r.id for r in rules.rules]
    assert ids == sorted(ids)
    assert {"openai", "anthropic", "litellm"} <= {v.id for v in rules.vendors}
    assert len(rules.digest) == 64


def test_valid_user_rule(tmp_path):
    ruleset = load(tmp_path, VENDOR + rule())
    assert [r.id for r in ruleset.rules] == ["acme.thing"]
    assert ruleset.rules[0].effort_for("anything") == 3


def test_all_errors_reported_at_once_with_file_and_rule(tmp_path):
    text = VENDOR + rule(kind='"teleport"') + rule(id='"acme.other"', confidence='"sure"')
    lines = errors(tmp_path, text)
    assert len(lines) == 2
    assert all(str(tmp_path / "acme.toml") in line for line in lines)
    assert "rule acme.thing: `kind` is 'teleport'" in lines[0]
    assert "rule acme.other: `confidence` is 'sure'" in lines[1]


def test_unknown_key(tmp_path):
    [line] = errors(tmp_path, VENDOR + rule(severity='"high"'))
    assert "rule acme.thing: unknown key `severity`" in line


def test_duplicate_rule_id(tmp_path):
    [line] = errors(tmp_path, VENDOR + rule() + rule())
    assert "rule acme.thing: duplicate id" in line


def test_bad_regex(tmp_path):
    [line] = errors(tmp_path, VENDOR + rule(**{"match.calls": None,
                                              "match.strings": '{ regex = ["(unclosed"] }'}))
    assert "match.strings" in line and "not a valid regex" in line


def test_wrong_type_and_bad_effort(tmp_path):
    lines = errors(tmp_path, VENDOR + rule(message="3", effort="{ default = 4 }"))
    assert any("`message` is required and must be a non-empty string" in line for line in lines)
    assert any("effort for `default` is 4" in line for line in lines)


def test_effort_names_unknown_target(tmp_path):
    [line] = errors(tmp_path, VENDOR + rule(effort="{ default = 1, nowhere = 0 }"))
    assert "unknown target `nowhere`" in line


def test_invalid_toml(tmp_path):
    [line] = errors(tmp_path, "[vendor\nid=")
    assert "not valid TOML" in line


def test_missing_rules_folder(tmp_path):
    with pytest.raises(RuleError, match="rules folder does not exist"):
        load_rules([tmp_path / "nope"], include_bundled=False)


def test_defines_expand_and_unknown_define_is_an_error(tmp_path):
    ruleset = load(tmp_path, VENDOR + '[define]\nC = "acme.{A,B}()"\n' +
                   rule(**{"match.calls": '["${C}.run"]'}))
    assert ruleset.rules[0].matcher.regex.fullmatch("acme.B().run")
    [line] = errors(tmp_path, VENDOR + rule(**{"match.calls": '["${NOPE}.run"]'}))
    assert "${NOPE} is not in [define]" in line


@pytest.mark.parametrize(("pattern", "path", "hit"), [
    ("a.{B,C}().x", "a.C().x", True),
    ("a.*.x", "a.b.x", True),
    ("a.*.x", "a.b.c.x", False),
    ("a.**.x", "a.b.c.x", True),
    ("a.**.x", "a.x", False),
    ("a.**", "a.b().c", False),  # ** never crosses a call
    ("a.{b.,}c", "a.c", True),
    ("a.{b.,}c", "a.b.c", True),
])
def test_path_patterns(pattern, path, hit):
    assert bool(re.fullmatch(path_pattern_regex(pattern), path)) is hit


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "9", "_", "-", ".", "é", "*", "**", "()", "[]",
                                 "{x,y.z}"]), max_size=12))
def test_path_pattern_literals_match_themselves_and_only_them(parts):
    """Literal runs are escaped as a whole: the same regex as escaping each character."""
    pattern = "".join(parts)
    regex = path_pattern_regex(pattern)
    literal = "".join(p for p in parts if p not in ("*", "**", "()", "[]", "{x,y.z}"))
    if literal == pattern:
        assert regex == "".join(re.escape(c) for c in pattern)
        assert re.fullmatch(regex, pattern) and not re.fullmatch(regex, pattern + "a")
    sample = pattern.replace("{x,y.z}", "y.z").replace("**", "q.r").replace("*", "w")
    assert re.fullmatch(regex, sample)


def test_path_pattern_literal_runs_are_the_isalnum_characters():
    """The literal-run regex accepts exactly what the character test always allowed:
    ``.``, ``_``, ``-`` and ``str.isalnum()``, in any script."""
    from lockscan.ruleset.paths import _LITERAL_RUN

    for code in (*range(0x10000), 0x1D7CE, 0x20000, 0x1F600, 0x10FFFF):
        char = chr(code)
        assert bool(_LITERAL_RUN.fullmatch(char)) == (char in "._-" or char.isalnum()), code
