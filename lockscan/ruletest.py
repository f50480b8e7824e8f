"""Check rules against their annotated example files (``lockscan test-rules``).

An example file is real Python beside the rules. A line ending in
``# expect: rule-a, rule-b`` must be reported with exactly those rules, ``# ok: rule``
marks a lookalike that must not be reported, ``# todo: rule`` a known miss. The check
compares exact (line, rule) sets, so a finding on the wrong line fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lockscan.analyze import analyze_file
from lockscan.model import SourceFile
from lockscan.rules import DependencyMatcher, RuleSet

MARKER = re.compile(r"#\s*(?P<tag>expect|ok|todo):\s*(?P<ids>[A-Za-z0-9_.\-, ]+)")


@dataclass
class ExampleReport:
    path: Path
    missing: list[tuple[int, str]] = field(default_factory=list)  # expected, not found
    unexpected: list[tuple[int, str]] = field(default_factory=list)  # found, not expected
    fixed_todos: list[tuple[int, str]] = field(default_factory=list)  # todo now matches
    diagnostics: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.fixed_todos or self.diagnostics)

    def problems(self) -> list[str]:
        out = [f"{self.path}:{line}: expected {rule}, not reported" for line, rule in self.missing]
        out += [f"{self.path}:{line}: reported {rule}, not marked `# expect:`"
                for line, rule in self.unexpected]
        out += [f"{self.path}:{line}: {rule} now matches; change `# todo:` to `# expect:`"
                for line, rule in self.fixed_todos]
        out += [f"{self.path}: {d}" for d in self.diagnostics]
        return out


def markers(text: str) -> dict[str, set[tuple[int, str]]]:
    found: dict[str, set[tuple[int, str]]] = {"expect": set(), "ok": set(), "todo": set()}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MARKER.finditer(line):
            for rule_id in match.group("ids").split(","):
                if rule_id.strip():
                    found[match.group("tag")].add((number, rule_id.strip()))
    return found


def check_example(path: Path, rules: RuleSet) -> ExampleReport:
    data = path.read_bytes()
    source = SourceFile(path.name, str(path), "python", module=path.stem, size=len(data))
    facts = analyze_file(source, data, rules, full=True)
    report = ExampleReport(path)
    report.diagnostics = [f"{d.code}: {d.message}" for d in facts.diagnostics]
    found = {(f.line, f.rule) for f in facts.findings}
    marks = markers(data.decode("utf-8"))
    report.missing = sorted(marks["expect"] - found)
    report.unexpected = sorted(found - marks["expect"] - marks["todo"])
    report.fixed_todos = sorted(marks["todo"] & found)
    return report


def example_files(directories: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        files.extend(sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts))
    return files


def coverage_gaps(rules: RuleSet, files: Iterable[Path]) -> list[str]:
    """Rules without at least one ``expect`` and one ``ok`` line in the examples.

    Dependency rules are exempt: they match manifest entries, which a Python example
    file cannot hold, so the manifest analyzer's own tests exercise them."""
    seen: dict[str, set[str]] = {}
    for path in files:
        for tag, pairs in markers(path.read_text("utf-8")).items():
            for _, rule_id in pairs:
                seen.setdefault(rule_id, set()).add(tag)
    gaps = []
    for rule in rules.rules:
        if isinstance(rule.matcher, DependencyMatcher):
            continue
        tags = seen.get(rule.id, set())
        for tag in ("expect", "ok"):
            if tag not in tags:
                gaps.append(f"{rule.source}: rule {rule.id}: no `# {tag}: {rule.id}` example line")
    return gaps
