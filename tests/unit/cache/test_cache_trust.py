"""A cache lockscan did not write here, for this user, never changes a verdict (issue 17,
part 1): every row of every table is authenticated with a per-user key, and a cache
file git tracks is neither read nor written.

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
import os
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from lockscan.cache.codec import checksum, decode, encode
from lockscan.cache.keys import stat_key
from lockscan.cache.store import FactsCache
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.ruleset.loader import load_rules
from tests.support.cli import run
from tests.support.git import git
from tests.support.repos import write_tree

ANALYZE_MODULE = importlib.import_module("lockscan.pipeline.executor")
STORE_MODULE = importlib.import_module("lockscan.cache.store")

GATE = {
    "pyproject.toml": '[tool.lockscan]\nallowed_modules = ["gateway.py"]\nfail_on = ["policy"]\n'
                      'jobs = 1\ntargets = ["anthropic", "openai"]\n',
    "gateway.py": "import openai\n\nclient = openai.OpenAI()\n",
    "app.py": "def helper():\n    return 1\n",
}
LEAK = 'import openai\n\nopenai.OpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'
HARMLESS = "x = 1\n"


def _signer():
    from lockscan.cache.secret import Signer, load_key

    key = load_key()
    assert isinstance(key, bytes), key
    return Signer(key)


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def forge_facts(db: Path, victim: str, donor: str, sign: bool = False) -> int:
    """Give every facts row of ``victim`` the facts of ``donor`` (path and module
    renamed) with the checksum recomputed, as anyone can; with ``sign``, also a valid
    MAC under the key of the current ``LOCKSCAN_SECRET_DIR``: a forger's own. The
    number of rows forged."""
    connection = sqlite3.connect(db)
    columns = _columns(connection, "facts")
    donor_blob = connection.execute("SELECT blob FROM facts WHERE path = ? AND full = 0",
                                    (donor,)).fetchone()[0]
    harmless = decode(donor_blob)
    blob = encode(replace(harmless, path=victim, module=victim.removesuffix(".py"), lines=0))
    assert blob is not None
    rows = connection.execute("SELECT full, key, lines FROM facts WHERE path = ?",
                              (victim,)).fetchall()
    with connection:
        for full, key, lines in rows:
            connection.execute("UPDATE facts SET blob = ?, sum = ? WHERE path = ? AND full = ?",
                               (blob, checksum(blob), victim, full))
            if sign and "mac" in columns:
                mac = _signer().sign("facts", victim, "1" if full else "0", key, checksum(blob),
                                     str(lines))
                connection.execute("UPDATE facts SET mac = ? WHERE path = ? AND full = ?",
                                   (mac, victim, full))
    connection.close()
    return len(rows)


def forge_slot(db: Path, table: str, blob: str) -> None:
    """Replace the one row of ``table`` (results, documents) by ``blob``, its checksum
    recomputed where the row has one; its MAC, which needs the key, left as it was."""
    connection = sqlite3.connect(db)
    with connection:
        connection.execute(f"UPDATE {table} SET blob = ?", (blob,))
        if "sum" in _columns(connection, table):
            connection.execute(f"UPDATE {table} SET sum = ?", (checksum(blob),))
    connection.close()


def paths_with_findings(stdout: str) -> set[str]:
    return {finding["path"] for finding in json.loads(stdout)["findings"]}


# --------------------------------------------------------------- the committed, forged cache


@pytest.fixture
def forged_clone(tmp_path, monkeypatch) -> tuple[Path, str]:
    """A fresh clone of a pull request that adds `leak.py` and force-adds a cache
    forged to hide it (made with the attacker's own key); (clone, base commit)."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    write_tree(origin, GATE)
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "gateway")
    base = git(origin, "rev-parse", "HEAD")
    git(origin, "checkout", "-q", "-b", "pr")
    (origin / "leak.py").write_text(LEAK, encoding="utf-8")
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(tmp_path / "attacker-key"))
    assert run("scan", str(origin))[0] == 1  # the leak, found
    assert forge_facts(origin / ".lockscan" / "cache.sqlite", "leak.py", "app.py", sign=True)
    code, out, _ = run("scan", str(origin), "--format", "json")
    assert (code, paths_with_findings(out)) == (0, {"gateway.py"})  # the forgery works there
    git(origin, "add", "leak.py")
    git(origin, "add", "-f", ".lockscan/cache.sqlite")
    git(origin, "commit", "-q", "-m", "add leak.py")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "-b", "pr", str(origin), str(clone))
    assert (clone / ".lockscan" / "cache.sqlite").is_file()
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(tmp_path / "ci-key"))  # CI's own key
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
    # The pre-commit moment: the leak and the forged cache staged, HEAD without them
    # (check refuses what a commit adds compared with HEAD).
    git(clone, "reset", "-q", "--soft", "HEAD~1")
    staged = git(clone, "status", "--porcelain", "--ignored")
    before = (clone / ".lockscan" / "cache.sqlite").read_bytes()
    monkeypatch.chdir(clone)
    code, out, err = run("check", "leak.py")
    assert code == 1
    assert "leak.py:3" in out
    assert err.count("tracked by git") == 1
    assert (clone / ".lockscan" / "cache.sqlite").read_bytes() == before
    assert git(clone, "status", "--porcelain", "--ignored") == staged


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


