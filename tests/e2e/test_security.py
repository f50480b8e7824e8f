"""Never execute, never connect, never leak: lockscan runs on untrusted pull requests."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lockscan.cli import cli
from lockscan.model.config import ScanConfig
from lockscan.pipeline.discover import ALL_KINDS
from lockscan.pipeline.scan import scan
from lockscan.report import formats, render
from lockscan.ruleset import load_rules
from tests.support.repos import ROOT, SAMPLE_REPOS

# --------------------------------------------------------------------------- never execute


def payload(marker: Path, name: str) -> str:
    return f"import openai\nopen({str(marker / name)!r}, 'w').write('ran')\n"


def plant(tree: Path, marker: Path) -> None:
    """Files Python would run on import, install, test collection or start-up."""
    files = {
        "setup.py": payload(marker, "setup"),
        "conftest.py": payload(marker, "conftest"),
        "pkg/__init__.py": payload(marker, "init"),
        "pkg/__main__.py": payload(marker, "main"),
        "sitecustomize.py": payload(marker, "sitecustomize"),
        "usercustomize.py": payload(marker, "usercustomize"),
        "evil.pth": f"import os; open({str(marker / 'pth')!r}, 'w').write('ran')\n",
        "lockscan.py": payload(marker, "shadow"),  # would shadow the tool if ever imported
        "click.py": payload(marker, "click"),
        "notebook.ipynb": json.dumps({"cells": [{"cell_type": "code", "metadata": {},
                                                 "source": payload(marker, "nb"), "outputs": [],
                                                 "execution_count": 1}],
                                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
                          '[tool.lockscan]\nexclude = ["__import__(\'os\').system(\'id\')"]\n',
    }
    for rel, text in files.items():
        path = tree / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_scanning_never_runs_scanned_code(tmp_path, rules):
    tree, marker = tmp_path / "tree", tmp_path / "marker"
    marker.mkdir()
    plant(tree, marker)
    for kinds in (ScanConfig().kinds, ALL_KINDS):
        result = scan(tree, ScanConfig(jobs=1, kinds=tuple(kinds)), rules)
        assert any(f.path == "pkg/__init__.py" for f in result.findings)  # it was read
    proc = subprocess.run([sys.executable, "-m", "lockscan", "scan", str(tree), "-j", "2",
                           "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["files"] >= 5
    checked = CliRunner().invoke(cli, ["test-rules", str(tree / "pkg")])  # reads examples
    assert checked.exit_code == 1
    assert "pkg/__init__.py:1: reported openai.import, not marked `# expect:`" in checked.stdout
    assert sorted(p.name for p in marker.iterdir()) == []


# --------------------------------------------------------------------------- never connect


def test_a_scan_opens_no_socket(monkeypatch, tmp_path, rules):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is disabled in this test")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    (tmp_path / "app.py").write_text(
        'import openai\nc = openai.OpenAI(base_url="https://api.example.com/v1")\n'
        'c.chat.completions.create(model="gpt-4o")\n', encoding="utf-8")
    for root in (tmp_path, *sorted(p for p in SAMPLE_REPOS.iterdir() if p.is_dir())):
        result = scan(root, ScanConfig(jobs=1, kinds=ALL_KINDS), load_rules())
        assert result.summary.files
    out = CliRunner().invoke(cli, ["scan", str(tmp_path), "-j", "1", "--format", "json"])
    assert out.exit_code == 0
    assert json.loads(out.stdout)["summary"]["findings"] >= 2
    assert attempts == []


# --------------------------------------------------------------------------- never leak

BODY = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"  # the secret part every planted key shares
KEYS = [f"sk-proj-{BODY}", f"sk-ant-api03-{BODY}", f"sk-{BODY}", f"AIza{BODY}", f"gsk_{BODY}",
        f"xai-{BODY}", f"r8_{BODY}", f"hf_{BODY}", f"fw_{BODY}", f"sk-or-v1-{BODY}"]


def leaky_tree(root: Path) -> None:
    lines = ["import openai", "import anthropic"]
    lines += [f'c{i} = openai.OpenAI(api_key="{key}")' for i, key in enumerate(KEYS)]
    lines.append(f'a = anthropic.Anthropic(api_key="{KEYS[1]}")')
    # A key across the 200-character snippet cut.
    lines.append("x = openai.OpenAI(base_url='" + "u" * 160 + f"', api_key='{KEYS[0]}')")
    lines.append(f'KEY = "{KEYS[0]}"')
    (root / "app.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "broken.py").write_text(f'import openai\nKEY = "{KEYS[0]}"\ndef f(:\n', encoding="utf-8")


# Formats that quote no source text (the AI-BOM names models, SDKs and services): they
# must leak nothing, and have nothing to redact.
QUOTE_NOTHING = frozenset({"cyclonedx"})


def assert_no_secret(text: str, where: str, fmt: str = "") -> None:
    assert BODY[:12] not in text, f"{where} leaks a key"
    assert "[REDACTED]" in text or fmt in QUOTE_NOTHING, \
        f"{where} redacted nothing: the test proves nothing"


def test_every_reporter_redacts_every_planted_key(tmp_path, rules, monkeypatch):
    leaky_tree(tmp_path)
    from lockscan.engine.python import extract as python_analyzer

    real = python_analyzer.extract

    def fail_on_odd(tree, module, *rest):  # an analyzer error quoting source text
        if module == "odd":
            raise ValueError(f"unexpected token {KEYS[0]!r}")
        return real(tree, module, *rest)

    monkeypatch.setattr(python_analyzer, "extract", fail_on_odd)
    (tmp_path / "odd.py").write_text(f'import openai\nk = "{KEYS[0]}"\n', encoding="utf-8")
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    assert len([f for f in result.findings if f.path == "app.py"]) >= len(KEYS)
    assert any(d.path == "odd.py" and d.code == "analyzer-error" for d in result.diagnostics)
    assert set(formats("scan")) >= {"text", "json"}
    for name in sorted(formats("scan")):
        assert_no_secret(render("scan", name, result), f"--format {name}", name)


@pytest.mark.parametrize("fmt", sorted(formats("scan")))
def test_cli_output_files_hold_no_key(tmp_path, fmt):
    leaky_tree(tmp_path)
    target = tmp_path / "out" / f"report.{fmt}"
    target.parent.mkdir()
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "-j", "1", "--format", fmt,
                                      "--output", str(target)])
    assert result.exit_code == 0, result.stderr
    assert BODY[:12] not in result.stdout + result.stderr
    assert_no_secret(target.read_text(encoding="utf-8"), f"--format {fmt} --output", fmt)


# --------------------------------------------------------------------------- output files


def test_output_replaces_a_planted_symlink_instead_of_following_it(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("do not touch\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("import openai\n")
    report = repo / "lockscan.json"
    report.symlink_to(outside)
    # --no-cache: the facts cache (PATH/.lockscan/) is the one other file a scan writes.
    result = CliRunner().invoke(cli, ["scan", str(repo), "-j", "1", "--format", "json",
                                      "--no-cache", "--output", str(report)])
    assert result.exit_code == 0, result.stderr
    assert outside.read_text() == "do not touch\n"
    assert not report.is_symlink()
    assert json.loads(report.read_text())["summary"]["findings"] >= 1
    assert sorted(p.name for p in repo.iterdir()) == ["app.py", "lockscan.json"]  # no temp left


def test_output_refuses_a_folder_symlinked_out_of_the_checkout(tmp_path, monkeypatch):
    outside = tmp_path / "home"
    outside.mkdir()
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "app.py").write_text("import openai\n")
    (repo / "reports").symlink_to(outside)  # planted by a pull request
    (repo / "local").symlink_to(repo / "docs")  # a link that stays inside is fine
    monkeypatch.chdir(repo)
    refused = CliRunner().invoke(cli, ["scan", ".", "-j", "1", "--no-cache", "--output",
                                       "reports/lockscan.json"])
    assert refused.exit_code == 2
    assert "reports is a symlink out of the current folder" in refused.stderr
    assert list(outside.iterdir()) == []
    kept = CliRunner().invoke(cli, ["scan", ".", "-j", "1", "--no-cache", "--output",
                                    "local/lockscan.json"])
    assert kept.exit_code == 0, kept.stderr
    assert (repo / "docs" / "lockscan.json").is_file()
    elsewhere = CliRunner().invoke(cli, ["scan", ".", "-j", "1", "--no-cache", "--output",
                                         str(outside / "lockscan.json")])
    assert elsewhere.exit_code == 0, elsewhere.stderr  # outside the checkout: the user's call


def test_a_failed_scan_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    report = tmp_path / "report.json"
    report.write_text('{"previous": true}\n')

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("lockscan.app.scan", boom)
    # --no-cache: the cache folder (made when the rules are loaded) is not a temp file.
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--output", str(report),
                                      "--no-cache"])
    assert result.exit_code == 3
    assert report.read_text() == '{"previous": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_reporter_failing_midway_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    # The report is streamed to a temp file now: a reporter that fails after writing part
    # of it must leave neither that part nor the temp file behind.
    report = tmp_path / "report.json"
    report.write_text('{"previous": true}\n')

    def half(result, stream, options):
        stream.write('{"findings": [')
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("lockscan.report.json_report.report", half)
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--format", "json", "--output",
                                      str(report), "--no-cache", "-j", "1"])
    assert result.exit_code == 3
    assert report.read_text() == '{"previous": true}\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


# --------------------------------------------------------------------------- rules are data


def test_rules_files_are_read_as_toml_only(tmp_path):
    marker = tmp_path / "marker"
    code = f"__import__('os').system('touch {marker}')"
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "acme.toml").write_text(
        '[vendor]\nid = "acme"\nname = "Acme"\nmodules = ["acme"]\n'
        '[[rule]]\nid = "acme.payload"\nkind = "model_id"\n'
        f'message = "{code}"\nwhy = "{{{{ {code} }}}}"\nfix = "${{{{{code}}}}}"\neffort = 1\n'
        f'match.strings = {{ regex = ["{code.replace(chr(92), "")}"] }}\n', encoding="utf-8")
    (folder / "evil.toml").write_text(f"import os\n{code}\n", encoding="utf-8")
    (folder / "examples.py").write_text(f"{code}\n", encoding="utf-8")
    (folder / "__init__.py").write_text(f"{code}\n", encoding="utf-8")
    (tmp_path / "code").mkdir()
    for args in (["scan", str(tmp_path / "code"), "--rules", str(folder)],
                 ["rules", "--rules", str(folder)],
                 ["test-rules", str(folder)],
                 ["scan", str(tmp_path / "code"), "--rules", str(folder / "__init__.py")]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.stderr)
    assert "evil.toml: not valid TOML" in CliRunner().invoke(
        cli, ["rules", "--rules", str(folder)]).stderr
    (folder / "evil.toml").unlink()
    listed = CliRunner().invoke(cli, ["rules", "--rules", str(folder), "--format", "json"])
    assert listed.exit_code == 0, listed.stderr
    [loaded] = [r for r in json.loads(listed.stdout) if r["id"] == "acme.payload"]
    assert loaded["message"] == code  # kept as text, never evaluated
    assert not marker.exists()
