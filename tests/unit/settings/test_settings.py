"""Configuration: [tool.lockscan] / lockscan.toml, CLI overrides, `lockscan config`,
every bad key reported at once (exit 2), and each config key taking effect in a scan."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lockscan.errors import ConfigError
from lockscan.settings.load import load_settings, parse_condition
from tests.support.cli import run
from tests.support.repos import write_tree


def pyproject(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.lockscan]\n' + body, encoding="utf-8")
    return tmp_path


def test_every_key_is_read_from_pyproject(tmp_path):
    pyproject(tmp_path, """
include = ["app/**"]
exclude = ["app/legacy/**"]
rules = ["my_rules"]
bundled_rules = false
select = ["openai"]
ignore = ["openai.model-id"]
targets = ["anthropic"]
allowed_modules = ["app.llm", "app/gateway/**"]
fail_on = ["new", "policy", "index:anthropic>40", "effort>100"]
max_file_size = 1000
jobs = 3
baseline = "base.json"
report_unused_ignores = true
roles = { "scripts/**" = "example", "app/fixtures.py" = "test" }
as_of = "2026-12-07"
lifecycle_window = 30
""")
    settings = load_settings(tmp_path)
    config = settings.config
    assert (config.include, config.exclude) == (("app/**",), ("app/legacy/**",))
    assert config.rule_dirs == (tmp_path / "my_rules",)
    assert config.bundled_rules is False
    assert (config.select, config.ignore, config.targets) == (
        ("openai",), ("openai.model-id",), ("anthropic",))
    assert (config.max_file_size, config.jobs, config.report_unused_ignores) == (1000, 3, True)
    assert settings.allowed_modules == ("app.llm", "app/gateway/**")
    assert [c.text for c in settings.fail_on] == [
        "new", "policy", "index:anthropic>40", "effort>100"]
    assert settings.baseline == tmp_path / "base.json"
    assert config.roles == (("scripts/**", "example"), ("app/fixtures.py", "test"))
    assert (config.as_of, config.lifecycle_window) == ("2026-12-07", 30)
    assert settings.config_file == tmp_path / "pyproject.toml"
    assert set(settings.sources.values()) == {"pyproject.toml"}


def test_lockscan_toml_wins_over_pyproject_and_cli_wins_over_both(tmp_path):
    pyproject(tmp_path, 'exclude = ["from_pyproject"]\n')
    (tmp_path / "lockscan.toml").write_text('exclude = ["from_lockscan_toml"]\njobs = 2\n',
                                            encoding="utf-8")
    settings = load_settings(tmp_path, {"jobs": ("--jobs", 1), "exclude": ("--exclude", ())})
    assert settings.config.exclude == ("from_lockscan_toml",)
    assert settings.config.jobs == 1
    assert settings.sources["jobs"] == "--jobs"
    assert settings.sources["exclude"] == "lockscan.toml"
    assert settings.sources["include"] == "default"


def test_pyproject_without_a_lockscan_table_means_defaults(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    settings = load_settings(tmp_path)
    assert settings.config_file is None
    assert [c.text for c in settings.fail_on] == ["policy"]


def test_config_command_prints_values_and_their_sources(tmp_path):
    pyproject(tmp_path, 'allowed_modules = ["app.llm"]\nfail_on = ["new"]\n')
    code, out, err = run("config", str(tmp_path), "--fail-on", "policy", "--jobs", "2")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"# config file: {tmp_path / 'pyproject.toml'}"
    assert 'allowed_modules = ["app.llm"]  # pyproject.toml' in lines
    assert 'fail_on = ["policy"]  # --fail-on' in lines
    assert "jobs = 2  # --jobs" in lines
    assert "include = []  # default" in lines
    assert "bundled_rules = true  # default" in lines
    assert "# baseline is not set  # default" in lines


def test_every_bad_key_is_one_line_naming_file_and_key_exit_2(tmp_path):
    pyproject(tmp_path, """
