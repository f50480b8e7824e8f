"""A cache lockscan did not write here, for this user, never changes a verdict (issue 17,
part 1). First step: a cache file git tracks is neither read nor written.

The scenario is the issue's: a repository gates on `allowed_modules = ["gateway.py"]`
and `fail_on = ["policy"]`; a pull request adds `leak.py` (an OpenAI call outside the
gateway) and force-adds a `.lockscan/cache.sqlite` whose rows for `leak.py` hold a
harmless file's facts. These tests only use what every lockscan version has (the
`lockscan.cache.secret` import is lazy), so on a lockscan that trusts such rows they
fail on their assertions.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from lockscan.cache.codec import checksum, decode, encode
from tests.conftest import write_tree
from tests.test_cli import run
from tests.test_diff_baseline import git

GATE = {
    "pyproject.toml": '[tool.lockscan]\nallowed_modules = ["gateway.py"]\nfail_on = ["policy"]\n'
                      'jobs = 1\ntargets = ["anthropic", "openai"]\n',
    "gateway.py": "import openai\n\nclient = openai.OpenAI()\n",
    "app.py": "def helper():\n    return 1\n",
}
LEAK = 'import openai\n\nopenai.OpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'


@pytest.fixture(autouse=True)
def fresh_process_state(monkeypatch):
    """Each test as its own lockscan run: warnings not yet given, git not yet asked."""
    try:
        place = importlib.import_module("lockscan.cache.place")
    except ImportError:  # a lockscan without it
        return
    monkeypatch.setattr(place, "_WARNED", set())
    monkeypatch.setattr(place, "_TRACKED", {})


def forge_facts(db: Path, victim: str, donor: str) -> int:
    """Give every facts row of ``victim`` the facts of ``donor`` (path and module
    renamed) with the checksum recomputed, as anyone can. The number of rows forged."""
    connection = sqlite3.connect(db)
    donor_blob = connection.execute("SELECT blob FROM facts WHERE path = ? AND full = 0",
                                    (donor,)).fetchone()[0]
    harmless = decode(donor_blob)
    blob = encode(replace(harmless, path=victim, module=victim.removesuffix(".py"), lines=0))
    assert blob is not None
    rows = connection.execute("SELECT full FROM facts WHERE path = ?", (victim,)).fetchall()
    with connection:
        for (full,) in rows:
            connection.execute("UPDATE facts SET blob = ?, sum = ? WHERE path = ? AND full = ?",
                               (blob, checksum(blob), victim, full))
    connection.close()
    return len(rows)


def paths_with_findings(stdout: str) -> set[str]:
    return {finding["path"] for finding in json.loads(stdout)["findings"]}


# --------------------------------------------------------------- the committed, forged cache


@pytest.fixture
def forged_clone(tmp_path, monkeypatch) -> tuple[Path, str]:
    """A fresh clone of a pull request that adds `leak.py` and force-adds a cache
    forged to hide it; (clone, base commit)."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write_tree(origin, GATE)
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "gateway")
    base = git(origin, "rev-parse", "HEAD")
    git(origin, "checkout", "-q", "-b", "pr")
    (origin / "leak.py").write_text(LEAK, encoding="utf-8")
    assert run("scan", str(origin))[0] == 1  # the leak, found
    assert forge_facts(origin / ".lockscan" / "cache.sqlite", "leak.py", "app.py")
    code, out, _ = run("scan", str(origin), "--format", "json")
    assert (code, paths_with_findings(out)) == (0, {"gateway.py"})  # the forgery works there
    git(origin, "add", "leak.py")
    git(origin, "add", "-f", ".lockscan/cache.sqlite")
    git(origin, "commit", "-q", "-m", "add leak.py")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "-b", "pr", str(origin), str(clone))
    assert (clone / ".lockscan" / "cache.sqlite").is_file()
    return clone, base


def _untouched(clone: Path, before: bytes) -> None:
    assert (clone / ".lockscan" / "cache.sqlite").read_bytes() == before
    assert git(clone, "status", "--porcelain", "--ignored") == ""


