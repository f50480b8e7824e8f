"""Find the files to scan under a root, and name their modules.

``git ls-files`` when the root is inside a git work tree (tracked plus untracked,
not ignored), else a walk that honours ``.gitignore`` files. Never follows a symlink
out of the root; never descends into virtualenvs, caches or VCS folders.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lockscan.errors import PathNotFound
from lockscan.model import Diagnostic, FileKind, SourceFile
from lockscan.model.source import is_dotenv_name, module_name, path_parts

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", ".lockscan", ".eggs",
})
PROMPT_DIR_HINTS = ("prompt", "template")
PROMPT_SUFFIXES = frozenset({".txt", ".md", ".j2", ".jinja", ".jinja2", ".prompt", ".yaml",
                             ".yml", ".tmpl", ".mustache"})
CONFIG_SUFFIXES = frozenset({".yaml", ".yml", ".toml", ".json", ".cfg", ".ini"})
MANIFEST_NAMES = frozenset({"pyproject.toml", "setup.cfg", "setup.py", "Pipfile"})
ALL_KINDS: tuple[FileKind, ...] = ("python", "notebook", "manifest", "prompt", "config")
NOTEBOOK_READ_LIMIT = 200_000_000  # bytes of a notebook read to size its code cells
GIT_TIMEOUT = 60

if TYPE_CHECKING:
    import pathspec


@dataclass(frozen=True)
class Discovery:
    files: tuple[SourceFile, ...]
    diagnostics: tuple[Diagnostic, ...]


def discover(
    root: Path,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    kinds: Iterable[str] = ALL_KINDS,
    max_file_size: int = 2_000_000,
) -> Discovery:
    """Every file lockscan reads under ``root``, sorted by path."""
    if not root.exists():
        raise PathNotFound(str(root))
    root = root.resolve()
    diagnostics: list[Diagnostic] = []
    if root.is_file():
        candidates = [root.name]
        base = root.parent
    else:
        base = root
        listed = _git_files(root)
        if listed is not None:
            candidates = listed
            diagnostics.extend(_submodules(root))
        else:
            candidates = list(_walk(root, diagnostics))
    include = tuple(include)
    exclude = tuple(exclude)
    wanted_kinds = set(kinds)
    chosen: list[tuple[str, str, FileKind, int]] = []
    # Plain string joins, not pathlib: a path object per file was half of discovery.
    prefix = os.path.join(str(base), "")
    for rel in sorted(set(candidates)):
        kind = classify(rel)
        if kind is None or kind not in wanted_kinds or not _selected(rel, include, exclude):
            continue
        if any(part in SKIP_DIRS for part in rel.split("/")[:-1]):
            continue
        path = prefix + rel
        problem, size = _check_file(path, base)
        if problem == "skip":
            continue
        if problem:
            diagnostics.append(Diagnostic(rel, problem[0], problem[1]))
            continue
        if size > max_file_size:
            why = too_large(path, kind, size, max_file_size)
            if why is not None:
                diagnostics.append(Diagnostic(rel, "too-large", why))
                continue
        chosen.append((rel, path, kind, size))
    python_paths = {rel for rel, _, kind, _ in chosen if kind in ("python", "notebook")}
    files = tuple(
        SourceFile(printable(rel), path, kind,
                   printable(module_name(rel, python_paths)) if kind == "python" else None, size)
        for rel, path, kind, size in chosen
    )
    return Discovery(files, tuple(diagnostics))


def too_large(path: str, kind: FileKind, size: int, limit: int) -> str | None:
    """Why a file of ``size`` bytes, over ``limit``, is skipped; None when it is not. A
    notebook is sized by its code cells, not its outputs: a few cells of code and
    megabytes of plots are scanned."""
    fix = "skipped, raise max_file_size to scan it"
    if kind != "notebook":
        return f"{size} bytes is over max_file_size ({limit}); {fix}"
    if size > NOTEBOOK_READ_LIMIT:
        return f"{size} bytes is over {NOTEBOOK_READ_LIMIT} even for a notebook; skipped"
    from lockscan.engine.notebook import code_size  # the engine, only for such a notebook

    try:
        with open(path, "rb") as handle:
            code = code_size(handle.read())
    except OSError:
        return None  # the analysis reads it again and says what went wrong
    if code is None or code <= limit:
        return None
    return f"code cells hold {code} characters, over max_file_size ({limit}); {fix}"


def printable(name: str) -> str:
    """A file name that is not valid UTF-8 arrives with surrogate escapes, which no
    report can encode; show its odd bytes as ``\\xNN`` (the file is still read)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def classify(rel: str) -> FileKind | None:
    """The kind of a file from its path alone."""
    folders, name, suffix = path_parts(rel)
    suffix = suffix.lower()
    if suffix == ".py":
        return "manifest" if name == "setup.py" else "python"
    if suffix == ".ipynb":
        return "notebook"
    if name in MANIFEST_NAMES or fnmatch.fnmatch(name, "requirements*.txt") or (
        fnmatch.fnmatch(name, "*.txt") and "requirements" in {p.lower() for p in folders}
    ):
        return "manifest"
    folders = [p.lower() for p in folders]
    if suffix in PROMPT_SUFFIXES and any(
        hint in folder for folder in folders for hint in PROMPT_DIR_HINTS
    ):
        return "prompt"
    if suffix in (".prompt", ".j2", ".jinja", ".jinja2"):
        return "prompt"
    if is_dotenv_name(name) or suffix in CONFIG_SUFFIXES:
        return "config"
    return None