def test_without_git_the_forged_cache_is_read_and_still_not_trusted(forged_clone, monkeypatch):
    clone, _ = forged_clone
    monkeypatch.setenv("PATH", str(clone / "no-such-bin"))  # git missing: nothing is tracked
    code, out, err = run("scan", str(clone), "--format", "json")
    assert code == 1
    assert paths_with_findings(out) == {"gateway.py", "leak.py"}  # its rows failed their MACs
    assert "tracked by git" not in err


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


# --------------------------------------------------------------- rows forged in an untracked cache


@pytest.fixture
def leaky(tmp_path):
    """A tree with the leak, its cache path and the verdict without a cache."""
    root = write_tree(tmp_path / "r", {**GATE, "leak.py": LEAK})
    rules = load_rules()
    expected = scan(root, ScanConfig(jobs=1), rules)
    assert "leak.py" in {f.path for f in expected.findings}
    return root, ScanConfig(jobs=1, cache_path=tmp_path / "cache.sqlite"), rules, expected


def test_a_facts_row_forged_with_the_public_checksum_is_a_miss(leaky):
    root, config, rules, expected = leaky
    assert scan(root, config, rules) == expected
    assert forge_facts(config.cache_path, "leak.py", "app.py") >= 1
    assert scan(root, config, rules) == expected
    assert scan(root, config, rules) == expected


def test_a_forged_hash_memo_row_is_a_miss(leaky, monkeypatch):
    root, config, rules, expected = leaky
    monkeypatch.setattr(STORE_MODULE, "RACY_NS", 0)  # remember hashes of files just written
    leak = root / "leak.py"
    leak.write_text(HARMLESS, encoding="utf-8")
    scan(root, config, rules)  # facts and a hash memo row for the harmless leak.py
    leak.write_text(LEAK, encoding="utf-8")
    connection = sqlite3.connect(config.cache_path)
    with connection:  # the memo row says the new bytes are the harmless ones
        count = connection.execute("UPDATE hashes SET stat = ? WHERE path LIKE '%leak.py'",
                                   (stat_key(os.stat(leak)),)).rowcount
    connection.close()
    assert count == 1
    assert scan(root, config, rules) == expected


def test_a_forged_result_row_is_a_miss(leaky):
    root, config, rules, expected = leaky
    leak = root / "leak.py"
    leak.write_text(HARMLESS, encoding="utf-8")
    scan(root, config, rules)
    harmless = sqlite3.connect(config.cache_path).execute("SELECT blob FROM results").fetchone()[0]
    leak.write_text(LEAK, encoding="utf-8")
    assert scan(root, config, rules) == expected  # stores the leak's result
    forge_slot(config.cache_path, "results", harmless)  # under the leak's result key
    assert scan(root, config, rules) == expected


