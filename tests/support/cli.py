"""Running the command line in-process, as a user would type it."""

from __future__ import annotations

from click.testing import CliRunner

from lockscan.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``lockscan ARGS``."""
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr
