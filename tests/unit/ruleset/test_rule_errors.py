"""Rule errors through the CLI (exit 2, file + rule id or key + what to fix), and user
regexes that cannot hang a scan."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lockscan.cli import cli
from lockscan.errors import RuleError
from lockscan.ruleset import load_rules
from lockscan.ruleset.regex import PatternError, compile_text
from tests.support.repos import ROOT

VENDOR = '[vendor]\nid = "acme"\nname = "Acme AI"\nmodules = ["acme"]\n'


def rule(rule_id: str = "acme.thing", match: str = 'match.imports = ["acme"]', **extra: str) -> str:
    fields = {"kind": '"import"', "message": '"imports `{match}`"', "why": '"w"', "fix": '"f"',
              "effort": "1", **extra}
    body = "".join(f"{key} = {value}\n" for key, value in fields.items())
    return f'\n[[rule]]\nid = "{rule_id}"\n{body}{match}\n'


def run_scan(tmp_path: Path, rules_files: dict[str, str]) -> tuple[int, str, list[str]]:
    folder = tmp_path / "my_rules"
    folder.mkdir(exist_ok=True)
    for name, text in rules_files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "code").mkdir(exist_ok=True)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path / "code"), "--rules", str(folder)])
    return result.exit_code, result.stdout, result.stderr.strip().splitlines()


@pytest.mark.parametrize(("text", "expected"), [
    (VENDOR + rule(match='match.strings = { regex = ["gpt-(4"] }', kind='"model_id"'),
     "acme.toml: rule acme.thing: match.strings: `regex` `gpt-(4` is not a valid regex "
     "(missing ): gpt-(4)"),
    (VENDOR + rule(match='match.strings = { regex = ["(?<![a-z])gpt-4"] }', kind='"model_id"'),
     "acme.toml: rule acme.thing: match.strings: `regex` `(?<![a-z])gpt-4` is not a valid regex "
     "(invalid perl operator: (?<!; lookaround"),
    # match.dict's value regexes compile as every rule regex does: linear time, so no
    # lookaround in a user's rule.
    (VENDOR + rule(match="match.dict = { values = { role = 'assistant' }, "
                         "patterns = { content = '(?=x)' } }", kind='"prompt_format"'),
     "acme.toml: rule acme.thing: match.dict: `patterns.content` `(?=x)` is not a valid "
     "regex"),
    (VENDOR + rule(match="match.dict = { values = { role = 'assistant' }, "
                         "unless = { content = '(a)\\1' } }", kind='"prompt_format"'),
     "acme.toml: rule acme.thing: match.dict: `unless.content` `(a)\\1` is not a valid regex"),
    (VENDOR + rule(colour='"red"'),
     "acme.toml: rule acme.thing: unknown key `colour`; expected one of api, confidence, effort, "
     "family, fix, id, kind, match, message, vendor, via, why"),
    (VENDOR + rule(family='"yes"'), "acme.toml: rule acme.thing: `family` must be true or false"),
    (VENDOR + rule(family="true"),
     "acme.toml: rule acme.thing: `family` is for `model_id` rules (a model family's prefix)"),
    (VENDOR + rule(match='match.strings = { regexp = ["x"] }', kind='"model_id"'),
     "acme.toml: rule acme.thing: match.strings: unknown key `regexp`; expected one of exclude, "
     "files, regex, table"),
    (VENDOR + rule() + rule(),
     "acme.toml: rule acme.thing: duplicate id, also in"),
    (VENDOR + rule(effort='"three"'),
     "acme.toml: rule acme.thing: `effort` must be a number or a table with `default`"),
    (VENDOR + rule(match='match.imports = "acme"'),
     "acme.toml: rule acme.thing: match.imports: must be a list of module names (non-empty)"),
    (VENDOR + rule(confidence="3"),
     "acme.toml: rule acme.thing: `confidence` is 3; expected one of high, low, medium"),
    (VENDOR + "[[rule]]\nid = 'not an id'\n",
     "acme.toml: rule 'not an id': `id` must look like `vendor.short-name` (kebab-case)"),
    ('[vendor\nid = "acme"\n', "acme.toml: not valid TOML"),
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "acme.toml: not valid TOML"),
])
def test_rule_error_is_exit_2_naming_file_rule_and_fix(tmp_path, text, expected):
    code, out, err = run_scan(tmp_path, {"acme.toml": text})
    assert code == 2
    assert out == ""
    assert all(line.startswith("lockscan: ") for line in err)
    assert any(expected in line for line in err), err


def test_duplicate_id_across_files_names_both(tmp_path):
    code, _, err = run_scan(tmp_path, {"a.toml": VENDOR + rule(), "b.toml": rule(vendor='"acme"')})
    assert code == 2
    [line] = err
    assert line.endswith("b.toml: rule acme.thing: duplicate id, also in "
                         f"{tmp_path / 'my_rules' / 'a.toml'}; rename one")


def test_every_error_in_every_file_at_once(tmp_path):
    code, _, err = run_scan(tmp_path, {
        "a.toml": VENDOR + rule("acme.one", colour='"red"'),
        "b.toml": rule("acme.two", match='match.strings = { regex = ["("] }', vendor='"acme"'),
    })
    assert code == 2
    assert len(err) == 2
    assert "a.toml: rule acme.one: unknown key `colour`" in err[0]
    assert "b.toml: rule acme.two: match.strings: `regex` `(` is not a valid regex" in err[1]


def test_rules_path_that_is_not_toml_is_exit_2(tmp_path):
    script = tmp_path / "rules.py"
    script.write_text("print('hi')\n")
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--rules", str(script)])
    assert result.exit_code == 2
    assert result.stderr == (f"lockscan: {script}: not a .toml rules file; pass a .toml file "
                             "or a folder\n")


# --------------------------------------------------------------------------- regexes


def test_every_bundled_regex_compiles_with_the_linear_time_engine():
    from lockscan.ruleset.matchers import KeywordMatcher, StringMatcher

    regexes = []
    for loaded in load_rules().rules:
        if isinstance(loaded.matcher, StringMatcher):
            regexes += [*loaded.matcher.regexes, loaded.matcher.exclude]
        if isinstance(loaded.matcher, KeywordMatcher):
            regexes.append(loaded.matcher.value)
    linear = type(compile_text("x"))  # RE2's pattern type
    compiled = [r for r in regexes if r is not None]
    assert len(compiled) >= 5
    # Only bundled (reviewed) rules may fall back to Python's re, and only for lookaround.
    fallback = [r.pattern for r in compiled if type(r) is not linear]
    assert all(any(look in p for look in ("(?=", "(?!", "(?<=", "(?<!")) for p in fallback)
    assert len(fallback) < len(compiled) / 10


def test_the_prefilter_stays_linear_time_with_every_bundled_rule():
    from lockscan.engine.prefilter import compile_prefilter
    from lockscan.ruleset.regex import PatternSet

    for kind in ("python", "prompt"):
        prefilter = compile_prefilter(load_rules(), kind)
        assert type(prefilter.any_hit) is type(prefilter.decisive) is type(compile_text("x"))
        assert kind == "prompt" or type(prefilter.atoms) is PatternSet


def test_a_bundled_lookaround_pattern_is_refused_in_a_user_rule(tmp_path):
    code, _, err = run_scan(tmp_path, {"acme.toml": VENDOR + rule(
        match='match.strings = { regex = ["^accounts/(?!fireworks/)[a-z]+$"] }', kind='"model_id"')})
    assert code == 2
    assert "lookaround" in err[0] and "rewrite without them" in err[0]


@pytest.mark.parametrize(("pattern", "text", "hit"), [
    (r"^gpt-4(-[a-z0-9]+)*$", "gpt-4-turbo-preview", True),  # the shape of bundled model ids
    (r"^gpt-4(-[a-z0-9]+)*$", "gpt-4-turbo-", False),
    (r"^(a|aa)+$", "a" * 5000 + "b", False),  # exponential for a backtracking engine
])
def test_nested_quantifiers_are_accepted_and_linear(pattern, text, hit):
    assert (compile_text(pattern).search(text) is not None) is hit


@pytest.mark.parametrize("pattern", [r"(a)\1", r"foo(?=bar)", r"(?<!x)y"])
def test_lookaround_and_backreferences_are_rejected_with_the_reason(pattern):
    with pytest.raises(PatternError, match=r"not supported .* rewrite without them"):
        compile_text(pattern)


def test_catastrophic_user_regex_cannot_hang_a_scan(tmp_path):
    """(a+)+$ against "a"*40 + "b" takes hours with backtracking; the scan must finish."""
    folder = tmp_path / "my_rules"
    folder.mkdir()
    (folder / "acme.toml").write_text(
        VENDOR + rule("acme.redos", match='match.strings = { regex = ["(a+)+$"] }',
                      kind='"model_id"', message='"mentions `{match}`"'), encoding="utf-8")
    code = tmp_path / "code"
    code.mkdir()
    (code / "app.py").write_text(
        f'evil = "{"a" * 40}b"\nfine = "aaaa"\nlong = "{"a" * 100_000}!"\n', encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "lockscan", "scan", str(code), "--rules", str(folder),
         "--format", "json", "-j", "1"],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 20  # a backtracking engine never finishes
    hits = [(f["line"], f["rule"]) for f in json.loads(proc.stdout)["findings"]]
    assert hits == [(2, "acme.redos")]


WITH_RULES = """
[vendor]
id = "acme"
name = "Acme"

