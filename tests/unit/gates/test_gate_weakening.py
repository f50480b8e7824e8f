"""`lockscan diff` judges a change by the base revision's gate, and lists first every way
the change relaxes that gate (issue 17, part 3): config keys, inline ignores, baseline
entries. Each case is a pull request that, judged by its own settings, would pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.git import commit, git

GATE = ('[tool.lockscan]\nallowed_modules = ["app.llm"]\njobs = 1\n'
        'targets = ["anthropic", "openai"]\n')
LEAK = "import openai\n\nclient = openai.OpenAI()\n"


def repo_with(tmp_path: Path, base: dict[str, str], head: dict[str, str]) -> tuple[Path, str, str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, {"app/__init__.py": "", "app/llm.py": LEAK, **base}, "base")
    return repo, first, commit(repo, head, "head") if head else first


def diff_json(repo: Path, first: str, second: str, *extra: str) -> tuple[int, dict, str]:
    code, out, err = run("diff", str(repo), "--base", first, "--head", second,
                         "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out), err


def messages(data: dict) -> list[tuple[str, str, int, str]]:
    return [(w["key"], w["path"], w["line"], w["message"]) for w in data["gate"]["weakenings"]]


# (the head's pyproject.toml, the weakening it is reported as, whether the leak
# in app/chat.py is still reported as an added finding and a policy failure)
CASES = {
    "allowed_modules widened": (
        GATE.replace('["app.llm"]', '["app.llm", "app.chat"]'),
        ("allowed_modules", 2, "`allowed_modules` adds `app.chat`: vendor SDK code there is "
                               "no longer a policy violation")),
    "allowed_modules removed": (
        GATE.replace('allowed_modules = ["app.llm"]\n', ""),
        ("allowed_modules", 0, "`allowed_modules` removed (was `app.llm`): the gateway policy "
                               "is off, vendor SDK code may sit anywhere")),
    "ignore added": (
        GATE + 'ignore = ["openai"]\n',
        ("ignore", 5, "`ignore` adds `openai`: 4 finding(s) in this change's head would be no "
                      "longer reported")),
    "select narrowed": (
        GATE + 'select = ["anthropic"]\n',
        ("select", 5, "`select` now keeps only `anthropic`: every other rule is off")),
    "exclude added": (
        GATE + 'exclude = ["app/chat.py"]\n',
        ("exclude", 5, "`exclude` adds `app/chat.py`: files there are no longer scanned")),
    "include narrowed": (
        GATE + 'include = ["app/llm.py"]\n',
        ("include", 5, "`include` now limits the scan to `app/llm.py`: every other file is no "
                       "longer scanned")),
    "fail_on dropped": (
        GATE + 'fail_on = []\n',
        ("fail_on", 5, "`fail_on` drops `policy`: vendor code outside the allowed modules no "
                       "longer fails the check")),
    "roles reclassify production code": (
        GATE + 'roles = { "app/chat.py" = "example" }\n',
        ("roles", 5, "`roles` files `app/chat.py` as example: 1 file(s) with production "
                     "coupling (`app/chat.py`) now count as example, which the score "
                     "discounts")),
    "bundled rules off": (
        GATE + 'bundled_rules = false\nrules = ["my_rules"]\n',
        ("bundled_rules", 5, "`bundled_rules = false`: lockscan's own vendor rules no longer "
                             "run")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_relaxed_setting_is_listed_and_the_base_gate_still_judges(tmp_path, case):
    config, (key, line, message) = CASES[case]
    (tmp_path / "my_rules").mkdir()
    repo, first, second = repo_with(tmp_path, {"pyproject.toml": GATE},
                                    {"pyproject.toml": config, "app/chat.py": LEAK,
                                     "my_rules/.keep": ""})
    code, data, err = diff_json(repo, first, second)
    assert (key, "pyproject.toml", line, message) in messages(data)
    assert data["gate"]["settings_from"] == "base"
    # The base's gate judged both sides: the leak is added and fails the policy.
    assert ("app/chat.py", "openai.import") in {(f["path"], f["rule"]) for f in data["added"]}
    assert code == 1
    assert err.startswith("lockscan: fail_on 'policy': ")


def test_a_raised_threshold_and_a_dropped_target_are_listed(tmp_path):
    base = GATE + 'fail_on = ["policy", "effort:anthropic>1"]\n'
    head = GATE.replace('"anthropic", "openai"', '"openai"') + \
        'fail_on = ["policy", "effort:anthropic>500"]\n'
    repo, first, second = repo_with(tmp_path, {"pyproject.toml": base},
                                    {"pyproject.toml": head})
    code, data, err = diff_json(repo, first, second)
    assert messages(data) == [
        ("fail_on", "pyproject.toml", 5, "`fail_on` raises `effort:anthropic>1` to "
                                         "`effort:anthropic>500`: more switch cost passes"),
        ("targets", "pyproject.toml", 4, "`targets` drops `anthropic`: no longer scored, nor "
                                         "checked by `fail_on` thresholds"),
    ]
    assert code == 1  # the base's threshold, on the base's targets
    assert "effort:anthropic>1" in err


def test_a_new_inline_ignore_is_listed_and_a_moved_one_is_not(tmp_path):
    old = "import anthropic  # lockscan: ignore[anthropic.import]\n"
    repo, first, second = repo_with(
        tmp_path, {"pyproject.toml": GATE, "app/old.py": old},
        {"app/old.py": "\n\n" + old,
         "app/chat.py": "import openai  # lockscan: ignore\nimport json  # lockscan:ignore[x]\n"})
    _, data, _ = diff_json(repo, first, second)
    assert messages(data) == [
        ("ignore", "app/chat.py", 1, "new `# lockscan: ignore` at app/chat.py:1 silences every "
                                     "rule on that line"),
        ("ignore", "app/chat.py", 2, "new `# lockscan: ignore[x]` at app/chat.py:2 silences "
                                     "`x` on that line"),
    ]


def test_baseline_entries_the_head_adds_are_listed_one_each(tmp_path):
    repo, first, _ = repo_with(tmp_path, {"pyproject.toml": GATE.replace(
        "jobs = 1\n", 'jobs = 1\nbaseline = "lockscan-baseline.json"\nfail_on = ["new"]\n')}, {})
    code, _, err = run("baseline", str(repo), "-o", str(repo / "lockscan-baseline.json"))
    assert code == 0, err
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "accept today's coupling")
    first = git(repo, "rev-parse", "HEAD")
    (repo / "app" / "chat.py").write_text("import anthropic\n", encoding="utf-8")
    run("baseline", str(repo), "-o", str(repo / "lockscan-baseline.json"))  # accept the leak
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "leak, accepted")
    second = git(repo, "rev-parse", "HEAD")
    code, data, err = diff_json(repo, first, second)
    assert messages(data) == [
        ("baseline", "lockscan-baseline.json", 0, "baseline `lockscan-baseline.json` now "
         "accepts `anthropic.import` in app/chat.py (`import anthropic`)")]
    # The base ref is the baseline of a diff: the leak is new whatever the file says.
    assert [f["path"] for f in data["added"]] == ["app/chat.py"]
    assert code == 1 and "fail_on 'new'" in err


def test_gate_from_head_uses_the_heads_settings_and_still_lists_what_they_relax(tmp_path):
    config, (key, line, message) = CASES["allowed_modules widened"]
    repo, first, second = repo_with(tmp_path, {"pyproject.toml": GATE},
                                    {"pyproject.toml": config, "app/chat.py": LEAK})
    code, data, _ = diff_json(repo, first, second, "--gate-from", "head")
    assert code == 0  # the head allows its own leak
    assert data["gate"]["settings_from"] == "head"
    assert messages(data) == [(key, "pyproject.toml", line, message)]


def test_tightening_the_gate_is_not_a_weakening(tmp_path):
    base = '[tool.lockscan]\njobs = 1\nignore = ["env_var"]\nselect = ["openai", "anthropic"]\n'
    head = ('[tool.lockscan]\njobs = 1\nallowed_modules = ["app.llm"]\n'
            'fail_on = ["policy", "new"]\nselect = ["openai", "anthropic", "google"]\n')
    repo, first, second = repo_with(tmp_path, {"pyproject.toml": base}, {"pyproject.toml": head})
    _, data, _ = diff_json(repo, first, second)
    assert messages(data) == []


def test_weakenings_come_first_in_the_text_report(tmp_path):
    config, _ = CASES["ignore added"]
    repo, first, second = repo_with(tmp_path, {"pyproject.toml": GATE},
                                    {"pyproject.toml": config, "app/chat.py": LEAK})
    _, out, _ = run("diff", str(repo), "--base", first, "--head", second)
    assert out.splitlines()[1:3] == [
        "gate: this change relaxes the gate in 1 way(s) (judged by the base's settings, not "
        "the head's):",
        "! pyproject.toml:5  `ignore` adds `openai`: 4 finding(s) in this change's head would "
        "be no longer reported",
    ]
