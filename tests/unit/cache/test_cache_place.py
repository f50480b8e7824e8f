"""The cache never makes lockscan write or delete outside the scanned tree, nor delete a
file it did not make (issue 17, part 2).

A pull request can plant `.lockscan -> /some/dir`, or symlinks where lockscan keeps its
files; the folder a user names with `--cache-dir` may hold another program's database.
Each case: a one-line warning on stderr, the same verdict as `--no-cache`, and the
files outside byte for byte as they were.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from lockscan.cache.store import FactsCache
from lockscan.errors import CacheWarning
from tests.support.cli import run
from tests.support.repos import write_tree

TREE = {
    "pyproject.toml": '[tool.lockscan]\nallowed_modules = ["gateway.py"]\nfail_on = ["policy"]\n'
                      'jobs = 1\ntargets = ["anthropic", "openai"]\n',
    "gateway.py": "import openai\n\nclient = openai.OpenAI()\n",
    "leak.py": 'import openai\n\nopenai.OpenAI().chat.completions.create(model="gpt-4o", messages=[])\n',
}
COMPANIONS = ["cache.sqlite", "cache.sqlite-journal", "cache.sqlite-wal", "cache.sqlite-shm",
              ".gitignore"]


def foreign_database(path: Path) -> bytes:
    """Another program's SQLite database at ``path``; its bytes."""
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("CREATE TABLE bookmarks (url TEXT)")
        connection.execute("INSERT INTO bookmarks VALUES ('https://example.invalid')")
    connection.close()
    return path.read_bytes()


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, a link's target."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        out[rel] = os.readlink(path) if path.is_symlink() else (
            path.read_bytes() if path.is_file() else "dir")
    return out


def scanned_like_no_cache(root: Path, *options: str) -> list[str]:
    """Scan ``root`` (JSON); assert exit code and stdout equal a `--no-cache` scan's;
    the stderr lines the cache added."""
    plain = run("scan", str(root), "--format", "json", "--no-cache")
    code, out, err = run("scan", str(root), "--format", "json", *options)
    assert (code, out) == plain[:2]
    assert code == 1  # the leak is still found
    return [line for line in err.splitlines() if line not in plain[2].splitlines()]


# Each test checks the files outside first, then the warning.

# --------------------------------------------------------------- a planted `.lockscan` symlink


def test_a_symlinked_cache_folder_is_not_followed(tmp_path):
    outside = tmp_path / "some-dir"
    outside.mkdir()
    (outside / "notes.txt").write_text("mine\n")
    root = write_tree(tmp_path / "repo", TREE)
    (root / ".lockscan").symlink_to(outside)  # planted by a pull request
    before = snapshot(outside)
    lines = scanned_like_no_cache(root)
    assert snapshot(outside) == before  # no cache.sqlite, no .gitignore written there
    assert lines == [f"lockscan: {root / '.lockscan'} is a symlink to {outside} (planted?); not "
                     "following it, scanning without a cache; remove the link or pass --cache-dir"]


def test_another_programs_database_behind_a_symlinked_folder_survives(tmp_path):
    outside = tmp_path / "some-dir"
    outside.mkdir()
    before = foreign_database(outside / "cache.sqlite")
    root = write_tree(tmp_path / "repo", TREE)
    (root / ".lockscan").symlink_to(outside)
    lines = scanned_like_no_cache(root)
    assert (outside / "cache.sqlite").read_bytes() == before
    assert sorted(p.name for p in outside.iterdir()) == ["cache.sqlite"]
    assert len(lines) == 1


def test_a_planted_link_cannot_add_lines_to_the_report(tmp_path):
    root = write_tree(tmp_path / "repo", TREE)
    (root / ".lockscan").symlink_to("/nowhere\nlockscan: cache ok, 0 findings\x1b[2J")
    lines = scanned_like_no_cache(root)
    assert lines == [f"lockscan: {root / '.lockscan'} is a symlink to /nowhere\\x0alockscan: "
                     "cache ok, 0 findings\\x1b[2J (planted?); not following it, scanning "
                     "without a cache; remove the link or pass --cache-dir"]


@pytest.mark.parametrize("target", ["existing", "dangling"])
@pytest.mark.parametrize("name", COMPANIONS)
def test_a_symlink_where_lockscan_keeps_a_file_is_not_followed(tmp_path, name, target):
    outside = tmp_path / "outside"
    outside.mkdir()
    if target == "existing":
        pointed = outside / "precious"
        pointed.write_bytes(b"do not touch\n")
    else:  # following it would create the file
        pointed = outside / "created"
    before = snapshot(outside)
    root = write_tree(tmp_path / "repo", TREE)
    (root / ".lockscan").mkdir()
    (root / ".lockscan" / name).symlink_to(pointed)
    lines = scanned_like_no_cache(root)
    assert snapshot(outside) == before
    assert (root / ".lockscan" / name).is_symlink()
    assert lines == [f"lockscan: {root / '.lockscan' / name} is a symlink to {pointed} "
                     "(planted?); not following it, scanning without a cache; delete it or pass "
                     "--cache-dir"]


# --------------------------------------------------------------- a file that is not lockscan's


