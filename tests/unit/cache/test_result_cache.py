"""The whole-result cache and the hash memo: a rescan is answered from the cache only
when every input of the result is as it was, and then byte for byte the same."""

from __future__ import annotations

import importlib
import os
import sqlite3
from dataclasses import replace

import pytest

from lockscan.cache import keys
from lockscan.cache import store as cache_module
from lockscan.cache.keys import content_hash
from lockscan.cache.secret import Signer, load_key
from lockscan.cache.store import FactsCache
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.report import render
from lockscan.ruleset import RuleSet
from tests.support.repos import SAMPLE_REPOS, copy_repo, write_tree

SCAN_MODULE = importlib.import_module("lockscan.pipeline.scan")  # `lockscan.pipeline.scan` is also a function
SAMPLES = sorted(p for p in SAMPLE_REPOS.iterdir() if p.is_dir())

LINKED = {
    "app/__init__.py": "",
    "app/llm.py": "import openai\nclient = openai.OpenAI()\n",
    # Skipped by the prefilter, analyzed in full once linking binds `client`.
    "app/other.py": "from app.llm import client\n\n\ndef go():\n    return client.models.list()\n",
    "app/util.py": "import os\n\n\ndef here():\n    return os.getcwd()\n",
}


@pytest.fixture
def computed(monkeypatch):
    """Records each scan that computed its result instead of reading it."""
    calls: list[str] = []
    real = SCAN_MODULE._result

    def counting(root, *args, **kwargs):
        calls.append(str(root))
        return real(root, *args, **kwargs)

    monkeypatch.setattr(SCAN_MODULE, "_result", counting)
    return calls


def _json(result) -> str:
    return render("scan", "json", result)


@pytest.mark.parametrize("repo", SAMPLES, ids=lambda p: p.name)
def test_stored_result_round_trips_exactly(repo, tmp_path, rules, computed):
    root = copy_repo(repo, tmp_path / repo.name)
    db = tmp_path / "cache.sqlite"
    config = ScanConfig(jobs=1, cache_path=db, report_unused_ignores=True)
    plain = scan(root, replace(config, cache_path=None), rules)
    first = scan(root, config, rules)
    assert len(computed) == 2
    again = scan(root, config, rules)
    assert len(computed) == 2  # read back, not computed
    assert again == first == plain
    assert _json(again) == _json(plain)
    if repo.name != "no_vendor":
        assert plain.findings and plain.switch_cost  # the codec carried floats and dicts


def test_edit_that_keeps_the_facts_hits_and_recounts_lines(tmp_path, rules, computed):
    root = write_tree(tmp_path / "r", LINKED)
    config = ScanConfig(jobs=1, cache_path=tmp_path / "cache.sqlite")
    scan(root, config, rules)
    with open(root / "app/util.py", "a", encoding="utf-8") as handle:
        handle.write("# a comment\n# and another\n")
    warm = scan(root, config, rules)
    assert len(computed) == 1
    assert warm == scan(root, ScanConfig(jobs=1), rules)
    assert _json(warm) == _json(scan(root, ScanConfig(jobs=1), rules))
    assert warm.summary.lines == sum(
        len((root / rel).read_text().splitlines()) for rel in LINKED)


