"""Errors a user can act on, each carrying the facts of what went wrong; the command
line words them (``lockscan.cli.errors``) and maps them to a documented exit code.

Exit codes (README, "Exit codes"): 0 scan completed, 1 policy or threshold failed,
2 usage or configuration error, 3 internal error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class LockscanError(Exception):
    """A problem the user can fix. Subclasses keep their facts as attributes."""

    exit_code = EXIT_USAGE


class PathNotFound(LockscanError):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: path does not exist"


class NotUnderRoot(LockscanError):
    """A file given to ``check`` outside the repository root."""

    def __init__(self, path: str, root: str) -> None:
        super().__init__(path, root)
        self.path, self.root = path, root

    def __str__(self) -> str:
        return f"{self.path}: not under the repository root {self.root}"


class UnknownTargets(LockscanError):
    """Targets no rule set serves: ``named`` lists (where, targets), where is the config
    file and key or the option that named them ("" when unknown); ``known`` the targets
    there are."""

    def __init__(self, named: list[tuple[str, list[str]]], known: list[str]) -> None:
        super().__init__(named, known)
        self.named, self.known = named, known

    def __str__(self) -> str:
        return "; ".join(f"{where + ': ' if where else ''}unknown target {', '.join(targets)}"
                         for where, targets in self.named)


class UnknownRule(LockscanError):
    def __init__(self, rule_id: str, close: list[str]) -> None:
        super().__init__(rule_id, close)
        self.rule_id, self.close = rule_id, close

    def __str__(self) -> str:
        return f"unknown rule {self.rule_id}"


class MissingExtra(LockscanError):
    """An output format that needs an optional package."""

    def __init__(self, fmt: str, package: str, extra: str) -> None:
        super().__init__(fmt, package, extra)
        self.fmt, self.package, self.extra = fmt, package, extra

    def __str__(self) -> str:
        return f"the {self.fmt} format needs {self.package} (extra `{self.extra}`)"


class GitError(LockscanError):
    """``what``: ``missing`` (no git), ``not-a-work-tree``, ``unknown-ref``, ``archive``."""

    def __init__(self, what: str, path: str = "", ref: str = "") -> None:
        super().__init__(what, path, ref)
        self.what, self.path, self.ref = what, path, ref

    def __str__(self) -> str:
        return f"git {self.what}: {self.ref or ''} {self.path}".strip()


class OutputError(LockscanError):
    """A report that cannot be written. ``what``: ``no-folder``, ``symlink`` (``folder``
    is a symlink out of the current folder), ``unwritable`` (``reason`` says why)."""

    def __init__(self, path: str, what: str, folder: str = "", reason: str = "") -> None:
        super().__init__(path, what, folder, reason)
        self.path, self.what, self.folder, self.reason = path, what, folder, reason

    def __str__(self) -> str:
        return f"{self.path}: cannot write the report ({self.what} {self.folder or self.reason})"


class ConfigError(LockscanError):
    """Problems in ``[tool.lockscan]``, ``lockscan.toml``, an option value or a baseline
    file: each problem is ``(where, what)``, every one of them reported at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(f"{where}: {what}" if where else what for where, what in self.problems)


class RuleError(LockscanError):
    """One or more rules files are invalid; every problem (one line each) is listed."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(self.problems)


class CacheRefused(LockscanError):
    """``lockscan cache clear`` will not delete a file that is not lockscan's to delete;
    ``reason`` says why, in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class LockscanWarning(UserWarning):
    """Something a user should know that does not stop the command (one line)."""


class CacheWarning(LockscanWarning):
    """Why a scan runs without its cache (a planted symlink, a tracked or foreign file,
    no private key)."""


class WorkerError(LockscanError):
    """Analysis worker processes keep dying, whatever file they are given."""

    exit_code = EXIT_INTERNAL

    def __init__(self, deaths: int) -> None:
        super().__init__(deaths)
        self.deaths = deaths

    def __str__(self) -> str:
        return f"analysis worker processes died {self.deaths} times"