def test_a_forged_rules_documents_row_is_a_miss(tmp_path):
    folder = tmp_path / "myrules"
    folder.mkdir()
    (folder / "rules.toml").write_text(
        '[vendor]\nid = "acme"\nmodules = ["acme"]\n\n'
        '[[rule]]\nid = "acme.import"\nkind = "import"\nmessage = "first"\n'
        'why = "w"\nfix = "f"\neffort = 1\nmatch = { imports = ["acme"] }\n', encoding="utf-8")
    db = tmp_path / "cache.sqlite"
    cache = FactsCache.open(db)
    assert cache is not None
    assert load_rules([folder], store=cache).get("acme.import").message == "first"
    blob = sqlite3.connect(db).execute("SELECT blob FROM documents").fetchone()[0]
    forge_slot(db, "documents", blob.replace('"first"', '"faked"'))
    assert load_rules([folder], store=cache).get("acme.import").message == "first"
    cache.close()


def test_a_cache_written_with_another_key_is_a_miss(leaky, tmp_path, monkeypatch):
    root, config, rules, expected = leaky
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(tmp_path / "machine-a"))
    assert scan(root, config, rules) == expected
    assert forge_facts(config.cache_path, "leak.py", "app.py", sign=True) >= 1
    fooled = scan(root, config, rules)  # valid rows under the key they were made with
    assert "leak.py" not in {f.path for f in fooled.findings}
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(tmp_path / "machine-b"))
    analyzed: list[str] = []
    real = ANALYZE_MODULE.analyze_file

    def counting(source, *args, **kwargs):
        analyzed.append(source.path)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(ANALYZE_MODULE, "analyze_file", counting)
    assert scan(root, config, rules) == expected
    assert {"app.py", "gateway.py", "leak.py"} <= set(analyzed)  # no row of A's was used


# --------------------------------------------------------------- the key itself


def test_the_key_is_private_and_made_once(tmp_path, monkeypatch):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "keys" / "lockscan"
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(folder))
    root = write_tree(tmp_path / "r", {**GATE, "leak.py": LEAK})
    assert run("scan", str(root))[0] == 1
    key = folder / "cache-key"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["cache-key"]
    text = key.read_text()
    assert len(bytes.fromhex(text.strip())) == 32
    assert run("scan", str(root))[0] == 1
    assert key.read_text() == text


def test_a_key_others_can_read_means_no_cache(tmp_path, monkeypatch):
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    folder = tmp_path / "keys"
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(folder))
    root = write_tree(tmp_path / "r", {**GATE, "leak.py": LEAK})
    folder.mkdir()
    (folder / "cache-key").write_text("00" * 32 + "\n")
    (folder / "cache-key").chmod(0o644)
    code, out, err = run("scan", str(root))
    assert (code, out) == run("scan", str(root), "--no-cache")[:2]
    assert err.splitlines()[0] == (
        f"lockscan: the cache key {folder / 'cache-key'} is open to other users (mode 0644); "
        f"scanning without a cache; run `chmod 600 {folder / 'cache-key'}`")
    assert not (root / ".lockscan").exists()


def test_without_a_usable_key_there_is_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("")
    monkeypatch.setenv("LOCKSCAN_SECRET_DIR", str(blocker / "lockscan"))  # cannot be made
    root = write_tree(tmp_path / "r", {**GATE, "leak.py": LEAK})
    code, out, err = run("scan", str(root))
    assert (code, out) == run("scan", str(root), "--no-cache")[:2]
    lines = [line for line in err.splitlines() if "cache key" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"lockscan: cannot make or read the cache key {blocker}")
    assert lines[0].endswith("scanning without a cache; set LOCKSCAN_SECRET_DIR to a private "
                             "writable folder, or pass --no-cache")
    assert not (root / ".lockscan").exists()


def test_the_signer_is_hmac_sha256():
    import hmac

    from lockscan.cache.secret import Signer

    for key in (b"", b"k" * 32, os.urandom(32), os.urandom(64), os.urandom(65)):
        signer = Signer(key)
        parts = ("facts", "pkg/\u00e9t\u00e9.py", "1", "ab" * 32, "cd" * 32, "12")
        mac = hmac.digest(key, "\0".join(parts).encode(), "sha256")
        assert signer.sign(*parts) == mac
        assert signer.verify(mac, *parts)
        assert not signer.verify(mac[:-1] + bytes([mac[-1] ^ 1]), *parts)
        assert not signer.verify(mac.hex(), *parts)  # a forged row's text is no MAC
