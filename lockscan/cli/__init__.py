"""Command line: parse options, call ``lockscan.app``, pick a reporter, set the exit code.

Exit codes: 0 completed, 1 policy or threshold failed, 2 usage or configuration
error, 3 internal error. Errors are one line each on stderr, worded here
(``lockscan.cli.errors``) from the facts the library's errors carry.
"""

from __future__ import annotations

import gc
import sys
import warnings
from typing import Any

import click

from lockscan import __version__
from lockscan.cli import commands, model_commands, rule_commands
from lockscan.cli.errors import error_lines
from lockscan.errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, LockscanError, LockscanWarning


class LockscanGroup(click.Group):
    """Turns every exception into one stderr line and a documented exit code."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("standalone_mode", True)
        with warnings.catch_warnings():
            _print_lockscan_warnings()
            return self._main(*args, **kwargs)

    def _main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"lockscan: {exc.format_message()}", err=True)
            sys.exit(EXIT_USAGE)
        except click.Abort:
            click.echo("lockscan: aborted", err=True)
            sys.exit(EXIT_USAGE)
        except LockscanError as exc:
            for line in error_lines(exc):
                click.echo(f"lockscan: {line}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            sys.exit(EXIT_OK)
        except Exception as exc:
            click.echo(
                f"lockscan: internal error: {type(exc).__name__}: {exc}; please report it "
                "with the command you ran",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)


def _print_lockscan_warnings() -> None:
    """Each of lockscan's own warnings as one ``lockscan: ...`` line on stderr, once per
    command (a command opens its cache twice: rules, then facts)."""
    seen: set[str] = set()
    shown = warnings.showwarning
    warnings.simplefilter("always", LockscanWarning)

    def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if not issubclass(category, LockscanWarning):
            shown(message, category, *args, **kwargs)
        elif str(message) not in seen:
            seen.add(str(message))
            click.echo(f"lockscan: {message}", err=True)

    warnings.showwarning = show


@click.group(cls=LockscanGroup)
@click.version_option(__version__, prog_name="lockscan")
def cli() -> None:
    """Measure how locked in Python code is to one AI model provider."""


for _command in (*commands.COMMANDS, *model_commands.COMMANDS, *rule_commands.COMMANDS):
    cli.add_command(_command)


# A scan keeps millions of small objects alive until its report is written (facts,
# findings, priced sites); CPython's default thresholds (700, 10, 10) traverse them over
# and over: a sixth of a dense scan's time (vendor corpus 21.8 -> 17.8 s, same output,
# same peak memory). Cycles are rare here, and are still collected, less often.
GC_THRESHOLDS = (200_000, 30, 30)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    cli(prog_name="lockscan")


if __name__ == "__main__":  # pragma: no cover
    main()