colour = "blue"
jobs = 0
include = "app/**"
fail_on = ["sometimes"]
bundled_rules = "yes"
""")
    code, out, err = run("scan", str(tmp_path))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    path = tmp_path / "pyproject.toml"
    assert lines == [
        f"lockscan: {path}: bad value for `bundled_rules` in [tool.lockscan]: expected true or false",
        f"lockscan: {path}: unknown key `colour` in [tool.lockscan]; known keys: include, exclude, "
        "rules, bundled_rules, select, ignore, targets, allowed_modules, fail_on, max_file_size, "
        "jobs, baseline, report_unused_ignores, roles, as_of, lifecycle_window",
        f"lockscan: {path}: bad value for `fail_on` in [tool.lockscan]: cannot read 'sometimes'; "
        'use "new", "policy", "unused-ignore", "lines>N", "lines:TARGET>N"',
        f"lockscan: {path}: bad value for `include` in [tool.lockscan]: expected a list of "
        'strings, e.g. ["a", "b"]',
        f"lockscan: {path}: bad value for `jobs` in [tool.lockscan]: expected a whole number >= 1",
    ]


def test_invalid_toml_is_a_config_error(tmp_path):
    (tmp_path / "lockscan.toml").write_text("jobs = [\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(tmp_path)
    ((where, what),) = info.value.problems
    assert where == str(tmp_path / "lockscan.toml")
    assert "not valid TOML" in what


def test_bad_fail_on_from_the_cli_is_exit_2(tmp_path):
    code, _, err = run("scan", str(tmp_path), "--fail-on", "effort<3")
    assert code == 2
    assert err.startswith("lockscan: --fail-on: cannot read 'effort<3'")


@pytest.mark.parametrize(("text", "parsed"), [
    ("new", ("new", "", None, 0.0)),
    ("policy", ("policy", "", None, 0.0)),
    ("effort>10", ("threshold", "effort", None, 10.0)),
    ("lines:openai>300", ("threshold", "lines", "openai", 300.0)),
    ("index:anthropic > 40", ("threshold", "index", "anthropic", 40.0)),
    ("effort:google>2.5", ("threshold", "effort", "google", 2.5)),
])
def test_fail_on_syntax(text, parsed):
    condition = parse_condition(text)
    assert condition is not None
    assert (condition.kind, condition.metric, condition.target, condition.limit) == parsed


@pytest.mark.parametrize("text", ["", "effort", "index>", "effort>>3", "index:Bad>1", "news"])
def test_fail_on_rejects(text):
    assert parse_condition(text) is None


def test_config_include_exclude_select_and_ignore_take_effect(tmp_path):
    write_tree(tmp_path, {
        "app/a.py": "import openai\nimport anthropic\n",
        "app/legacy/b.py": "import openai\n",
        "tools/c.py": "import openai\n",
    })
    pyproject(tmp_path, 'include = ["app/**"]\nexclude = ["app/legacy/**"]\n'
                        'ignore = ["anthropic"]\njobs = 1\n')
    code, out, _ = run("scan", str(tmp_path), "--format", "json")
    assert code == 0
    assert [(f["path"], f["rule"]) for f in json.loads(out)["findings"]] == [
        ("app/a.py", "openai.import")]
    # The CLI overrides the config's ignore list.
    code, out, _ = run("scan", str(tmp_path), "--format", "json", "--ignore", "openai")
    assert [(f["path"], f["rule"]) for f in json.loads(out)["findings"]] == [
        ("app/a.py", "anthropic.import")]


def test_config_extra_rules_folder_is_relative_to_the_config_file(tmp_path):
    write_tree(tmp_path, {
        "my_rules/acme.toml": """
            [vendor]
            id = "acme"
            name = "Acme AI"
            modules = ["acme"]

            [[rule]]
            id = "acme.import"
            kind = "import"
            message = "imports Acme (`{match}`)"
            why = "Acme only."
            fix = "Use a gateway."
            effort = { default = 1 }
            match.imports = ["acme"]
        """,
        "app.py": "import acme\n",
    })
    pyproject(tmp_path, 'rules = ["my_rules"]\nbundled_rules = false\njobs = 1\n')
    code, out, err = run("scan", str(tmp_path / "."), "--format", "json")
    assert code == 0, err
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["acme.import"]


def test_max_file_size_from_config(tmp_path):
    write_tree(tmp_path, {"big.py": "import openai\n" + "x = 1\n" * 50})
    pyproject(tmp_path, "max_file_size = 100\njobs = 1\n")
    code, out, _ = run("scan", str(tmp_path), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["findings"] == []
    assert [d["code"] for d in data["diagnostics"]] == ["too-large"]


def test_config_output_is_a_config_file_that_round_trips(tmp_path):
    pyproject(tmp_path, 'allowed_modules = ["app.llm"]\nfail_on = ["new", "index:anthropic>4"]\n'
                        'exclude = ["a \\"quoted\\" dir/**"]\nbaseline = "b.json"\n')
    code, out, _ = run("config", str(tmp_path), "--jobs", "3")
    assert code == 0
    other = tmp_path / "copy"
    other.mkdir()
    (other / "lockscan.toml").write_text(out, encoding="utf-8")
    assert load_settings(other).values() == load_settings(
        tmp_path, {"jobs": ("--jobs", 3)}).values()


def test_unknown_targets_name_the_file_and_key_or_the_option(tmp_path):
    pyproject(tmp_path, 'targets = ["bogus"]\nfail_on = ["index:nowhere>3"]\n')
    code, out, err = run("scan", str(tmp_path))
    assert (code, out) == (2, "")
    path = tmp_path / "pyproject.toml"
    lines = err.splitlines()
    assert len(lines) == 2
    # The list of known targets grows with the bundled vendors: check its start only.
    assert lines[0].startswith(f"lockscan: {path}: `targets`: unknown target bogus; choose from ")
    assert lines[1].startswith(f"lockscan: {path}: `fail_on`: unknown target nowhere; choose from ")
    assert "anthropic" in lines[0] and "openai" in lines[1]
    code, _, err = run("scan", str(tmp_path), "--target", "nope", "--fail-on", "policy")
    assert code == 2
    assert err.startswith("lockscan: --target: unknown target nope; choose from ")
    assert err.count("\n") == 1


def test_the_readme_configuration_table_is_the_option_table():
    from lockscan.settings.options import markdown_table
    from tests.support.repos import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- settings-table:start -->\n") + len("<!-- settings-table:start -->\n")
    end = readme.index("<!-- settings-table:end -->")
    assert readme[start:end] == markdown_table(), "regenerate the table from OPTIONS"


def test_every_flagged_option_is_a_command_line_option_of_scan():
    from lockscan.cli import cli
    from lockscan.settings import OPTIONS

    flags = {opt for param in cli.commands["scan"].params for opt in param.opts}
    assert {o.flag for o in OPTIONS if o.flag} <= flags
    assert "-j" in flags
