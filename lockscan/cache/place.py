"""Where a cache file may be read, written or deleted: never through a symlink, never
a file git tracks, never a file lockscan did not make.

The default cache folder, ``PATH/.lockscan``, lies inside the tree being scanned, which
on a pull request the author controls. So before lockscan opens the cache:

- a cache folder named ``.lockscan`` must be a real folder, not a symlink (a pull
  request could plant ``.lockscan -> ~/somewhere``); a folder given with
  ``--cache-dir`` by another name is the user's choice and may be a symlink;
- none of the files lockscan keeps there (``cache.sqlite``, its ``-journal``, ``-wal``
  and ``-shm`` companions, ``.gitignore``) may be a symlink, and new ones are created
  with ``O_EXCL | O_NOFOLLOW``, so no write goes through a link;
- a cache file git tracks (committed, perhaps force-added by the change under review)
  is neither read nor written;
- an existing file is used, or replaced, only when it is lockscan's: an SQLite
  database carrying lockscan's ``application_id``, or a cache of an older lockscan
  (``application_id`` 0, a format number lockscan used, only lockscan's tables). Any
  other file, another program's database above all, is left untouched.

When one of these fails, the scan runs without a cache and says why in one line: a
``CacheWarning`` (``lockscan.errors``), which the command line prints once on stderr
(stdout, where JSON and SARIF go, is untouched).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import warnings
from pathlib import Path

from lockscan.cache.keys import CACHE_FORMAT
from lockscan.errors import CacheWarning

APPLICATION_ID = 0x4C4B5343  # "LKSC", in the SQLite header of every cache lockscan makes
DEFAULT_FOLDER = ".lockscan"
COMPANIONS = ("-journal", "-wal", "-shm")  # files SQLite keeps beside a database
GIT_TIMEOUT = 30.0
OLD_TABLES = frozenset({"facts", "documents", "results", "hashes",  # formats 1 to 5
                        "sqlite_autoindex_facts_1", "sqlite_autoindex_hashes_1"})
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_SQLITE_MAGIC = b"SQLite format 3\0"
_NO_CACHE = "scanning without a cache"
_GIT_ENV = frozenset({"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"})  # git would look elsewhere


def warn(message: str) -> None:
    """Why the cache is not used, as a ``CacheWarning`` (one line)."""
    warnings.warn(CacheWarning(one_line(message)), stacklevel=3)


def one_line(text: str) -> str:
    """``text`` with control characters (a newline in a planted link's target, a
    terminal escape) and undecodable bytes shown as ``\\xNN``: a message stays one line
    and cannot paint over the report."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else
                   f"\\x{ord(c) - 0xDC00 if 0xDC80 <= ord(c) <= 0xDCFF else ord(c):02x}"
                   for c in text)


def prepare(path: Path) -> str | None:
    """Make the cache file ``path`` ready to open: its folder made, an older lockscan's
    cache removed (to be rebuilt), the folder's `.gitignore` written. None when it may
    be opened; else why not, in one line. Raises OSError when the folder cannot be made
    (a read-only checkout): then there is simply nowhere to keep a cache."""
    folder = path.parent
    problem = _planted_link(path, _NO_CACHE)
    if problem is not None:
        return problem
    os.makedirs(folder, exist_ok=True)
    problem = _planted_link(path, _NO_CACHE)  # again: made between the check and the mkdir?
    if problem is not None:
        return problem
    if os.path.lexists(path) and tracked_by_git(path):
        return (f"{path} is tracked by git (committed?); ignoring it, scanning without a "
                f"cache; `git rm --cached {path}` to use a cache again")
    owner = whose(path)
    if owner == "other":
        return not_ours(path)
    if owner == "older":
        remove(path)
    _ignore_in_git(folder)
    return None


def not_ours(path: Path) -> str:
    return (f"{path} is not a lockscan cache (another program's file?); leaving it untouched, "
            f"{_NO_CACHE}; move it away or pass --cache-dir")


def clear_refusal(path: Path) -> str | None:
    """Why ``lockscan cache clear`` must not delete the cache file ``path``, or None."""
    problem = _planted_link(path, "nothing removed")
    if problem is not None:
        return one_line(problem)
    if os.path.lexists(path) and tracked_by_git(path):
        return one_line(f"{path} is tracked by git (committed?); not removed; `git rm` it if "
                        "it should go")
    if whose(path) == "other":
        return one_line(f"{path} is not a lockscan cache (another program's file?); not "
                        "removed; delete it yourself if it is yours")
    return None


