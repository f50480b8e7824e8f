"""How the command line words each library error: one line per problem, what is wrong,
where, and what to do."""

from __future__ import annotations

from lockscan.errors import (
    CacheRefused,
    ConfigError,
    GitError,
    LockscanError,
    MissingExtra,
    NotUnderRoot,
    OutputError,
    PathNotFound,
    RuleError,
    UnknownRule,
    UnknownTargets,
    WorkerError,
)

_GIT = {
    "missing": "git: not found; install git to use `lockscan diff`",
    "not-a-work-tree": "{path}: not inside a git work tree; `lockscan diff` compares git refs, "
                       "run it in a repository",
    "unknown-ref": "{ref}: not a commit in {path}; fetch it first (e.g. `git fetch origin main`) "
                   "or pass another --base/--head",
    "archive": "{ref}: `git archive` failed in {path}; check the ref",
}
_OUTPUT = {
    "no-folder": "{path}: folder {folder} does not exist; create it first",
    "symlink": "{path}: folder {folder} is a symlink out of the current folder (planted by the "
               "scanned code?); write the report elsewhere",
    "unwritable": "{path}: cannot write ({reason}); check the path",
}


def error_lines(error: LockscanError) -> list[str]:
    """The lines to print on stderr (each gets the ``lockscan: `` prefix)."""
    if isinstance(error, PathNotFound):
        return [f"{error.path}: path does not exist; pass a directory or file to scan"]
    if isinstance(error, NotUnderRoot):
        return [f"{error.path}: not under --root {error.root}; run from the repository root "
                "or pass --root"]
    if isinstance(error, UnknownTargets):
        return [f"{where + ': ' if where else ''}unknown target {', '.join(targets)}; "
                f"choose from {', '.join(error.known)}" for where, targets in error.named]
    if isinstance(error, UnknownRule):
        close = f"did you mean {', '.join(f'`{c}`' for c in error.close)}? " if error.close else ""
        return [f"unknown rule `{error.rule_id}`; {close}run `lockscan rules` to list rule ids"]
    if isinstance(error, MissingExtra):
        return [f"--format {error.fmt} needs {error.package}; install it with "
                f"`pip install 'lockscan[{error.extra}]'`"]
    if isinstance(error, GitError):
        return [_GIT[error.what].format(path=error.path, ref=error.ref)]
    if isinstance(error, OutputError):
        return [_OUTPUT[error.what].format(path=error.path, folder=error.folder,
                                           reason=error.reason)]
    if isinstance(error, ConfigError):
        return [f"{where}: {what}" if where else what for where, what in error.problems]
    if isinstance(error, RuleError):
        return list(error.problems)
    if isinstance(error, CacheRefused):
        return [error.reason]
    if isinstance(error, WorkerError):
        return [f"analysis worker processes died {error.deaths} times; free some memory or "
                "lower --jobs, and please report it if it persists"]
    return [str(error)]
