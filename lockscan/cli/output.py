"""Writing a report: to stdout, or atomically to a file that a planted symlink cannot
redirect."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from lockscan.errors import OutputError


def emit(text: str, output: Path | None) -> None:
    """Print, or write atomically: a temp file in the same folder, then a rename that
    replaces (never follows) whatever is at ``output``, a planted symlink included."""
    if output is None:
        click.echo(text, nl=False)
        return
    emit_with(lambda stream: stream.write(text), output)


def emit_with(write: Callable[[TextIO], object], output: Path | None) -> None:
    """``emit`` for a report written piece by piece: ``write`` gets the stream, so a large
    report (a 48 MB JSON) never sits in memory as one string, nor twice."""
    if output is None:
        write(sys.stdout)
        return
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(str(output), "no-folder", folder=str(folder))
    link = symlink_out_of_cwd(folder)
    if link is not None:
        raise OutputError(str(output), "symlink", folder=str(link))
    import tempfile  # ~20 ms (shutil, random): only when writing a file

    handle, temp = tempfile.mkstemp(prefix=".lockscan-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            write(stream)
        os.replace(temp, output)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(str(output), "unwritable", reason=str(exc.strerror)) from exc
    except BaseException:  # a reporter that fails leaves no half-written file behind
        Path(temp).unlink(missing_ok=True)
        raise


def symlink_out_of_cwd(folder: Path) -> Path | None:
    """The first folder on the way from the current folder down to ``folder`` that is a
    symlink leading out of it. CI writes reports inside the checkout it scans, where a
    pull request can plant ``reports -> ~/.ssh``; a path outside the current folder is
    the user's own choice (``/tmp`` is a symlink on macOS) and is not questioned."""
    here = Path.cwd()
    try:
        relative = Path(os.path.abspath(folder)).relative_to(here)
    except ValueError:
        return None
    inside = here.resolve()
    current = here
    for part in relative.parts:
        current = current / part
        if current.is_symlink() and not current.resolve().is_relative_to(inside):
            return current
    return None