@pytest.mark.parametrize("change", [
    "import", "finding", "new-file", "deleted-file", "full-pass-file", "targets",
    "unused-ignores", "exclude", "max-file-size", "select", "rules", "version",
])
def test_any_change_of_input_misses(change, tmp_path, rules, computed, monkeypatch):
    root = write_tree(tmp_path / "r", LINKED)
    config = ScanConfig(jobs=1, cache_path=tmp_path / "cache.sqlite")
    scan(root, config, rules)
    scan(root, config, rules)
    assert len(computed) == 1
    if change == "import":
        (root / "app/util.py").write_text("import os\nimport json\n")
    elif change == "finding":
        (root / "app/llm.py").write_text("import openai\nclient = openai.OpenAI(api_key=k)\n")
    elif change == "new-file":
        (root / "app/new.py").write_text("import anthropic\n")
    elif change == "deleted-file":
        (root / "app/util.py").unlink()
    elif change == "full-pass-file":
        # Same imports, so the same prefilter-stage facts; its full analysis differs.
        (root / "app/other.py").write_text(
            "from app.llm import client\n\n\ndef go():\n"
            "    return client.chat.completions.create(model='m', messages=[])\n")
    elif change == "targets":
        config = replace(config, targets=("anthropic",))
    elif change == "unused-ignores":
        config = replace(config, report_unused_ignores=True)
    elif change == "exclude":
        config = replace(config, exclude=("app/util.py",))
    elif change == "max-file-size":
        config = replace(config, max_file_size=10)
    elif change == "select":
        config = replace(config, select=("openai.import",))
    elif change == "rules":
        rules = RuleSet(rules.rules, rules.vendors, rules.transparent_attributes,
                        rules.sources, "another-digest")
    elif change == "version":
        monkeypatch.setattr(keys, "__version__", "99.0.0")
    changed = scan(root, config, rules)
    assert len(computed) == 2
    assert changed == scan(root, replace(config, cache_path=None), rules)
    if change == "full-pass-file":
        assert any(f.path == "app/other.py" for f in changed.findings)


def test_tampered_or_undecodable_result_is_computed_again(tmp_path, rules, computed):
    root = write_tree(tmp_path / "r", LINKED)
    db = tmp_path / "cache.sqlite"
    config = ScanConfig(jobs=1, cache_path=db)
    expected = scan(root, config, rules)
    with sqlite3.connect(db) as connection:  # a finding's rule renamed, checksum kept
        connection.execute("UPDATE results SET blob = replace(blob, 'openai.client', 'x')")
    assert scan(root, config, rules) == expected
    assert len(computed) == 2
    blob = '[[],{"@":"Summary","v":[]}]'
    with sqlite3.connect(db) as connection:  # MAC fixed up (this user's key), not a result
        key = connection.execute("SELECT key FROM results").fetchone()[0]
        connection.execute("UPDATE results SET blob = ?, mac = ?",
                           (blob, Signer(load_key()).sign("results", key, blob)))
    assert scan(root, config, rules) == expected
    assert len(computed) == 3
    assert scan(root, config, rules) == expected
    assert len(computed) == 3  # the recomputed result was stored again


def test_hash_memo_reads_a_file_only_when_its_stat_changed(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    path = tmp_path / "a.py"
    path.write_bytes(b"one\n")
    cache = FactsCache.open(tmp_path / "cache.sqlite")
    assert cache is not None
    name = str(path)
    assert cache.content_hashes([name]) == {name: content_hash(b"one\n")}
    reads = []
    real = cache_module.read_hash
    monkeypatch.setattr(cache_module, "read_hash", lambda p: reads.append(p) or real(p))
    assert cache.content_hashes([name]) == {name: content_hash(b"one\n")}
    assert reads == []
    # Same size, mtime set back to what it was: the ctime still tells the edit apart.
    before = os.stat(path)
    path.write_bytes(b"two\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert cache.content_hashes([name]) == {name: content_hash(b"two\n")}
    assert reads == [name]
    assert cache.content_hashes([name, str(tmp_path / "gone.py")]) == {
        name: content_hash(b"two\n"), str(tmp_path / "gone.py"): None}
    cache.close()


def test_hash_memo_skips_files_changed_just_before_hashing(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes(b"fresh\n")
    cache = FactsCache.open(tmp_path / "cache.sqlite")
    assert cache is not None
    assert cache.content_hashes([str(path)]) == {str(path): content_hash(b"fresh\n")}
    rows = cache.connection.execute("SELECT count(*) FROM hashes").fetchone()[0]
    assert rows == 0  # within RACY_NS of its last change: hashed again next time
    cache.close()
