"""The scanning commands: scan, check, diff, baseline, graph, config, cache clear. Each
parses its options, calls one use case of ``lockscan.app``, picks a reporter and sets
the exit code."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from lockscan import app
from lockscan.cli.hints import allow_hint
from lockscan.cli.options import cache_file, cache_options, overrides, settings_options
from lockscan.cli.output import emit, emit_with
from lockscan.cli.progress import progress_bar
from lockscan.errors import EXIT_POLICY, PathNotFound
from lockscan.report import ReportOptions, formats, render, render_to
from lockscan.settings import Settings, describe

SCAN_FORMATS = click.Choice(sorted(formats("scan")))
DIFF_FORMATS = click.Choice(["text", "json", "markdown", "sarif"])


def _settings(path: Path, params: dict[str, Any]) -> Settings:
    return app.settings_for(path, overrides(params))


def _exit_on(lines: Sequence[str]) -> None:
    """Print each failed ``fail_on`` condition on stderr and exit 1 if any."""
    for line in lines:
        click.echo(f"lockscan: {line}", err=True)
    if lines:
        sys.exit(EXIT_POLICY)


@click.command("scan")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=SCAN_FORMATS, default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically) instead of stdout.")
@settings_options("scan")
@cache_options
def scan_command(path: Path, fmt: str, output: Path | None, no_cache: bool,
                 cache_dir: Path | None, **params: Any) -> None:
    """Scan PATH for vendor coupling and print a report.

    Options override `[tool.lockscan]` in pyproject.toml or lockscan.toml at PATH.

    Example: lockscan scan . --format json --output lockscan.json
    """
    settings = _settings(path, params)
    cache_path = None if no_cache else cache_file(path, cache_dir)
    rules = app.rules_for(settings, cache_path)
    options = ReportOptions(rules=rules)
    with progress_bar() as progress:
        if fmt == "html":  # the page draws the coupled part of the module graph too
            result, view = app.scan_with_view(path, settings, rules, cache_path, progress)
            options = replace(options, graph=view)
        else:
            result = app.scan(path, settings, rules, cache_path, progress)
    emit_with(lambda stream: render_to("scan", fmt, result, stream, options), output)
    _exit_on(app.failures(settings, result, result.findings))


@click.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=".",
              show_default=True, help="Repository root: scanned whole for import context.")
@click.option("--format", "fmt", type=DIFF_FORMATS, default="text", show_default=True,
              help="text: only what is refused, one line each; the others: the scan report "
                   "of FILES.")
@settings_options("check")
@cache_options
def check_command(files: tuple[Path, ...], root: Path, fmt: str, no_cache: bool,
                  cache_dir: Path | None, **params: Any) -> None:
    """Refuse the vendor coupling FILES add compared with HEAD (the pre-commit hook).

    Without `allowed_modules`: vendor SDK code in a module that had none. With it: vendor
    SDK code outside those modules. Silent, exit 0, when nothing is refused.

    Example: lockscan check app/chat.py app/llm.py
    """
    settings = _settings(root, params)
    # The hook runs on every commit: the cache makes it cost only the changed files.
    cache_path = None if no_cache else cache_file(root, cache_dir)
    rules = app.rules_for(settings, cache_path)
    run = app.precommit(files, root, settings, rules, cache_path)
    if fmt != "text":
        emit(render("scan", fmt, run.result, ReportOptions(rules=rules)), None)
    else:
        for refusal in run.refused:
            click.echo(refusal.line_text)
    if run.refused:
        click.echo(f"lockscan: {allow_hint(run.refused, settings, root)}", err=True)
        sys.exit(EXIT_POLICY)


@click.command("baseline")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              default=Path("lockscan-baseline.json"), show_default=True,
              help="Baseline file to write.")
@settings_options("baseline")
def baseline_command(path: Path, output: Path, **params: Any) -> None:
    """Write a baseline of today's findings; `scan --baseline FILE` then reports only new ones.

    Example: lockscan baseline . --output lockscan-baseline.json
    """
    from lockscan.gates.baseline import baseline_text

    settings = _settings(path, params)
    findings = app.baseline(path, settings, app.rules_for(settings), output)
    emit(baseline_text(findings), output)
    click.echo(f"lockscan: wrote {len(findings)} findings to {output}", err=True)


@click.command("diff")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--base", "base_ref", required=True, help="Git ref to compare with (e.g. origin/main).")
@click.option("--head", "head_ref", default=None, help="Git ref to compare (default: working tree).")
@click.option("--gate-from", type=click.Choice(["base", "head"]), default="base", show_default=True,
              help="Whose config file and baseline judge the change: the base's (a change cannot "
                   "relax its own gate) or the head's.")
@click.option("--format", "fmt", type=DIFF_FORMATS, default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically) instead of stdout.")
@click.option("--sarif", "sarif_output", type=click.Path(path_type=Path),
              help="Also write SARIF 2.1.0 to FILE (one scan for a comment and code scanning).")
@click.option("--link-base", default="",
              help="Prefix for `path#Lline` links in markdown, e.g. "
                   "https://github.com/OWNER/REPO/blob/SHA/")
@settings_options("diff")
def diff_command(path: Path, base_ref: str, head_ref: str | None, gate_from: str, fmt: str,
                 output: Path | None, sarif_output: Path | None, link_base: str,
                 **params: Any) -> None:
    """Show the vendor coupling a change adds or removes compared with a git ref.

    The base's `[tool.lockscan]` (and its rules) judge both sides, and every way the
    change relaxes that gate is listed first; options override it on both sides.

    Example: lockscan diff --base origin/main --format markdown
    """
    if not path.exists():
        raise PathNotFound(str(path))
    run = app.gated_diff(path, base_ref, head_ref, overrides(params), gate_from)
    options = ReportOptions(rules=run.rules, link_base=link_base)
    emit(render("diff", fmt, run.result, options), output)
    if sarif_output is not None:
        emit(render("diff", "sarif", run.result, ReportOptions(rules=run.rules)), sarif_output)
    _exit_on(app.diff_failures(run.settings, run.result))


@click.command("graph")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(formats("graph")), default="dot",
              show_default=True,
              help="dot (Graphviz), graphml, json (node-link), mermaid, or html (a "
                   "self-contained page drawing the coupled modules).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--all", "whole", is_flag=True,
              help="mermaid: draw every module, not only the coupled ones and their importers.")
@settings_options("graph")
def graph_command(path: Path, fmt: str, output: Path | None, whole: bool, **params: Any) -> None:
    """Export the module graph: modules, imports, vendors and coupling edges.

    Options override `[tool.lockscan]` as for `lockscan scan`.

    Example: lockscan graph . --format html --output lockscan-graph.html
    """
    settings = _settings(path, params)
    graph = app.export_graph(path, settings, app.rules_for(settings))
    emit(render("graph", fmt, graph, ReportOptions(title=f"lockscan graph · {path}",
                                                   whole_graph=whole)), output)


@click.command("config")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@settings_options("config")
def config_command(path: Path, **params: Any) -> None:
    """Print the effective configuration and where each value came from.

    Example: lockscan config . --fail-on new
    """
    click.echo(describe(_settings(path, params)), nl=False)


@click.group("cache")
def cache_group() -> None:
    """Manage the facts cache that makes rescans fast."""


@cache_group.command("clear")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of the facts cache (default: PATH/.lockscan).")
def cache_clear_command(path: Path, cache_dir: Path | None) -> None:
    """Delete the facts cache of PATH.

    Example: lockscan cache clear .
    """
    from lockscan.cache.store import clear_cache

    target = cache_file(path, cache_dir)
    if clear_cache(target):
        click.echo(f"removed {target}")
    else:
        click.echo(f"no cache at {target}")


COMMANDS = (scan_command, check_command, diff_command, baseline_command, graph_command,
            config_command, cache_group)