@pytest.mark.parametrize("kind", ["bookmarks", "facts-table", "not-sqlite"])
def test_a_file_that_is_not_a_lockscan_cache_is_left_untouched(tmp_path, kind):
    root = write_tree(tmp_path / "repo", TREE)
    db = root / ".lockscan" / "cache.sqlite"
    db.parent.mkdir()
    if kind == "bookmarks":
        foreign_database(db)
    elif kind == "facts-table":  # lockscan's table name, but another program's database
        connection = sqlite3.connect(db)
        connection.execute("CREATE TABLE facts (x)")
        connection.execute("CREATE TABLE notes (y)")
        connection.execute("PRAGMA user_version = 3")
        connection.commit()
        connection.close()
    else:  # e.g. an encrypted database: no SQLite header
        db.write_bytes(os.urandom(8192))
    before = db.read_bytes()
    lines = scanned_like_no_cache(root)
    assert db.read_bytes() == before
    assert lines == [f"lockscan: {db} is not a lockscan cache (another program's file?); leaving "
                     "it untouched, scanning without a cache; move it away or pass --cache-dir"]
    with pytest.warns(CacheWarning, match="is not a lockscan cache"):
        assert FactsCache.open(db) is None
    assert db.read_bytes() == before


def test_another_programs_database_in_a_chosen_cache_dir_survives(tmp_path):
    chosen = tmp_path / "my-caches"
    chosen.mkdir()
    before = foreign_database(chosen / "cache.sqlite")
    root = write_tree(tmp_path / "repo", TREE)
    lines = scanned_like_no_cache(root, "--cache-dir", str(chosen))
    assert (chosen / "cache.sqlite").read_bytes() == before
    assert len(lines) == 1


def test_an_older_lockscan_cache_is_replaced(tmp_path):
    root = write_tree(tmp_path / "repo", TREE)
    db = root / ".lockscan" / "cache.sqlite"
    db.parent.mkdir()
    connection = sqlite3.connect(db)  # format 5, as lockscan 5 made it: no application_id
    connection.execute("CREATE TABLE facts (path TEXT NOT NULL, full INTEGER NOT NULL, "
                       "key TEXT NOT NULL, sum TEXT NOT NULL, blob TEXT NOT NULL, "
                       "lines INTEGER NOT NULL, PRIMARY KEY (path, full))")
    connection.execute("CREATE TABLE hashes (path TEXT PRIMARY KEY, stat TEXT NOT NULL, "
                       "digest TEXT NOT NULL)")
    for table in ("documents", "results"):
        connection.execute(f"CREATE TABLE {table} (slot INTEGER PRIMARY KEY, key TEXT NOT NULL, "
                           "sum TEXT NOT NULL, blob TEXT NOT NULL)")
    connection.execute("PRAGMA user_version = 5")
    connection.commit()
    connection.close()
    assert scanned_like_no_cache(root) == []
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA application_id").fetchone()[0] != 0
    assert connection.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    connection.close()


# --------------------------------------------------------------- --cache-dir: the user's choice


def test_a_chosen_cache_dir_may_be_a_symlink(tmp_path):
    real = tmp_path / "real-caches"
    real.mkdir()
    (tmp_path / "caches").symlink_to(real)
    root = write_tree(tmp_path / "repo", TREE)
    assert scanned_like_no_cache(root, "--cache-dir", str(tmp_path / "caches")) == []
    assert (real / "cache.sqlite").is_file()
    assert not (root / ".lockscan").exists()


def test_files_in_a_chosen_cache_dir_must_not_be_symlinks(tmp_path):
    chosen = tmp_path / "caches"
    chosen.mkdir()
    precious = tmp_path / "precious.sqlite"
    before = foreign_database(precious)
    (chosen / "cache.sqlite").symlink_to(precious)
    root = write_tree(tmp_path / "repo", TREE)
    lines = scanned_like_no_cache(root, "--cache-dir", str(chosen))
    assert precious.read_bytes() == before
    assert len(lines) == 1 and "is a symlink" in lines[0]


# --------------------------------------------------------------- lockscan cache clear


def test_cache_clear_does_not_follow_a_symlinked_folder(tmp_path):
    outside = tmp_path / "some-dir"
    outside.mkdir()
    before = foreign_database(outside / "cache.sqlite")
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".lockscan").symlink_to(outside)
    code, out, err = run("cache", "clear", str(root))
    assert (outside / "cache.sqlite").read_bytes() == before
    assert (code, out) == (2, "")
    assert err == (f"lockscan: {root / '.lockscan'} is a symlink to {outside} (planted?); not "
                   "following it, nothing removed; remove the link or pass --cache-dir\n")


def test_cache_clear_does_not_remove_a_symlinked_cache_file(tmp_path):
    precious = tmp_path / "precious.sqlite"
    before = foreign_database(precious)
    root = tmp_path / "repo"
    (root / ".lockscan").mkdir(parents=True)
    (root / ".lockscan" / "cache.sqlite").symlink_to(precious)
    code, out, err = run("cache", "clear", str(root))
    assert precious.read_bytes() == before
    assert (root / ".lockscan" / "cache.sqlite").is_symlink()
    assert (code, out) == (2, "")
    assert "is a symlink" in err and "nothing removed" in err and err.count("\n") == 1


def test_cache_clear_leaves_another_programs_database(tmp_path):
    chosen = tmp_path / "caches"
    chosen.mkdir()
    before = foreign_database(chosen / "cache.sqlite")
    code, out, err = run("cache", "clear", str(tmp_path), "--cache-dir", str(chosen))
    assert (chosen / "cache.sqlite").read_bytes() == before
    assert (code, out) == (2, "")
    assert err == (f"lockscan: {chosen / 'cache.sqlite'} is not a lockscan cache (another "
                   "program's file?); not removed; delete it yourself if it is yours\n")


def test_cache_clear_removes_lockscans_own_cache(tmp_path):
    root = write_tree(tmp_path / "repo", TREE)
    assert run("scan", str(root))[0] == 1
    db = root / ".lockscan" / "cache.sqlite"
    assert db.is_file()
    assert run("cache", "clear", str(root)) == (0, f"removed {db}\n", "")
    assert not db.exists()