def _selected(rel: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> bool:
    if include and not any(_glob(rel, pattern) for pattern in include):
        return False
    return not any(_glob(rel, pattern) for pattern in exclude)


def _glob(rel: str, pattern: str) -> bool:
    """Glob on the relative path; ``dir/**`` and bare folder names match everything below."""
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatch(rel, pattern) or PurePosixPath(rel).match(pattern):
        return True
    return rel.startswith(pattern.removesuffix("/**") + "/")


def _check_file(path: str, base: Path) -> tuple[tuple[str, str] | str | None, int]:
    # One lstat per file (a second stat only for links): pathlib's is_symlink, stat
    # and is_file made three, a third of discovery on a big tree.
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            problem = _link_problem(Path(path), base)
            if problem:
                return problem, 0
            info = os.stat(path)
    except FileNotFoundError:
        return "skip", 0  # a dangling link or a file deleted since it was listed
    except (OSError, RuntimeError) as exc:  # permission denied, symlink loop
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return ("read-error", f"cannot read: {reason}; check permissions"), 0
    if not stat.S_ISREG(info.st_mode):
        return "skip", 0  # a folder (git submodule) or a special file
    return None, info.st_size


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files, relative to ``root``; None outside git."""
    try:
        inside = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True,
            text=True, timeout=GIT_TIMEOUT, check=False,
        )
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        listed = subprocess.run(
            ["git", "-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"],
            cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if listed.returncode != 0:
        return None
    names = listed.stdout.decode("utf-8", "surrogateescape").split("\0")
    names = [name for name in names if name and not name.startswith("../")]
    if not names and _git_ignored(root):
        return None  # the root itself is git-ignored (a build or venv folder): walk it
    return names


def _git_ignored(root: Path) -> bool:
    try:
        return subprocess.run(["git", "check-ignore", "-q", "."], cwd=root, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _submodules(root: Path) -> list[Diagnostic]:
    """Git submodules are listed as folders and not scanned: say so, once each."""
    if not (root / ".gitmodules").is_file():
        return []
    try:
        listed = subprocess.run(
            ["git", "config", "--null", "--file", ".gitmodules", "--get-regexp",
             r"^submodule\..*\.path$"],
            cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    entries = listed.stdout.decode("utf-8", "surrogateescape").split("\0")
    paths = sorted(entry.split("\n", 1)[1] for entry in entries if "\n" in entry)
    return [Diagnostic(printable(path), "submodule",
                       "git submodule; not scanned, scan its folder on its own if it is yours")
            for path in paths]


def _walk(root: Path, diagnostics: list[Diagnostic]) -> Iterator[str]:
    """Files under ``root``, honouring each folder's ``.gitignore``. Symlinked folders
    are never entered; unreadable folders and links out of the root are reported."""

    def unreadable(error: OSError) -> None:
        where = os.path.relpath(error.filename, root).replace(os.sep, "/") if error.filename \
            else "."
        diagnostics.append(Diagnostic(printable(where), "read-error",
                                      f"cannot list folder: {error.strerror}; check permissions"))

    import pathspec  # only walks need it; git lists the files of a work tree itself

    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder
        specs = [(base, spec) for base, spec in specs if _under(rel_folder, base)]
        ignore_file = Path(folder) / ".gitignore"
        if ignore_file.is_file():
            try:
                lines = ignore_file.read_text("utf-8", "replace").splitlines()
                specs.append((rel_folder, pathspec.GitIgnoreSpec.from_lines(lines)))
            except OSError:
                pass
        kept = []
        for name in sorted(dirnames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            if name in SKIP_DIRS or _ignored(rel + "/", specs):
                continue
            if os.path.islink(os.path.join(folder, name)):
                problem = _link_problem(Path(folder) / name, root)
                if problem:
                    diagnostics.append(Diagnostic(printable(rel), *problem))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = f"{rel_folder}/{name}" if rel_folder else name
            if not _ignored(rel, specs):
                yield rel


def _link_problem(link: Path, root: Path) -> tuple[str, str] | None:
    """Why a symlinked folder is worth a diagnostic; None for a link inside the root
    (its target is scanned under its own path)."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return None  # dangling: nothing to scan
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop, before Python 3.13
        if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
            return "symlink-loop", "symlink loop; not followed"
        return "read-error", f"cannot follow symlink: {exc.strerror}; check permissions"
    if not target.is_relative_to(root):
        return "symlink-outside-root", "symlink points outside the scanned root; not followed"
    return None


def _under(folder: str, base: str) -> bool:
    return not base or folder == base or folder.startswith(base + "/")


def _ignored(rel: str, specs: list[tuple[str, pathspec.GitIgnoreSpec]]) -> bool:
    for base, spec in specs:
        inner = rel[len(base) + 1:] if base else rel
        if spec.match_file(inner):
            return True
    return False
