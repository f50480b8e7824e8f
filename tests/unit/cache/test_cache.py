"""The facts cache and the process pool change speed, never results."""

from __future__ import annotations

import datetime
import importlib
import json
import re
import sqlite3
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from lockscan.cache import codec, keys
from lockscan.cache.codec import decode, encode
from lockscan.cache.secret import Signer, load_key
from lockscan.cache.store import FactsCache
from lockscan.cli import cli
from lockscan.engine import Analyzer
from lockscan.model.config import ScanConfig
from lockscan.pipeline.analysis import Direct, analyze_all
from lockscan.pipeline.discover import discover
from lockscan.pipeline.scan import scan
from lockscan.ruleset import RuleSet, load_rules
from lockscan.ruleset import loader as rules_module
from tests.support.repos import SAMPLE_REPOS, copy_repo, write_tree

SCAN_MODULE = importlib.import_module("lockscan.pipeline.executor")
ANALYZE_MODULE = importlib.import_module("lockscan.pipeline.executor")
SAMPLES = sorted(p for p in SAMPLE_REPOS.iterdir() if p.is_dir())


def _copy(repo: Path, tmp_path: Path) -> Path:
    return copy_repo(repo, tmp_path / repo.name)


@pytest.mark.parametrize("repo", SAMPLES, ids=lambda p: p.name)
def test_same_findings_with_and_without_cache_and_workers(repo, tmp_path, rules):
    root = _copy(repo, tmp_path)
    db = tmp_path / "c" / "cache.sqlite"
    plain = scan(root, ScanConfig(jobs=1), rules)
    filled = scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    warm = scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    assert db.exists()
    assert filled == plain and warm == plain
    # Two workers, forced through the pool even for a small repo.
    files = discover(root, kinds=("python",)).files
    one = analyze_all(files, Direct(Analyzer(rules), 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SCAN_MODULE, "POOL_THRESHOLD", 0)
        two = analyze_all(files, Direct(Analyzer(rules), 2))
    assert two == one


def test_cached_facts_round_trip_exactly(rules):
    for repo in SAMPLES:
        files = discover(repo, kinds=("python",)).files
        for facts in analyze_all(files, Direct(Analyzer(rules), 1))[0]:
            assert decode(encode(facts)) == facts  # type: ignore[arg-type]


def test_warm_scan_reads_the_cache_instead_of_analyzing(tmp_path, rules, monkeypatch):
    root = write_tree(tmp_path / "r", {"app/llm.py": "import openai\nc = openai.OpenAI()\n"})
    db = tmp_path / "cache.sqlite"
    first = scan(root, ScanConfig(jobs=1, cache_path=db), rules)

    def boom(*args, **kwargs):
        raise AssertionError("analyzed although cached")

    monkeypatch.setattr(ANALYZE_MODULE, "analyze_file", boom)
    assert scan(root, ScanConfig(jobs=1, cache_path=db), rules) == first
    # An edited file is analyzed again (and only then).
    (root / "app/llm.py").write_text("import anthropic\n")
    with pytest.raises(AssertionError, match="analyzed although cached"):
        scan(root, ScanConfig(jobs=1, cache_path=db), rules)


def test_corrupt_cache_file_is_rebuilt_with_identical_results(tmp_path, rules):
    root = _copy(SAMPLE_REPOS / "openai_chatbot", tmp_path)
    db = tmp_path / "cache.sqlite"
    expected = scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    # lockscan's header kept, every page after it garbage: a damaged lockscan cache.
    # (A file that is not lockscan's is never replaced: tests/test_cache_place.py.)
    db.write_bytes(db.read_bytes()[:100] + b"this is not an SQLite database" * 1000)
    assert scan(root, ScanConfig(jobs=1, cache_path=db), rules) == expected
    assert sqlite3.connect(db).execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    assert scan(root, ScanConfig(jobs=1, cache_path=db), rules) == expected


def test_tampered_rows_are_not_trusted(tmp_path, rules):
    root = _copy(SAMPLE_REPOS / "openai_chatbot", tmp_path)
    db = tmp_path / "cache.sqlite"
    expected = scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    connection = sqlite3.connect(db)
    with connection:  # findings dropped from every row, checksums left as they were
        for path, full, blob in connection.execute("SELECT path, full, blob FROM facts").fetchall():
            facts = decode(blob)
            connection.execute("UPDATE facts SET blob = ? WHERE path = ? AND full = ?",
                               (encode(replace(facts, findings=())), path, full))
        connection.execute("UPDATE facts SET blob = 'garbage' WHERE rowid = 1")
    connection.close()
    assert scan(root, ScanConfig(jobs=1, cache_path=db), rules) == expected


def test_cache_of_another_version_or_rules_is_not_used(tmp_path, rules, monkeypatch):
    root = write_tree(tmp_path / "r", {"app/llm.py": "import openai\nc = openai.OpenAI()\n"})
    db = tmp_path / "cache.sqlite"
    scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    calls = []
    real = ANALYZE_MODULE.analyze_file

    def counting(*args, **kwargs):
        calls.append(args[0].path)
        return real(*args, **kwargs)

    monkeypatch.setattr(ANALYZE_MODULE, "analyze_file", counting)
    monkeypatch.setattr(keys, "__version__", "99.0.0")
    scan(root, ScanConfig(jobs=1, cache_path=db), rules)
    assert calls == ["app/llm.py"]
    other_rules = RuleSet(rules.rules, rules.vendors, rules.transparent_attributes,
                          rules.sources, "another-digest")
    scan(root, ScanConfig(jobs=1, cache_path=db), other_rules)
    assert calls == ["app/llm.py", "app/llm.py"]
    scan(root, ScanConfig(jobs=1, cache_path=db, select=("openai.import",)), other_rules)
    assert calls == ["app/llm.py"] * 3  # a narrower selection is other rules too


def test_schema_of_another_cache_format_is_rebuilt(tmp_path):
    db = tmp_path / "cache.sqlite"
    connection = sqlite3.connect(db)
    connection.execute("CREATE TABLE facts (x)")
    connection.execute("PRAGMA user_version = 5")  # an older lockscan's (another program's
    # database is never replaced: tests/test_cache_place.py)
    connection.commit()
    connection.close()
    opened = FactsCache.open(db)
    assert opened is not None
    assert opened.get_many({("a.py", False): "k"}) == {}
    opened.close()
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == \
        keys.CACHE_FORMAT


def test_cli_cache_clear_and_default_location(tmp_path):
    root = _copy(SAMPLE_REPOS / "anthropic_agent", tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["scan", str(root), "--format", "json", "-j", "1"])
    assert first.exit_code == 0, first.output
    assert (root / ".lockscan" / "cache.sqlite").exists()
    again = runner.invoke(cli, ["scan", str(root), "--format", "json", "-j", "1"])
    assert again.output == first.output
    cleared = runner.invoke(cli, ["cache", "clear", str(root)])
    assert cleared.output == f"removed {root / '.lockscan' / 'cache.sqlite'}\n"
    assert not (root / ".lockscan" / "cache.sqlite").exists()
    assert runner.invoke(cli, ["cache", "clear", str(root)]).output.startswith("no cache at")


def test_cli_no_cache_and_cache_dir(tmp_path):
    root = _copy(SAMPLE_REPOS / "anthropic_agent", tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["scan", str(root), "--no-cache", "-j", "1"])
    assert result.exit_code == 0
    assert not (root / ".lockscan").exists()
    elsewhere = tmp_path / "elsewhere"
    result = runner.invoke(cli, ["scan", str(root), "--cache-dir", str(elsewhere), "-j", "1"])
    assert result.exit_code == 0
    assert (elsewhere / "cache.sqlite").exists() and not (root / ".lockscan").exists()
    cleared = runner.invoke(cli, ["cache", "clear", str(root), "--cache-dir", str(elsewhere)])
    assert cleared.output.startswith("removed")


def test_progress_never_reaches_json_stdout(tmp_path, monkeypatch):
    """With the bar forced on from the first file, stdout is still pure JSON."""
    import lockscan.cli.commands as cli_module

    root = _copy(SAMPLE_REPOS / "openai_chatbot", tmp_path)
    updates = []
    real = cli_module.progress_bar

    @contextmanager
    def eager(delay: float = 0.5):
        assert delay == 0.5
        with real(delay=0.0, interactive=True) as update:
            def spy(done: int, total: int) -> None:
                updates.append((done, total))
                update(done, total)

            yield spy

    monkeypatch.setattr(cli_module, "progress_bar", eager)
    result = CliRunner().invoke(cli, ["scan", str(root), "--format", "json", "--no-cache",
                                      "-j", "1"])
    assert result.exit_code == 0, result.output
    assert updates and updates[-1][0] == updates[-1][1]
    assert json.loads(result.stdout)["summary"]["findings"] > 0


def test_no_progress_bar_without_a_terminal():
    from lockscan.cli.progress import progress_bar

    with progress_bar(delay=0.0, interactive=False) as update:
        assert update is None


def _rules_repr(rules: RuleSet) -> str:
    """Rules compared by their text: compiled regexes compare by identity."""
    return re.sub(r" at 0x[0-9a-f]+", "", repr((rules.rules, rules.vendors,
                                                 rules.transparent_attributes, rules.digest)))


def _one_rules_file(tmp_path: Path, message: str) -> Path:
    folder = tmp_path / "myrules"
    folder.mkdir(exist_ok=True)
    (folder / "rules.toml").write_text(
        '[vendor]\nid = "acme"\nmodules = ["acme"]\n\n'
        f'[[rule]]\nid = "acme.import"\nkind = "import"\nmessage = "{message}"\n'
        'why = "w"\nfix = "f"\neffort = 1\nmatch = { imports = ["acme"] }\n', encoding="utf-8")
    return folder


def test_rules_documents_are_reused_only_for_the_same_bytes(tmp_path, monkeypatch):
    cache = FactsCache.open(tmp_path / "cache.sqlite")
    assert cache is not None
    folder = _one_rules_file(tmp_path, "first")
    plain = load_rules([folder])
    assert _rules_repr(load_rules([folder], store=cache)) == _rules_repr(plain)
    parsed = []
    real = rules_module.tomllib.loads
    monkeypatch.setattr(rules_module.tomllib, "loads",
                        lambda text: parsed.append(text) or real(text))
    warm = load_rules([folder], store=cache)
    assert parsed == [] and _rules_repr(warm) == _rules_repr(plain)
    # One byte changed in one rules file: every file is parsed again, never the old data.
    _one_rules_file(tmp_path, "secnd")
    changed = load_rules([folder], store=cache)
    assert len(parsed) == len(changed.sources) > 1
    assert changed.get("acme.import").message == "secnd"
    assert load_rules([folder], store=cache).get("acme.import").message == "secnd"
    assert len(parsed) == len(changed.sources)  # and that parse was kept
    cache.close()


def test_tampered_or_undecodable_rules_documents_are_parsed_again(tmp_path):
    db = tmp_path / "cache.sqlite"
    cache = FactsCache.open(db)
    folder = _one_rules_file(tmp_path, "first")
    expected = _rules_repr(load_rules([folder], store=cache))
    connection = sqlite3.connect(db)
    with connection:  # the rule's message changed, checksum left as it was
        connection.execute("UPDATE documents SET blob = replace(blob, 'first', 'faked')")
    connection.close()
    assert _rules_repr(load_rules([folder], store=cache)) == expected
    with sqlite3.connect(db) as connection:  # MAC fixed up (this user's key): JSON invalid
        key = connection.execute("SELECT key FROM documents").fetchone()[0]
        connection.execute("UPDATE documents SET blob = '[{', mac = ?",
                           (Signer(load_key()).sign("documents", key, "[{"),))
    assert _rules_repr(load_rules([folder], store=cache)) == expected
    cache.close()


def test_rules_with_toml_dates_are_not_kept(tmp_path):
    cache = FactsCache.open(tmp_path / "cache.sqlite")
    key = "k"
    cache.put_documents(key, [{"when": datetime.date(2026, 1, 1)}])
    assert cache.get_documents(key) is None
    cache.put_documents(key, [{"a": [1, 2.5, True, "x"]}])
    assert cache.get_documents(key) == [{"a": [1, 2.5, True, "x"]}]
    assert cache.get_documents("other") is None
    cache.close()


def test_cli_scan_keeps_rules_documents_in_the_cache(tmp_path):
    root = _copy(SAMPLE_REPOS / "anthropic_agent", tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["scan", str(root), "--format", "json", "-j", "1"])
    db = root / ".lockscan" / "cache.sqlite"
    rows = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    assert rows == 1
    again = runner.invoke(cli, ["scan", str(root), "--format", "json", "-j", "1"])
    assert again.exit_code == 0 and again.output == first.output


def test_imports_only_facts_use_the_flat_form_and_round_trip(tmp_path):
    from lockscan.model import Diagnostic, FileFacts, ImportRef

    plain = FileFacts("pkg/a.py", "python", "pkg.a", 12,
                      imports=(ImportRef("os", 1), ImportRef("pkg.b", 3, ("x", "y"), True)),
                      exports=(("client", "openai.OpenAI()"), ("k", "factory:pkg.b.make")),
                      analyzed=False)
    blob = encode(plain)
    assert blob is not None and blob.startswith("[")
    assert decode(blob) == plain
    no_module = replace(plain, module=None, kind="config", imports=(), exports=())
    assert decode(encode(no_module)) == no_module  # type: ignore[arg-type]
    with_diagnostic = replace(plain, diagnostics=(Diagnostic("pkg/a.py", "x", "y"),))
    assert encode(with_diagnostic).startswith("{")  # type: ignore[union-attr]
    assert decode(encode(with_diagnostic)) == with_diagnostic  # type: ignore[arg-type]
    # Wrong types or shapes are misses, never facts.
    for bad in (blob.replace('"os",1', '"os","1"'), blob.replace("false]", "0]"),
                blob.replace('"imports-only"', '"other"'), blob[:-1] + ',1]',
                blob.replace('["x","y"]', '["x",2]')):
        assert bad != blob
        assert codec.decode_facts(bad, "pkg/a.py") is None
    assert codec.decode_facts(blob, "pkg/other.py") is None
