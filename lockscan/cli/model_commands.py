"""``lockscan models``: every model the code names, its lifecycle and licence. The same
settings and scan as ``lockscan scan`` (``lockscan.app.models``), another report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from lockscan import app
from lockscan.cli.options import cache_file, cache_options, overrides, settings_options
from lockscan.cli.output import emit
from lockscan.report import ReportOptions, formats, render


@click.command("models")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(formats("models")), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically) instead of stdout.")
@settings_options("models")
@cache_options
def models_command(path: Path, fmt: str, output: Path | None, no_cache: bool,
                   cache_dir: Path | None, **params: Any) -> None:
    """List every model id PATH names: where (files, by role), vendor, pinned or
    floating, lifecycle status on --as-of (default today, UTC) and open-weight licence.

    Example: lockscan models . --as-of 2026-12-07 --format json
    """
    settings = app.settings_for(path, overrides(params))
    cache_path = None if no_cache else cache_file(path, cache_dir)
    rules = app.rules_for(settings, cache_path)
    result = app.models(path, settings, rules, cache_path)
    emit(render("models", fmt, result, ReportOptions(rules=rules)), output)


COMMANDS = (models_command,)
