"""Cache keys: what a cached fact or result depends on, hashed.

A key names every input that can change what it keys: the file's bytes, the rules
(file digest and selected rule ids), the lockscan version and cache format, the file's
module name and kind, and for a result every setting but the worker count.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable

from lockscan import __version__
from lockscan.model import Diagnostic, ScanConfig, SourceFile
from lockscan.ruleset import RuleSet

# Bump when the codec or the meaning of a fact changes (21: boto3 imports beside a Bedrock client).
CACHE_FORMAT = 21


def rules_salt(rules: RuleSet) -> str:
    """Everything besides a file's own bytes that changes its facts."""
    ids = ",".join(sorted(rule.id for rule in rules.rules))
    text = f"{CACHE_FORMAT}\0{__version__}\0{rules.digest}\0{ids}"
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_hash(abspath: str) -> str | None:
    """``content_hash`` of a file's bytes; None when it cannot be read."""
    try:
        with open(abspath, "rb") as handle:
            return content_hash(handle.read())
    except OSError:
        return None


def stat_key(info: os.stat_result) -> str:
    return f"{info.st_dev}:{info.st_ino}:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"


def entry_key(salt: str, source: SourceFile, full: bool, digest: str) -> str:
    text = f"{salt}\0{source.path}\0{source.module}\0{source.kind}\0{int(full)}\0{digest}"
    return hashlib.sha256(text.encode()).hexdigest()


# Settings that change speed only, never the cached result (the model lifecycle settings
# are applied to it afterwards, see lockscan.pipeline.models).
_NOT_IN_RESULT_KEY = frozenset({"jobs", "cache_path", "as_of", "lifecycle_window"})


def result_key(salt: str, config: ScanConfig, root: str, files: Iterable[SourceFile],
               diagnostics: Iterable[Diagnostic], digests: Iterable[str]) -> str:
    """The key of a scan result: ``digests`` are the first-pass facts digests of
    ``files``, in the same order."""
    settings = [(f.name, getattr(config, f.name)) for f in dataclasses.fields(config)
                if f.name not in _NOT_IN_RESULT_KEY]
    key = hashlib.sha256(f"{salt}\0{root}\0{settings!r}\0{list(diagnostics)!r}".encode())
    for source, digest in zip(files, digests, strict=True):
        # Not the size: it only orders pool work, and an edit that keeps the facts
        # (a comment added) changes it.
        key.update(f"\0{source.path}\0{source.abspath}\0{source.kind}\0{source.module}"
                   f"\0{digest}".encode())
    return key.hexdigest()


