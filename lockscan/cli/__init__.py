"""Command line: parse options, call the library, pick a reporter, set the exit code.

Exit codes: 0 completed, 1 policy or threshold failed, 2 usage or configuration
error, 3 internal error. Errors are one line each on stderr.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from lockscan import __version__
from lockscan.cli.workflow import (
    COMMANDS,
    cache_file,
    cache_options,
    emit,
    run_scan,
    settings_options,
)
from lockscan.errors import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, LockscanError, UsageError
from lockscan.model.config import ScanConfig, default_jobs
from lockscan.pipeline.scan import Progress
from lockscan.report import REPORTERS
from lockscan.ruleset.loader import RuleSet, bundled_rules_dir, load_rules

KIND_CHOICES = click.Choice(
    ["import", "client", "call", "tool_schema", "response_shape", "model_id", "prompt_format",
     "env_var", "vendor_feature", "dependency", "credential"]
)


class LockscanGroup(click.Group):
    """Turns every exception into one stderr line and a documented exit code."""

    def main(self, *args, **kwargs):  # type: ignore[override]
        kwargs.setdefault("standalone_mode", True)
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
            for line in exc.lines:
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


@click.group(cls=LockscanGroup)
@click.version_option(__version__, prog_name="lockscan")
def cli() -> None:
    """Measure how locked in Python code is to one AI model provider."""


def _rules_options(func):  # type: ignore[no-untyped-def]
    func = click.option("--rules", "rule_dirs", multiple=True,
                        type=click.Path(path_type=Path),
                        help="Extra rules folder or .toml file (repeatable).")(func)
    func = click.option("--no-bundled-rules", is_flag=True,
                        help="Use only the rules given with --rules.")(func)
    return func


def _load(rule_dirs: tuple[Path, ...], no_bundled: bool) -> RuleSet:
    return load_rules(rule_dirs, include_bundled=not no_bundled)


@cli.command("scan")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the report to FILE (atomically) instead of stdout.")
@settings_options
@cache_options
def scan_command(path: Path, fmt: str, output: Path | None, no_cache: bool,
                 cache_dir: Path | None, **params: Any) -> None:
    """Scan PATH for vendor coupling and print a report.

    Options override `[tool.lockscan]` in pyproject.toml or lockscan.toml at PATH.

    Example: lockscan scan . --format json --output lockscan.json
    """
    with progress_bar() as progress:
        run_scan(path, fmt, output, params,
                 cache_path=None if no_cache else cache_file(path, cache_dir),
                 progress=progress)


@contextmanager
def progress_bar(delay: float = 0.5, interactive: bool | None = None
                 ) -> Iterator[Progress | None]:
    """A rich progress bar on stderr, only for an interactive terminal and only once
    the scan has run for ``delay`` seconds: quick scans and pipes see nothing."""
    if not (sys.stderr.isatty() if interactive is None else interactive):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    started = time.monotonic()
    state: dict[str, object] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            if time.monotonic() - started < delay:
                return
            bar = Bar(console=Console(stderr=True), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task("analyzing", total=total)
        state["bar"].update(state["task"], completed=done, total=total)  # type: ignore[attr-defined]

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].stop()  # type: ignore[attr-defined]


@cli.group("cache")
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


@cli.command("graph")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(["dot", "graphml", "json", "mermaid", "html"]),
              default="dot", show_default=True,
              help="dot (Graphviz), graphml, json (node-link), mermaid, or html (an "
                   "interactive picture; needs the `picture` extra).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to FILE (atomically) instead of stdout.")
@_rules_options
@click.option("--exclude", multiple=True, help="Skip paths matching this glob.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: all cores).")
def graph_command(path: Path, fmt: str, output: Path | None, rule_dirs: tuple[Path, ...],
                  no_bundled_rules: bool, exclude: tuple[str, ...], jobs: int | None) -> None:
    """Export the module graph: modules, imports, vendors and coupling edges.

    Example: lockscan graph . --format html --output lockscan-graph.html
    """
    from lockscan.graph.build import EXPORTERS
    from lockscan.pipeline.scan import scan_graph

    if not path.exists():
        raise UsageError(f"{path}: path does not exist; pass a directory or file to scan")
    config = ScanConfig(exclude=exclude, rule_dirs=rule_dirs, bundled_rules=not no_bundled_rules,
                        jobs=jobs or default_jobs())
    graph = scan_graph(path, config, _load(rule_dirs, no_bundled_rules))
    emit(EXPORTERS[fmt](graph), output)


@cli.command("rules")
@_rules_options
@click.option("--vendor", multiple=True, help="Only rules of this vendor.")
@click.option("--kind", multiple=True, type=KIND_CHOICES, help="Only rules of this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules_command(rule_dirs: tuple[Path, ...], no_bundled_rules: bool, vendor: tuple[str, ...],
                  kind: tuple[str, ...], fmt: str) -> None:
    """List rules: id, vendor, kind and message.

    Example: lockscan rules --vendor anthropic --kind vendor_feature
    """
    ruleset = _load(rule_dirs, no_bundled_rules)
    chosen = [r for r in ruleset.rules
              if (not vendor or r.vendor in vendor) and (not kind or r.kind in kind)]
    if fmt == "json":
        rows = [{"id": r.id, "vendor": r.vendor, "kind": r.kind, "api": r.api,
                 "confidence": r.confidence, "message": r.message} for r in chosen]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r.id) for r in chosen), default=10)
    for rule in chosen:
        click.echo(f"{rule.id:<{width}}  {rule.vendor:<10} {rule.kind:<15} {rule.message}")


@cli.command("explain")
@click.argument("rule_id")
@_rules_options
def explain_command(rule_id: str, rule_dirs: tuple[Path, ...], no_bundled_rules: bool) -> None:
    """Explain one rule: what it finds, why it matters, what to use instead.

    Example: lockscan explain openai.tool-schema
    """
    from lockscan.authoring.ruledocs import rule_page

    ruleset = _load(rule_dirs, no_bundled_rules)
    rule = ruleset.get(rule_id)
    if rule is None:
        raise UsageError(f"unknown rule `{rule_id}`; run `lockscan rules` to list rule ids")
    click.echo(rule_page(rule, ruleset), nl=False)


@cli.command("test-rules")
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False),
                required=False)
@click.option("--no-bundled-rules", is_flag=True, help="Load only the rules in DIRECTORY.")
def test_rules_command(directory: Path | None, no_bundled_rules: bool) -> None:
    """Check rules against their `# expect:` / `# ok:` example files.

    Example: lockscan test-rules my_rules/
    """
    from lockscan.authoring.ruletest import check_example, coverage_gaps, example_files
    from lockscan.errors import EXIT_POLICY

    folder = directory or bundled_rules_dir()
    extra = (folder,) if directory else ()
    ruleset = load_rules(extra, include_bundled=not no_bundled_rules)
    files = example_files([folder])
    problems: list[str] = []
    for path in files:
        problems.extend(check_example(path, ruleset).problems())
    own = RuleSet(tuple(r for r in ruleset.rules if Path(r.source).is_relative_to(folder)),
                  ruleset.vendors, ruleset.transparent_attributes)
    problems.extend(coverage_gaps(own, files))
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(files)} example files, {len(own.rules)} rules, {len(problems)} problems")
    if problems:
        sys.exit(EXIT_POLICY)


@cli.command("docs")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to FILE (e.g. docs/rules.md) instead of stdout.")
def docs_command(output: Path | None) -> None:
    """Generate the rule reference (docs/rules.md) from the bundled rules.

    Example: lockscan docs --output docs/rules.md
    """
    from lockscan.authoring.ruledocs import rules_markdown

    emit(rules_markdown(load_rules()), output)


for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
    cli(prog_name="lockscan")


if __name__ == "__main__":  # pragma: no cover
    main()