[[rule]]
id = "acme.host"
kind = "client"
message = "m"
why = "w"
fix = "f"
effort = 1
match.strings = { regex = ["^api\\\\.acme\\\\.test$"], files = ["config"] }

[[rule]]
id = "acme.model"
kind = "model_id"
message = "m"
why = "w"
fix = "f"
effort = 1
with_rules = ["acme.host"]
match.strings = { regex = ["^acme-[0-9]+$"], files = ["config"] }
"""


def test_with_rules_keeps_a_finding_only_beside_one_of_those_rules_in_config_files_too(tmp_path):
    from lockscan.model import ScanConfig
    from lockscan.pipeline.scan import scan

    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "rules.toml").write_text(WITH_RULES)
    rules = load_rules([tmp_path / "rules"], include_bundled=False)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.yaml").write_text("host: api.acme.test\nmodel: acme-1\n")
    (repo / "b.yaml").write_text("model: acme-2\n")
    found = {(f.path, f.rule) for f in scan(repo, ScanConfig(jobs=1), rules).findings}
    assert found == {("a.yaml", "acme.host"), ("a.yaml", "acme.model")}


def test_with_rules_must_name_a_defined_rule(tmp_path):
    (tmp_path / "rules.toml").write_text(WITH_RULES.replace('["acme.host"]', '["acme.nope"]'))
    with pytest.raises(RuleError) as raised:
        load_rules([tmp_path], include_bundled=False)
    assert "`with_rules` names 'acme.nope', which no rules file defines" in str(raised.value)