def _planted_link(path: Path, outcome: str) -> str | None:
    """The symlink lockscan must not follow on its way to ``path``, in one line that
    ends with ``outcome`` and what to do; None when there is none."""
    folder = path.parent
    if folder.name == DEFAULT_FOLDER and os.path.islink(folder):
        return (f"{folder} is a symlink to {_target(folder)} (planted?); not following it, "
                f"{outcome}; remove the link or pass --cache-dir")
    for name in (path.name, *(path.name + suffix for suffix in COMPANIONS), ".gitignore"):
        if os.path.islink(folder / name):
            return (f"{folder / name} is a symlink to {_target(folder / name)} (planted?); "
                    f"not following it, {outcome}; delete it or pass --cache-dir")
    return None


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "?"


def whose(path: Path) -> str:
    """``"none"`` (no file, or an empty one), ``"ours"`` (lockscan's), ``"older"`` (an
    older lockscan's cache, to be replaced) or ``"other"``, judged from the SQLite
    header and, for a database without lockscan's ``application_id``, its tables."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "none"
    except OSError:
        return "other"
    if not stat.S_ISREG(info.st_mode):
        return "other"  # a symlink, a FIFO, a folder: never opened
    if info.st_size == 0:
        return "none"
    try:
        handle = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as stream:
            header = stream.read(100)
    except OSError:
        return "other"
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return "other"
    application = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if application == APPLICATION_ID:
        return "ours"
    if application == 0 and 1 <= version < CACHE_FORMAT and _old_tables(path):
        return "older"
    return "other"


def _old_tables(path: Path) -> bool:
    """Whether the database holds lockscan's tables and nothing else (read-only)."""
    uri = "file:" + str(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True)
        try:
            names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return "facts" in names and names <= OLD_TABLES


def tracked_by_git(path: Path) -> bool:
    """Whether git tracks ``path`` in the work tree holding it; False outside one or
    without git. Starting git costs a warm rescan ~2-5 ms, so it is asked only when its
    index might list the path (``_maybe_in_index``)."""
    folder = Path(os.path.abspath(path.parent))
    dot_git = next((above / ".git" for above in (folder, *folder.parents)
                    if os.path.lexists(above / ".git")), None)
    if dot_git is None and not _GIT_ENV & os.environ.keys():
        return False  # in no work tree
    if dot_git is not None and not _maybe_in_index(dot_git, folder / path.name):
        return False
    return _ask_git(folder, path.name)


def _maybe_in_index(dot_git: Path, file: Path) -> bool:
    """False only when git certainly does not track ``file``: the work tree is
    ``dot_git``'s folder, and its index (format 2 or 3, which store each path whole,
    not split) holds no path ending in ``file``'s. Anything unusual (format 4's
    prefix-compressed paths, a split index, another work tree or index named in the
    environment or config, a ``.git`` file): True, and git is asked."""
    if _GIT_ENV & os.environ.keys() or not os.path.isdir(dot_git):
        return True
    try:
        with open(dot_git / "index", "rb") as stream:
            index = stream.read()
    except FileNotFoundError:
        return False  # nothing was ever staged: git tracks nothing here
    except OSError:
        return True
    if index[:4] != b"DIRC" or index[4:8] not in (b"\0\0\0\2", b"\0\0\0\3"):
        return True
    try:
        config = (dot_git / "config").read_bytes().lower()
        shared = any(name.startswith("sharedindex.") for name in os.listdir(dot_git))
    except OSError:
        return True
    if shared or b"worktree" in config or b"splitindex" in config:
        return True
    rel = os.path.relpath(file, dot_git.parent).replace(os.sep, "/")
    return os.fsencode(rel) + b"\0" in index  # a longer path ending so: git decides


def _ask_git(folder: Path, name: str) -> bool:
    import subprocess  # only when there is a repository to ask

    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", name], cwd=folder,
                                capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout.strip(b"\0"))


def create_empty(path: Path) -> None:
    """Create ``path`` for SQLite to fill, never through a symlink; one already there
    (checked by ``prepare``) is kept."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666))


def remove(path: Path) -> None:
    """Delete the cache file and its companions (never what a symlink points to:
    unlinking a link removes the link)."""
    for suffix in ("", *COMPANIONS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _ignore_in_git(folder: Path) -> None:
    """A `.gitignore` of `*` in the cache folder (as pytest does for its cache), so the
    cache never shows up in `git status` of the repository it sits in."""
    try:
        handle = os.open(folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW,
                         0o666)
    except OSError:
        return  # already there (or a read-only folder): nothing to add
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write("# created by lockscan: the facts cache is not for version control\n*\n")