def test_forged_committed_cache_does_not_hide_the_leak_from_scan(forged_clone):
    clone, _ = forged_clone
    before = (clone / ".lockscan" / "cache.sqlite").read_bytes()
    code, out, err = run("scan", str(clone), "--format", "json")
    assert code == 1
    assert paths_with_findings(out) == {"gateway.py", "leak.py"}
    assert "fail_on 'policy'" in err and "leak.py" in err
    tracked = [line for line in err.splitlines() if "tracked by git" in line]
    assert len(tracked) == 1  # said once, though the rules and the scan both open it
    _untouched(clone, before)


def test_forged_committed_cache_does_not_hide_the_leak_from_check(forged_clone, monkeypatch):
    clone, _ = forged_clone
    before = (clone / ".lockscan" / "cache.sqlite").read_bytes()
    monkeypatch.chdir(clone)
    code, out, err = run("check", "leak.py")
    assert code == 1
    assert "leak.py:3" in out
    assert err.count("tracked by git") == 1
    _untouched(clone, before)


def test_forged_committed_cache_does_not_hide_the_leak_from_diff(forged_clone, monkeypatch):
    clone, base = forged_clone
    before = (clone / ".lockscan" / "cache.sqlite").read_bytes()
    monkeypatch.chdir(clone)
    code, out, _ = run("diff", "--base", base, "--format", "json")
    assert code == 1
    assert {f["path"] for f in json.loads(out)["added"]} == {"leak.py"}
    _untouched(clone, before)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_cache_file_git_tracks_is_ignored_with_one_line_on_stderr(tmp_path, fmt):
    repo = write_tree(tmp_path / "repo", {**GATE, "leak.py": LEAK})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "code")
    assert run("scan", str(repo))[0] == 1
    db = repo / ".lockscan" / "cache.sqlite"
    git(repo, "add", "-f", ".lockscan/cache.sqlite")  # a genuine cache, committed by mistake
    git(repo, "commit", "-q", "-m", "oops")
    before = db.read_bytes()
    plain = run("scan", str(repo), "--format", fmt, "--no-cache")
    cached = run("scan", str(repo), "--format", fmt)
    assert cached[:2] == plain[:2]  # exit code and stdout byte for byte
    extra = [line for line in cached[2].splitlines() if line not in plain[2].splitlines()]
    assert extra == [f"lockscan: {db} is tracked by git (committed?); ignoring it, scanning "
                     f"without a cache; `git rm --cached {db}` to use a cache again"]
    assert db.read_bytes() == before


@pytest.mark.parametrize("index_version", ["2", "3", "4"])
def test_tracked_is_what_git_says_whatever_the_index_format(tmp_path, index_version):
    """The index is read to spare starting git when the path is certainly not there;
    format 4 stores paths prefix-compressed (after `.lockscan/cache.sqlita`, the
    cache's entry holds only `e`), so there git is always asked."""
    from lockscan.cache.place import tracked_by_git

    repo = write_tree(tmp_path / "repo", {"app.py": "x = 1\n", ".lockscan/cache.sqlita": "",
                                          ".lockscan/cache.sqlite": "", "x/.lockscan/cache.sqlite": "",
                                          "other/cache.sqlite": ""})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "index.version", index_version)
    git(repo, "add", "-f", "app.py", ".lockscan/cache.sqlita", "x/.lockscan/cache.sqlite")
    git(repo, "update-index", "--index-version", index_version)
    assert not tracked_by_git(repo / ".lockscan" / "cache.sqlite")  # a longer path ends so
    assert tracked_by_git(repo / "x" / ".lockscan" / "cache.sqlite")
    assert not tracked_by_git(repo / "other" / "cache.sqlite")
    git(repo, "add", "-f", ".lockscan/cache.sqlite")
    assert tracked_by_git(repo / ".lockscan" / "cache.sqlite")
    git(repo, "rm", "-q", "--cached", ".lockscan/cache.sqlite")
    assert not tracked_by_git(repo / ".lockscan" / "cache.sqlite")
