"""Errors a user can act on, each with its documented exit code.

Exit codes (README, "Exit codes"): 0 scan completed, 1 policy or threshold failed,
2 usage or configuration error, 3 internal error.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_POLICY = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class LockscanError(Exception):
    """A problem the user can fix; ``lines`` are printed one per line on stderr."""

    exit_code = EXIT_USAGE

    def __init__(self, lines: list[str] | str) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class UsageError(LockscanError):
    """Bad command-line input: a path that does not exist, an unknown format."""


class ConfigError(LockscanError):
    """A bad value in ``[tool.lockscan]`` or ``lockscan.toml``."""


class RuleError(LockscanError):
    """One or more rules files are invalid; every problem is listed."""


class WorkerError(LockscanError):
    """Analysis worker processes keep dying, whatever file they are given."""

    exit_code = EXIT_INTERNAL
