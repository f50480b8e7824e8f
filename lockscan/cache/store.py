"""Per-file facts cache: an SQLite file, so a rescan reads instead of re-analyzing.

An entry is found by the file's path and analysis mode and used only when its key
matches: a hash of the file's bytes, the rules (file digest and selected rule ids),
the lockscan version, the cache format, the file's module name and kind. So a cache
written by another lockscan or other rules is never used, only overwritten.

Facts are stored as JSON through a small codec of ``lockscan.model`` dataclasses, not
pickle (``lockscan.cache.codec``); keys are in ``lockscan.cache.keys``. Those keys are
computed from public inputs, so anyone could write a row that matches: every row of
every table therefore carries a MAC, HMAC-SHA256 under this user's secret key
(``lockscan.cache.secret``) over the row's key and content (a facts row: over the
SHA-256 of its blob, checked when the blob is decoded). A row whose MAC does not
verify (forged, committed to the repository, written on another machine or by another
user) or that fails to decode is a miss, and is rebuilt. A damaged lockscan cache is
deleted and rebuilt; what may be opened, replaced or deleted at all (never through a
symlink, never a file git tracks, never another program's database) is decided in
``lockscan.cache.place``. SQLite makes each write an atomic transaction and
serialises concurrent writers.

The same file keeps the last scan result (one row), so a rescan whose inputs did not
change skips analysis, linking, the graph and scoring. Its key is everything that
result depends on: the rules salt above, every scan setting but the worker count, the
root, the discovered files and discovery diagnostics, and each file's facts digest (a
hash of its cached facts minus the line count). Keying on facts rather than bytes
means an edit that leaves a file's facts as they were (a comment, a function body
below the imports) is still a hit; only ``Summary.lines`` is recomputed, from line
counts kept beside each row (a row stores its facts without the line count, so its
checksum is that digest). Files the pipeline analyzed in full a second time (they
import a vendor-bound repo name) are checked too: the result row lists their full
facts digests, which must match the current ones.

Reading and hashing every file was most of a rescan that analyzes nothing, so the
hash of each file is also kept with its stat (device, inode, size, mtime, ctime) and
used again while the stat is the same, as git's index does. Any write or ``touch``
sets the ctime to the current time, which no process can set back; a file changed
less than ``RACY_NS`` before it was hashed is not remembered, so an edit within the
same clock tick as the hashing cannot pass unseen.

The same file keeps the parsed documents of the last rules files loaded (one row,
found by a hash of every rules file's path and bytes), so a rescan decodes them with
the C JSON parser instead of parsing TOML (``lockscan.ruleset.loader.load_rules``).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lockscan.cache.codec import as_str, checksum, decode_facts, encode, object_hook, reject, to_json
from lockscan.cache.keys import CACHE_FORMAT, read_hash, stat_key
from lockscan.cache.place import (
    APPLICATION_ID,
    clear_refusal,
    create_empty,
    not_ours,
    prepare,
    remove,
    warn,
)
from lockscan.cache.secret import Signer, load_key
from lockscan.errors import CacheRefused
from lockscan.model import FileFacts, ScanResult
from lockscan.ruleset import RuleSet, load_rules

CACHE_NAME = "cache.sqlite"
RACY_NS = 2_000_000_000  # files changed this recently are hashed again on every scan
BUSY_TIMEOUT = 5.0  # seconds to wait for another lockscan writing the same cache
TABLES = frozenset({"facts", "documents", "results", "hashes"})


def default_cache_path(root: Path) -> Path:
    base = root if root.is_dir() else root.parent
    return base / ".lockscan" / CACHE_NAME


def load_rules_cached(rule_dirs: Iterable[Path], include_bundled: bool,
                      path: Path | None) -> RuleSet:
    """``load_rules``, with parsed rules documents kept in the cache at ``path`` (if any)."""
    cache = FactsCache.open(path) if path is not None else None
    try:
        return load_rules(rule_dirs, include_bundled=include_bundled, store=cache)
    finally:
        if cache is not None:
            cache.close()


def _facts_row(facts: FileFacts) -> tuple[str, str] | None:
    """How a row stores ``facts``: encoded without the line count (its own column; only
    ``Summary.lines`` reads it), and the checksum of that, which is also the facts
    digest a result is keyed on: one encoding serves both. None when the codec cannot
    carry the facts."""
    blob = encode(dataclasses.replace(facts, lines=0))
    return None if blob is None else (blob, checksum(blob))



class FactsCache:
    """Open with ``FactsCache.open``; a cache that cannot be opened is simply absent."""

    def __init__(self, connection: sqlite3.Connection, path: Path, signer: Signer) -> None:
        self.connection = connection
        self.path = path
        self.signer = signer

    @classmethod
    def open(cls, path: Path) -> FactsCache | None:
        """The cache at ``path``; None (scan without one) when there is no key to trust
        rows with, or the file must not be used (``lockscan.cache.place``: each reason
        said once on stderr), or it cannot be opened (a read-only checkout)."""
        key = load_key()
        if isinstance(key, str):
            warn(key)
            return None
        try:
            problem = prepare(path)
        except OSError:  # read-only checkout, no permission: scan without a cache
            return None
        if problem is not None:
            warn(problem)
            return None
        for _ in range(2):
            try:
                create_empty(path)
                connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT)
                try:
                    _prepare(connection)
                except BaseException:
                    connection.close()
                    raise
                return cls(connection, path, Signer(key))
            except _NotOurs:  # replaced by another program's file since ``prepare``
                warn(not_ours(path))
                return None
            except sqlite3.DatabaseError:  # lockscan's, but malformed or another format
                remove(path)
            except OSError:  # read-only checkout, no permission: scan without a cache
                return None
        return None

    def get_many(self, wanted: dict[tuple[str, bool], str]
                 ) -> dict[tuple[str, bool], tuple[FileFacts, str]]:
        """``{(path, full): key}`` -> (facts, facts digest) of the rows whose stored key
        matches."""
        found: dict[tuple[str, bool], tuple[FileFacts, str]] = {}
        try:
            rows = self.connection.execute(
                "SELECT path, full, key, sum, blob, lines, mac FROM facts")
            for path, full, key, stored_sum, blob, lines, mac in rows:
                slot = (path, bool(full))
                if (wanted.get(slot) != key or not self._facts_row_ok(slot, key, stored_sum, lines, mac)
                        or type(blob) is not str or checksum(blob) != stored_sum):
                    continue
                facts = decode_facts(blob, path)
                if facts is not None:
                    found[slot] = (dataclasses.replace(facts, lines=lines), stored_sum)
        except sqlite3.DatabaseError:
            self._rebuild()
            return {}
        return found

    def content_hashes(self, abspaths: Iterable[str]) -> dict[str, str | None]:
        """``read_hash`` of each file, read only when its stat differs from the one
        recorded when it was last hashed (see the module docstring)."""
        try:
            memo = {path: (stat, digest, mac) for path, stat, digest, mac in
                    self.connection.execute("SELECT path, stat, digest, mac FROM hashes")}
        except sqlite3.DatabaseError:
            self._rebuild()
            memo = {}
        now = time.time_ns()  # before any stat below: the racy test compares with it
        hashes: dict[str, str | None] = {}
        fresh = []
        verify = self.signer.verify
        for path in abspaths:
            try:
                info = os.stat(path)
            except OSError:
                hashes[path] = None
                continue
            stat = stat_key(info)
            known = memo.get(path)
            if (known is not None and known[0] == stat and type(known[1]) is str
                    and verify(known[2], "hashes", path, stat, known[1])):
                hashes[path] = known[1]
                continue
            digest = hashes[path] = read_hash(path)
            if digest is not None and max(info.st_mtime_ns, info.st_ctime_ns) < now - RACY_NS:
                fresh.append((path, stat, digest, self.signer.sign("hashes", path, stat, digest)))
        if fresh:
            self._write("INSERT OR REPLACE INTO hashes (path, stat, digest, mac) VALUES (?, ?, ?, ?)",
                        fresh)
        return hashes

    def get_digests(self, wanted: dict[tuple[str, bool], str]
                    ) -> dict[tuple[str, bool], tuple[str, int]]:
        """``{(path, full): key}`` -> (facts digest, line count) of the rows whose key
        matches and whose MAC verifies, facts left undecoded (their blob is checked
        against the digest when decoded)."""
        found: dict[tuple[str, bool], tuple[str, int]] = {}
        verify = self.signer.verify
        try:
            for path, full, key, digest, lines, mac in self.connection.execute(
                    "SELECT path, full, key, sum, lines, mac FROM facts"):
                slot = (path, bool(full))
                # ``_facts_row_ok``, inlined: this runs once per file of a rescan.
                if (wanted.get(slot) == key and type(digest) is str and type(lines) is int
                        and verify(mac, "facts", path, "1" if full else "0", key, digest,
                                   str(lines))):
                    found[slot] = (digest, lines)
        except sqlite3.DatabaseError:
            self._rebuild()
            return {}
        return found

    def put_many(self, entries: Iterable[tuple[str, bool, str, FileFacts]]
                 ) -> dict[tuple[str, bool], str]:
        """Store ``(path, full, key, facts)`` rows in one transaction, best effort; the
        facts digest of each entry the codec could carry, stored or not."""
        rows = []
        digests: dict[tuple[str, bool], str] = {}
        for path, full, key, facts in entries:
            row = _facts_row(facts)
            if row is not None:
                blob, digest = row
                digests[(path, full)] = digest
                mac = self.signer.sign(*_facts_parts(path, full, key, digest, facts.lines))
                rows.append((path, int(full), key, digest, blob, facts.lines, mac))
        if rows:
            self._write("INSERT OR REPLACE INTO facts (path, full, key, sum, blob, lines, mac) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return digests

    def _facts_row_ok(self, slot: tuple[str, bool], key: str, digest: object, lines: object,
                      mac: object) -> bool:
        """Whether a facts row (its key already matched) is well typed and its MAC
        verifies."""
        return (type(digest) is str and type(lines) is int
                and self.signer.verify(mac, *_facts_parts(slot[0], slot[1], key, digest, lines)))

    def get_result(self, key: str) -> tuple[dict[str, str], ScanResult] | None:
        """The result stored under exactly ``key``, with the full-pass facts digests it
        was computed from (path -> digest); None on any doubt."""
        row = self._get_slot("results", key)
        if row is None:
            return None
        try:
            again, result = json.loads(row, object_hook=object_hook, parse_constant=reject)
            if not (isinstance(result, ScanResult) and isinstance(again, list)):
                return None
            return {as_str(path): as_str(digest) for path, digest in again}, result
        except (ValueError, TypeError, KeyError, RecursionError):
            return None

    def put_result(self, key: str, again: dict[str, str], result: ScanResult) -> None:
        """Keep ``result`` (and the full-pass digests ``again``) under ``key``, replacing
        the last one; best effort."""
        try:
            blob = json.dumps([sorted(again.items()), to_json(result)], separators=(",", ":"),
                              ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            return
        self._put_slot("results", key, blob)

    def _get_slot(self, table: str, key: str) -> str | None:
        try:
            row = self.connection.execute(
                f"SELECT key, mac, blob FROM {table} WHERE slot = 0").fetchone()
        except sqlite3.DatabaseError:
            self._rebuild()
            return None
        if (row is None or row[0] != key or type(row[2]) is not str
                or not self.signer.verify(row[1], table, key, row[2])):
            return None
        return str(row[2])

    def _put_slot(self, table: str, key: str, blob: str) -> None:
        self._write(f"INSERT OR REPLACE INTO {table} (slot, key, mac, blob) VALUES (0, ?, ?, ?)",
                    [(key, self.signer.sign(table, key, blob), blob)])

    def get_documents(self, key: str) -> list[Any] | None:
        """The rules documents stored under exactly ``key``; None on any doubt."""
        blob = self._get_slot("documents", key)
        if blob is None:
            return None
        try:
            value = json.loads(blob, parse_constant=reject)
        except (ValueError, RecursionError):
            return None
        return value if isinstance(value, list) else None

    def put_documents(self, key: str, documents: list[Any]) -> None:
        """Keep ``documents`` under ``key`` when JSON carries them exactly (TOML dates
        and times it does not: then nothing is kept); best effort."""
        try:
            blob = json.dumps(documents, separators=(",", ":"), ensure_ascii=False,
                              allow_nan=False)
        except (TypeError, ValueError, RecursionError):
            return
        self._put_slot("documents", key, blob)

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        try:
            with self.connection:
                self.connection.executemany(sql, rows)
        except sqlite3.OperationalError:
            pass  # another lockscan held the lock too long: not kept this time
        except sqlite3.DatabaseError:
            self._rebuild()

    def close(self) -> None:
        self.connection.close()

    def _rebuild(self) -> None:
        """The file went bad while open (``prepare`` found it lockscan's): start afresh."""
        self.connection.close()
        remove(self.path)
        reopened = FactsCache.open(self.path)
        if reopened is not None:
            self.connection = reopened.connection
        else:
            self.connection = sqlite3.connect(":memory:")
            _prepare(self.connection)


def clear_cache(path: Path) -> bool:
    """Delete the cache file; True when there was one. Raises ``CacheRefused`` (and
    deletes nothing) when the file is not lockscan's to delete: reached through a
    planted symlink, tracked by git, or another program's."""
    problem = clear_refusal(path)
    if problem is not None:
        raise CacheRefused(problem)
    existed = os.path.lexists(path)
    remove(path)
    return existed


def _facts_parts(path: str, full: bool, key: str, digest: str, lines: int) -> tuple[str, ...]:
    """What a facts row's MAC covers: everything but the blob, which the digest covers."""
    return ("facts", path, "1" if full else "0", key, digest, str(lines))


class _NotOurs(Exception):
    """A database without lockscan's ``application_id``: never changed or deleted."""


def _schema(connection: sqlite3.Connection) -> tuple[int, int, set[str]]:
    application = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return application, version, tables


def _prepare(connection: sqlite3.Connection) -> None:
    """Check the schema, or create it in an empty database (one transaction, so another
    lockscan never sees half of it). Raises ``sqlite3.DatabaseError`` for a lockscan
    cache of another format, ``_NotOurs`` for any other database."""
    for attempt in range(2):
        application, version, tables = _schema(connection)
        if application == APPLICATION_ID and version == CACHE_FORMAT and tables >= TABLES:
            return
        if tables:
            if application != APPLICATION_ID:
                raise _NotOurs()
            raise sqlite3.DatabaseError("cache written by another format")
        if attempt:
            break
        connection.execute("BEGIN IMMEDIATE")  # waits for a lockscan creating it right now
        try:
            if not _schema(connection)[2]:
                _create_tables(connection)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
    raise sqlite3.DatabaseError("cache schema not created")


def _create_tables(connection: sqlite3.Connection) -> None:
    connection.execute(
        "CREATE TABLE facts (path TEXT NOT NULL, full INTEGER NOT NULL, "
        "key TEXT NOT NULL, sum TEXT NOT NULL, blob TEXT NOT NULL, "
        "lines INTEGER NOT NULL, mac BLOB NOT NULL, PRIMARY KEY (path, full))")
    connection.execute("CREATE TABLE hashes (path TEXT PRIMARY KEY, "
                       "stat TEXT NOT NULL, digest TEXT NOT NULL, mac BLOB NOT NULL)")
    for table in ("documents", "results"):  # one row each, the latest
        connection.execute(
            f"CREATE TABLE {table} (slot INTEGER PRIMARY KEY, key TEXT NOT NULL, "
            "mac BLOB NOT NULL, blob TEXT NOT NULL)")
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    connection.execute(f"PRAGMA user_version = {CACHE_FORMAT}")
