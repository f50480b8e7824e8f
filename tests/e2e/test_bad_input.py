"""Bad input: every case completes, reports a diagnostic naming the path and the
reason, and costs no finding from the other files (``good.py`` in every tree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lockscan.model import ImportRef, ScanResult, SourceFile
from lockscan.model.config import ScanConfig
from lockscan.pipeline.discover import ALL_KINDS, _git_files
from lockscan.pipeline.executor import analyze_one
from lockscan.pipeline.scan import scan
from lockscan.ruleset import RuleSet
from tests.support.repos import ROOT

GOOD = b'import openai\nclient = openai.OpenAI()\nclient.chat.completions.create(model="gpt-4o")\n'
OPENAI_FILE = b"import openai\nopenai.OpenAI()\n"  # findings: 1 openai.import, 2 openai.client


def findings_of(result: ScanResult, path: str) -> set[tuple[int, int, str]]:
    return {(f.line, f.column, f.rule) for f in result.findings if f.path == path}


def diagnostics_of(result: ScanResult, path: str) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in result.diagnostics if d.path == path]


@pytest.fixture(scope="module")
def good_findings(rules: RuleSet, tmp_path_factory) -> set[tuple[int, int, str]]:
    """What good.py yields alone; every bad tree must keep exactly this."""
    root = tmp_path_factory.mktemp("good")
    (root / "good.py").write_bytes(GOOD)
    found = findings_of(scan(root, ScanConfig(jobs=1), rules), "good.py")
    assert {rule for _, _, rule in found} >= {"openai.import", "openai.client"}
    return found


def scan_with(root: Path, rules: RuleSet, files: dict[str, bytes], **config) -> ScanResult:
    (root / "good.py").write_bytes(GOOD)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return scan(root, ScanConfig(jobs=1, **config), rules)


# --------------------------------------------------------------------------- undecodable / unparsable


@pytest.mark.parametrize(("name", "data", "code", "reason"), [
    ("syntax.py", b"import openai\ndef f(:\n    pass\n", "parse-error", "syntax error at line 2"),
    ("py2.py", b'import openai\nprint "hello"\n', "parse-error", "Missing parentheses"),
    ("py2_raise.py", b"import openai\ntry:\n    x\nexcept:\n    raise E, 'm'\n",
     "parse-error", "syntax error at line 5"),
    ("py2_octal.py", b"import openai\nmode = 0777\n", "parse-error", "syntax error at line 2"),
    ("latin1_no_cookie.py", b'import openai\nx = "caf\xe9"\n', "decode-error", "cannot decode as utf-8"),
    ("bad_cookie.py", b"# coding: no-such-codec\nimport openai\n", "decode-error", "no-such-codec"),
    ("surrogates.py", b'# coding: unicode_escape\nimport openai\nx = "\\ud800"\n', "decode-error",
     "surrogates"),
    ("nul.py", b"import openai\x00\nopenai.OpenAI()\n", "binary-file", "null bytes"),
    ("binary.py", bytes(range(256)) * 64, "binary-file", "null bytes"),
    ("binary_no_nul.py", bytes(range(1, 256)) * 64, "decode-error", "cannot decode"),
])
def test_unreadable_source_is_one_diagnostic(tmp_path, rules, good_findings, name, data, code,
                                             reason):
    result = scan_with(tmp_path, rules, {name: data})
    assert findings_of(result, "good.py") == good_findings
    assert findings_of(result, name) == set()
    [(got_code, message)] = diagnostics_of(result, name)
    assert got_code == code
    assert reason in message


def test_a_file_without_vendor_words_is_not_parsed_in_full(tmp_path, rules, good_findings):
    """By design (lockscan/analyze/imports.py): a ruled-out file's syntax error is not
    reported, as no finding can hide there; its import statements still reach the graph."""
    result = scan_with(tmp_path, rules, {"legacy.py": b"import os\nprint 'hello'\n"})
    assert findings_of(result, "good.py") == good_findings
    assert diagnostics_of(result, "legacy.py") == []
    legacy = SourceFile("legacy.py", str(tmp_path / "legacy.py"), "python", "legacy")
    assert analyze_one(legacy, rules).imports == (ImportRef("os", 1),)


@pytest.mark.parametrize(("name", "data"), [
    ("latin1_cookie.py", b'# -*- coding: latin-1 -*-\nimport openai\nopenai.OpenAI()  # caf\xe9\n'),
    ("bom.py", b"\xef\xbb\xbfimport openai\nopenai.OpenAI()\n"),
    ("crlf.py", b"import openai\r\nopenai.OpenAI()\r\n"),
    ("mixed_endings.py", b"import openai\r\nopenai.OpenAI()\nx = 1\ry = 2\r\n"),
    ("no_final_newline.py", b"import openai\nopenai.OpenAI()"),
])
def test_odd_but_valid_source_is_analyzed(tmp_path, rules, good_findings, name, data):
    result = scan_with(tmp_path, rules, {name: data})
    assert findings_of(result, "good.py") == good_findings
    assert diagnostics_of(result, name) == []
    offset = 1 if name == "latin1_cookie.py" else 0  # the cookie takes line 1
    assert {(line, rule) for line, _, rule in findings_of(result, name)} >= {
        (1 + offset, "openai.import"), (2 + offset, "openai.client")}


def test_empty_file_is_counted_and_silent(tmp_path, rules, good_findings):
    result = scan_with(tmp_path, rules, {"empty.py": b"", "pkg/__init__.py": b""})
    assert findings_of(result, "good.py") == good_findings
    assert result.diagnostics == ()
    assert result.summary.files == 3


# --------------------------------------------------------------------------- size and nesting


def test_huge_file_is_skipped_above_max_file_size_without_reading_it(tmp_path, rules,
                                                                     good_findings):
    big = tmp_path / "generated.py"
    big.write_bytes(b"import openai\n" + b"x = 1\n" * (20 * 2**20 // 6))  # ~20 MB, one write
    started = time.monotonic()
    result = scan_with(tmp_path, rules, {})
    assert time.monotonic() - started < 5
    assert findings_of(result, "good.py") == good_findings
    [(code, message)] = diagnostics_of(result, "generated.py")
    assert code == "too-large"
    assert f"{big.stat().st_size} bytes is over max_file_size (2000000)" in message


def test_max_file_size_is_a_cli_option(tmp_path):
    (tmp_path / "a.py").write_bytes(OPENAI_FILE + b"# padding\n" * 100)
    size = (tmp_path / "a.py").stat().st_size

    def run(limit: int) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "lockscan", "scan", str(tmp_path), "--format", "json", "-j", "1",
             "--max-file-size", str(limit)],
            capture_output=True, text=True, cwd=ROOT, check=True).stdout
        return json.loads(out)

    small = run(size - 1)
    assert small["findings"] == []
    assert [(d["path"], d["code"]) for d in small["diagnostics"]] == [("a.py", "too-large")]
    roomy = run(size)
    assert roomy["diagnostics"] == []
    assert {(f["line"], f["rule"]) for f in roomy["findings"]} >= {(1, "openai.import")}


NESTED = {
    # LibCST's native parser segfaulted on the first three and took ~40 s on the fourth.
    "parens.py": b"import openai\nx = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
    "and_chain.py": b"import openai\nx = 1" + b" and 1" * 50000 + b"\n",
    "attr_chain.py": b"import openai\nx = openai" + b".a" * 20000 + b"\n",
    "sum.py": b"import openai\nx = 1" + b" + 1" * 3000 + b"\n",
    "lists.py": b"import openai\nx = " + b"[" * 150 + b"]" * 150 + b"\n",
    "strings.py": b"import openai\nx = " + b'"a" ' * 9000 + b"\n",
}


def test_deep_nesting_is_caught_per_file_in_a_subprocess(tmp_path, good_findings):
    """Run through the real CLI: a regression here is a crash, not a hung test run."""
    for name, data in NESTED.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_bytes(GOOD)
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "lockscan", "scan", str(tmp_path), "--format", "json", "-j", "1",
         "--ignore", "models"],  # the file-level findings only: no date-dependent lifecycle
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    good = {(f["line"], f["column"], f["rule"]) for f in data["findings"] if f["path"] == "good.py"}
    assert good == good_findings
    by_path = {d["path"]: d["code"] for d in data["diagnostics"]}
    # 150 nested lists used to exhaust the stack in LibCST's visitor and position
    # metadata; the iterative walk and ast positions analyze the file.
    assert set(by_path) == set(NESTED) - {"lists.py"}
    assert ("lists.py", 1, "openai.import") in {
        (f["path"], f["line"], f["rule"]) for f in data["findings"]}
    assert set(by_path.values()) <= {"too-complex", "parse-error"}
    assert by_path["parens.py"] == by_path["and_chain.py"] == by_path["attr_chain.py"] == "too-complex"
    assert elapsed < 30


def test_recursion_error_in_the_visitor_is_caught(tmp_path, rules, good_findings, monkeypatch):
    """Within the screen's limit the visitor may still run out of stack: caught per file."""
    from lockscan.engine.python import extract as python_analyzer

    def overflow(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    real = python_analyzer.extract
    monkeypatch.setattr(python_analyzer, "extract",
                        lambda tree, module, *rest: overflow() if module == "deep" else
                        real(tree, module, *rest))
    result = scan_with(tmp_path, rules, {"deep.py": OPENAI_FILE})
    assert findings_of(result, "good.py") == good_findings
    assert diagnostics_of(result, "deep.py") == [("too-complex", "nesting too deep to analyze")]


def test_an_analyzer_bug_costs_one_file_not_the_scan(tmp_path, rules, good_findings, monkeypatch):
    from lockscan.engine.python import extract as python_analyzer

    real = python_analyzer.extract

    def buggy(tree, module, *rest):
        if module == "odd":
            raise IndexError("list index out of range")
        return real(tree, module, *rest)

    monkeypatch.setattr(python_analyzer, "extract", buggy)
    result = scan_with(tmp_path, rules, {"odd.py": OPENAI_FILE})
    assert findings_of(result, "good.py") == good_findings
    [(code, message)] = diagnostics_of(result, "odd.py")
    assert code == "analyzer-error"
    assert message.startswith("IndexError: list index out of range at lockscan/")
    assert "please report it" in message


# --------------------------------------------------------------------------- other file kinds


def notebook(source: str, outputs: list | None = None) -> bytes:
    cell = {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": source,
            "outputs": outputs or []}
    return json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


@pytest.mark.parametrize("kinds", [ScanConfig().kinds, ALL_KINDS], ids=["default-kinds", "all-kinds"])
def test_broken_notebooks_and_manifests_never_stop_the_scan(tmp_path, rules, good_findings, kinds):
    """Holds whether or not these kinds are analyzed yet: the scan completes, good.py
    keeps its findings, and a file that cannot be parsed is reported, never dropped."""
    huge_output = [{"output_type": "stream", "name": "stdout", "text": "x" * 1_500_000}]
    files = {
        "broken.ipynb": b'{"cells": [{"cell_type": "code", "source": "import openai"',
        "huge_outputs.ipynb": notebook("import openai\nopenai.OpenAI()\n", huge_output),
        "big_outputs.ipynb": notebook("import openai\n", huge_output * 2),  # 3 MB of outputs
        "too_big.ipynb": notebook("import openai\n" + "x = 1\n" * 400_000),  # 2.4 MB of code
        "pyproject.toml": b'[project\nname = "x"\ndependencies = ["openai"\n',
        "requirements.txt": b"openai>=>1.0\n-e ../../../../etc\n\xff\xfe garbage\n--hash\n",
    }
    result = scan_with(tmp_path, rules, files, kinds=tuple(kinds))
    assert findings_of(result, "good.py") == good_findings
    scanned = {"notebook", "manifest"} & set(kinds)
    if "notebook" in scanned:
        assert diagnostics_of(result, "broken.ipynb")
        assert findings_of(result, "huge_outputs.ipynb") or diagnostics_of(result, "huge_outputs.ipynb")
        # sized by its code, not its outputs (over max_file_size, but scanned)
        assert findings_of(result, "big_outputs.ipynb") and not diagnostics_of(result, "big_outputs.ipynb")
        assert [c for c, _ in diagnostics_of(result, "too_big.ipynb")] == ["too-large"]
    if "manifest" in scanned:
        assert diagnostics_of(result, "pyproject.toml")
    for diagnostic in result.diagnostics:
        assert diagnostic.path in files and diagnostic.message


# --------------------------------------------------------------------------- the file system


def test_symlinks_are_never_followed_out_of_the_root(tmp_path, rules, good_findings):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_bytes(b"import anthropic\nanthropic.Anthropic()\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "linked_file.py").symlink_to(outside / "secret.py")
    (root / "linked_dir").symlink_to(outside)
    (root / "loop.py").symlink_to(root / "loop.py")
    (root / "pkg").mkdir()
    (root / "pkg" / "up").symlink_to(root)  # a folder loop inside the root
    result = scan_with(root, rules, {})
    assert findings_of(result, "good.py") == good_findings
    assert {f.vendor for f in result.findings} == {"openai"}
    assert {(d.path, d.code) for d in result.diagnostics} == {
        ("linked_file.py", "symlink-outside-root"),
        ("linked_dir", "symlink-outside-root"),
        ("loop.py", "symlink-loop"),
    }


def test_symlink_out_of_a_git_repo_is_not_followed(tmp_path, rules, good_findings):
    outside = tmp_path / "outside.py"
    outside.write_bytes(b"import anthropic\n")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "link.py").symlink_to(outside)
    result = scan_with(root, rules, {})
    assert findings_of(result, "good.py") == good_findings
    assert {f.vendor for f in result.findings} == {"openai"}
    assert diagnostics_of(result, "link.py") == [
        ("symlink-outside-root", "symlink points outside the scanned root; not followed")]


def test_unreadable_file_and_folder(tmp_path, rules, good_findings, monkeypatch):
    """chmod 000 does not stop root, so as root the denial is simulated at the OS call."""
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inside.py").write_bytes(OPENAI_FILE)
    (tmp_path / "secret.py").write_bytes(OPENAI_FILE)
    (tmp_path / "secret.py").chmod(0)
    (tmp_path / "locked").chmod(0)
    try:
        if os.geteuid() == 0:
            denied = {str(tmp_path / "secret.py"), str(tmp_path / "locked")}
            real_open, real_scandir = open, os.scandir

            def fake_open(file, *args, **kwargs):
                if str(file) in denied:
                    raise PermissionError(13, "Permission denied", str(file))
                return real_open(file, *args, **kwargs)

            def fake_scandir(path="."):
                if str(path) in denied:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_scandir(path)

            monkeypatch.setattr("builtins.open", fake_open)
            monkeypatch.setattr(os, "scandir", fake_scandir)
        result = scan_with(tmp_path, rules, {})
    finally:
        (tmp_path / "locked").chmod(0o755)
        (tmp_path / "secret.py").chmod(0o644)
    assert findings_of(result, "good.py") == good_findings
    assert {(d.path, d.code) for d in result.diagnostics} == {
        ("secret.py", "read-error"), ("locked", "read-error")}
    assert all("Permission denied" in d.message and "check permissions" in d.message
               for d in result.diagnostics)


def test_file_deleted_during_the_scan(tmp_path, rules, good_findings, monkeypatch):
    scan_module = sys.modules["lockscan.pipeline.scan"]  # the package's `scan` is the function
    real_discover = scan_module.discover

    def discover_then_delete(*args, **kwargs):
        found = real_discover(*args, **kwargs)
        (tmp_path / "gone.py").unlink()
        return found

    monkeypatch.setattr(scan_module, "discover", discover_then_delete)
    result = scan_with(tmp_path, rules, {"gone.py": OPENAI_FILE})
    assert findings_of(result, "good.py") == good_findings
    assert diagnostics_of(result, "gone.py") == [("file-vanished", "deleted during the scan; rescan")]


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_paths_with_spaces_non_ascii_and_non_utf8_bytes(tmp_path, rules, good_findings, use_git):
    if use_git:
        git(tmp_path, "init", "-q")
    odd = {"my folder/a file.py": OPENAI_FILE, "ünïcødé/模块.py": OPENAI_FILE}
    result = scan_with(tmp_path, rules, odd)
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.py")  # latin-1 bytes in a name
    with open(raw, "wb") as handle:
        handle.write(OPENAI_FILE)
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    assert findings_of(result, "good.py") == good_findings
    for path in [*odd, "caf\\xe9.py"]:
        assert {(line, rule) for line, _, rule in findings_of(result, path)} >= {
            (1, "openai.import"), (2, "openai.client")}, path
    assert result.diagnostics == ()
    from lockscan.report import formats

    for fmt in formats("scan"):  # every format can encode every path
        out = _render(fmt, result)
        out.encode("utf-8")
        # The AI-BOM lists models, SDKs and services, not every import site.
        assert "模块.py" in out or fmt in BOM_FORMATS, fmt


# --------------------------------------------------------------------------- roots


def test_root_that_is_not_a_git_repository(tmp_path, rules, good_findings):
    assert _git_files(tmp_path) is None
    result = scan_with(tmp_path, rules, {".gitignore": b"ignored.py\n", "ignored.py": OPENAI_FILE})
    assert findings_of(result, "good.py") == good_findings
    assert findings_of(result, "ignored.py") == set()


def test_git_repo_with_a_submodule(tmp_path, rules, good_findings):
    sub = tmp_path / "sub"
    sub.mkdir()
    git(sub, "init", "-q")
    (sub / "vendored.py").write_bytes(b"import anthropic\n")
    git(sub, "add", ".")
    git(sub, "commit", "-q", "-m", "sub")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "third party")
    result = scan_with(root, rules, {})
    assert findings_of(result, "good.py") == good_findings
    assert {f.vendor for f in result.findings} == {"openai"}
    assert diagnostics_of(result, "third party") == [
        ("submodule", "git submodule; not scanned, scan its folder on its own if it is yours")]


