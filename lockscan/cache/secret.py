"""The per-user cache key: what makes a cache row trustworthy.

A cache row is used only when its MAC (HMAC-SHA256 over the row's key and content,
``Signer``) verifies under a secret that only this user on this machine holds: 32
random bytes, made on first use in the user's cache folder (``$LOCKSCAN_SECRET_DIR``,
else ``$XDG_CACHE_HOME/lockscan``, ``~/Library/Caches/lockscan`` on macOS,
``%LOCALAPPDATA%\\lockscan`` on Windows, ``~/.cache/lockscan``), in a file only the
user can read (0600, in a folder made 0700). Every other cache key is computed from
public inputs, so without this anyone could forge rows: a cache committed to a pull
request, restored from another machine or written by another user is a miss
everywhere, and rebuilt.

A key that cannot be made or read, or that other users could read or replace, means no
cache at all: ``load_key`` says why in one line, and the scan runs without one.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
from pathlib import Path

ENV_DIR = "LOCKSCAN_SECRET_DIR"
KEY_FILE = "cache-key"
KEY_BYTES = 32
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_LOADED: dict[str, bytes | str] = {}  # folder -> key, or why there is none (per process)


class Signer:
    """HMAC-SHA256 (RFC 2104) under one key. The key's two padded blocks are hashed
    once and the hash states copied per row: ~0.7 us a row where ``hmac.digest`` takes
    ~1.6 us, which a warm rescan of thousands of files feels. Equal to
    ``hmac.digest(key, message, "sha256")`` (tests/unit/cache/test_cache_trust.py)."""

    def __init__(self, key: bytes) -> None:
        block = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def sign(self, *parts: str) -> bytes:
        """The MAC of ``parts``: none holds a NUL (paths, hex keys, JSON, numbers),
        so joining them with one is unambiguous."""
        inner = self._inner.copy()
        inner.update("\0".join(parts).encode("utf-8", "surrogatepass"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()

    def verify(self, mac: object, *parts: str) -> bool:
        if type(mac) is not bytes:
            return False
        inner = self._inner.copy()  # ``sign``, inlined: called once per row of a rescan
        inner.update("\0".join(parts).encode("utf-8", "surrogatepass"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return hmac.compare_digest(mac, outer.digest())


def key_folder() -> Path:
    """Where the key lives (see the module docstring)."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "lockscan"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "lockscan"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "lockscan"
    return Path.home() / ".cache" / "lockscan"


def load_key() -> bytes | str:
    """This user's cache key, made on first use; or, when there is none to trust, a
    one-line message saying why and what to do."""
    try:
        folder = key_folder()
    except (RuntimeError, KeyError):  # no home folder to put it in
        return (f"no home folder for the cache key; scanning without a cache; set {ENV_DIR} "
                "to a private writable folder")
    found = _LOADED.get(str(folder))
    if found is None:
        found = _LOADED[str(folder)] = _load(folder / KEY_FILE)
    return found


def _load(path: Path) -> bytes | str:
    try:
        if not os.path.lexists(path):
            _create(path)
        return _read(path)
    except OSError as exc:
        return (f"cannot make or read the cache key {path} ({exc.strerror or exc}); scanning "
                f"without a cache; set {ENV_DIR} to a private writable folder, or pass --no-cache")


def _create(path: Path) -> None:
    """Write a fresh key next to ``path``, then link it into place: the key appears
    whole or not at all, and a key another process made first is kept."""
    os.makedirs(path.parent, mode=0o700, exist_ok=True)
    temp = path.parent / f".{KEY_FILE}.{os.getpid()}.{os.urandom(4).hex()}"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(os.urandom(KEY_BYTES).hex() + "\n")
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another lockscan made it first: use theirs
        except OSError:  # no hard links on this file system
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            with os.fdopen(handle, "w", encoding="ascii") as stream, open(temp, encoding="ascii") as key:
                stream.write(key.read())
    finally:
        os.unlink(temp)


def _read(path: Path) -> bytes | str:
    handle = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(handle, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            return (f"the cache key {path} is not a regular file; scanning without a cache; "
                    "delete it to make a new one")
        if os.name == "posix" and info.st_uid != os.geteuid():
            return (f"the cache key {path} belongs to another user; scanning without a cache; "
                    f"delete it or set {ENV_DIR} to a folder of your own")
        if os.name == "posix" and info.st_mode & 0o077:
            return (f"the cache key {path} is open to other users (mode "
                    f"{stat.S_IMODE(info.st_mode):04o}); scanning without a cache; run "
                    f"`chmod 600 {path}`")
        text = stream.read(4 * KEY_BYTES)
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        return (f"the cache key {path} is damaged; scanning without a cache; delete it to "
                "make a new one")
    return key
