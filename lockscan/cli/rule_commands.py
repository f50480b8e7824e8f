"""The commands for reading and writing rules: rules, explain, test-rules, docs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from lockscan import app
from lockscan.cli.options import overrides, settings_options
from lockscan.cli.output import emit
from lockscan.errors import EXIT_POLICY, UnknownRule
from lockscan.model import KINDS
from lockscan.ruleset import RuleSet, bundled_rules_dir, load_rules

RULE_KEYS = frozenset({"rules", "bundled_rules"})


def _load(params: dict[str, Any]) -> RuleSet:
    """The rules a scan of the current folder would use: ``[tool.lockscan] rules`` and
    ``bundled_rules`` there, then ``--rules`` / ``--no-bundled-rules``."""
    settings = app.settings_for(Path("."), overrides(params))
    return load_rules(settings.config.rule_dirs, include_bundled=settings.config.bundled_rules)


@click.command("rules")
@settings_options("rules", RULE_KEYS)
@click.option("--vendor", multiple=True, help="Only rules of this vendor.")
@click.option("--kind", multiple=True, type=click.Choice(KINDS), help="Only rules of this kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def rules_command(vendor: tuple[str, ...], kind: tuple[str, ...], fmt: str,
                  **params: Any) -> None:
    """List rules: id, vendor, kind and message.

    Example: lockscan rules --vendor anthropic --kind vendor_feature
    """
    from lockscan.authoring.ruledocs import message_outline

    ruleset = _load(params)
    chosen = [r for r in ruleset.rules
              if (not vendor or r.vendor in vendor) and (not kind or r.kind in kind)]
    if fmt == "json":
        rows = [{"id": r.id, "vendor": r.vendor, "kind": r.kind, "api": r.api,
                 "confidence": r.confidence, "message": message_outline(r.message)} for r in chosen]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r.id) for r in chosen), default=10)
    for rule in chosen:
        click.echo(f"{rule.id:<{width}}  {rule.vendor:<10} {rule.kind:<15} {message_outline(rule.message)}")


@click.command("explain")
@click.argument("rule_id")
@settings_options("explain", RULE_KEYS)
def explain_command(rule_id: str, **params: Any) -> None:
    """Explain one rule: what it finds, why it matters, what to use instead.

    Example: lockscan explain openai.tool-schema
    """
    from lockscan.authoring.ruledocs import closest_ids, rule_page

    ruleset = _load(params)
    rule = ruleset.get(rule_id)
    if rule is None:
        raise UnknownRule(rule_id, closest_ids(rule_id, list(ruleset.by_id)))
    click.echo(rule_page(rule, ruleset), nl=False)


@click.command("test-rules")
@click.argument("directory", type=click.Path(path_type=Path, exists=True, file_okay=False),
                required=False)
@settings_options("test-rules", frozenset({"bundled_rules"}))
def test_rules_command(directory: Path | None, bundled_rules: bool | None) -> None:
    """Check rules against their `# expect:` / `# ok:` example files.

    Example: lockscan test-rules my_rules/
    """
    from lockscan.authoring.ruletest import check_example, coverage_gaps, example_files

    folder = directory or bundled_rules_dir()
    extra = (folder,) if directory else ()
    ruleset = load_rules(extra, include_bundled=bundled_rules is not False)
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


@click.command("docs")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write to FILE (e.g. docs/rules.md) instead of stdout.")
def docs_command(output: Path | None) -> None:
    """Generate the rule reference (docs/rules.md) from the bundled rules.

    Example: lockscan docs --output docs/rules.md
    """
    from lockscan.authoring.ruledocs import rules_markdown

    emit(rules_markdown(load_rules()), output)


COMMANDS = (rules_command, explain_command, test_rules_command, docs_command)