def test_empty_directory_through_the_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lockscan", "scan", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "0 files (0 Python) · 0 lines · 0 findings · 0 diagnostics" in proc.stdout
    assert "No vendor coupling found." in proc.stdout


def test_missing_path_through_the_cli_is_exit_2_and_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lockscan", "scan", str(tmp_path / "nope")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    missing = tmp_path / "nope"
    assert proc.stderr == f"lockscan: {missing}: path does not exist; pass a directory or file to scan\n"


# --------------------------------------------------------------------------- helpers


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                    "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


BOM_FORMATS = frozenset({"cyclonedx"})


def _render(fmt: str, result: ScanResult) -> str:
    from lockscan.report import render

    return render("scan", fmt, result)


def test_root_ignored_by_its_git_repo_is_walked(tmp_path, rules, good_findings):
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "build").mkdir()
    result = scan_with(tmp_path / "build", rules, {})
    assert findings_of(result, "good.py") == good_findings


def test_scanned_code_never_prints_python_warnings(tmp_path):
    (tmp_path / "warns.py").write_bytes(b'import openai\nx = "a"()\ny = "\\d"\nassert (x, "m")\n')
    (tmp_path / "plain.py").write_bytes(b'x = "a"()\ny = "\\d"\n')  # the imports-only path
    proc = subprocess.run([sys.executable, "-W", "always", "-m", "lockscan", "scan", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert proc.stderr == ""


def test_string_literals_with_lone_surrogates(tmp_path, rules, good_findings):
    """Found by the sweep (protobuf's json_format.py): "\\ud800" evaluates to a lone
    surrogate, which the UTF-8 regex engine cannot take; it crashed the file."""
    source = (b'import openai\nHIGH = "\\ud800"\nMODEL = "gpt-4o"\n'
              b'c = openai.OpenAI()\nc.chat.completions.create(model="gpt-4o", '
              b'response_format="\\udfff")\nk = "\\ud800" "gpt-4o"\n')
    result = scan_with(tmp_path, rules, {"surrogate.py": source})
    assert findings_of(result, "good.py") == good_findings
    assert diagnostics_of(result, "surrogate.py") == []
    assert {(line, rule) for line, _, rule in findings_of(result, "surrogate.py")} >= {
        (1, "openai.import"), (3, "openai.model-id-floating"), (4, "openai.client")}


# --------------------------------------------------------------------------- dying workers


def _die_on(monkeypatch, doomed) -> None:
    """Workers (forked from this process, so they see the patch) exit abruptly, as a
    segfault or the out-of-memory killer would end them, on the files ``doomed`` names."""
    executor = sys.modules["lockscan.pipeline.executor"]
    real = executor.run_task

    def analyze(task, analyzer):
        if doomed(task.source.path):
            os._exit(70)
        return real(task, analyzer)

    monkeypatch.setattr(executor, "run_task", analyze)
    monkeypatch.setattr(executor, "POOL_THRESHOLD", 0)


needs_fork = pytest.mark.skipif(
    __import__("multiprocessing").get_start_method() != "fork",
    reason="the patched analyzer reaches the workers only through fork")


@needs_fork
def test_a_file_that_kills_its_worker_is_one_diagnostic(tmp_path, rules, monkeypatch):
    files = {f"pkg/m{i:02}.py": OPENAI_FILE for i in range(40)}
    files["pkg/boom.py"] = OPENAI_FILE
    reference = scan_with(tmp_path, rules, files)
    _die_on(monkeypatch, lambda path: path == "pkg/boom.py")
    result = scan(tmp_path, ScanConfig(jobs=2), rules)
    assert [(d.path, d.code) for d in result.diagnostics] == [("pkg/boom.py", "analyzer-crash")]
    assert "process died on this file" in result.diagnostics[0].message
    assert result.findings == tuple(f for f in reference.findings if f.path != "pkg/boom.py")


@needs_fork
def test_workers_that_always_die_end_the_scan_with_an_internal_error(tmp_path, rules,
                                                                      monkeypatch):
    from lockscan.errors import EXIT_INTERNAL, WorkerError

    executor = sys.modules["lockscan.pipeline.executor"]

    scan_with(tmp_path, rules, {f"m{i}.py": OPENAI_FILE for i in range(8)})
    _die_on(monkeypatch, lambda path: True)
    monkeypatch.setattr(executor, "MAX_BROKEN_POOLS", 3)
    with pytest.raises(WorkerError) as raised:
        scan(tmp_path, ScanConfig(jobs=2), rules)
    assert raised.value.deaths == 4
    assert raised.value.exit_code == EXIT_INTERNAL
