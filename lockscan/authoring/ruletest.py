"""Check rules against their annotated example files (``lockscan test-rules``).

An example file is a real file beside the rules: any ``*.py`` file, or a file named
``examples.<name>`` that stands for ``<name>`` (``examples.requirements.txt`` is read
as a ``requirements.txt`` manifest, ``examples.config.yaml`` as a config file,
``examples.prompt`` as a prompt file, ``examples.ipynb`` as a notebook). A line
ending in ``# expect: rule-a, rule-b`` must be reported with exactly those rules,
``# ok: rule`` marks a lookalike that must not be reported, ``# todo: rule`` a known
miss. ``rule@vendor`` also checks the finding's vendor (OpenAI SDK pointed at another
host). In a notebook the markers sit in the code cells' source and are compared per
(cell, line). The check compares exact sets, so a finding on the wrong line fails.

Lifecycle rules (``match.lifecycle``) depend on a date: an example file checks them only
when it pins one, ``# as-of: 2026-12-07``; the lifecycle step then runs on its findings
for that date (and the default window). Files without the marker are checked without it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lockscan.engine import analyze_file
from lockscan.engine.notebook import notebook_cells
from lockscan.model import FileKind, Finding, SourceFile
from lockscan.pipeline.discover import classify
from lockscan.ruleset import RuleSet

MARKER = re.compile(r"#\s*(?P<tag>expect|ok|todo):\s*(?P<ids>[A-Za-z0-9_.@\-, ]+)")
AS_OF = re.compile(r"#\s*as-of:\s*(?P<date>\d{4}-\d{2}-\d{2})")
EXAMPLE_PREFIX = "examples."

Location = tuple[int, int]  # (notebook cell or -1, line)


@dataclass
class ExampleReport:
    path: Path
    missing: list[tuple[Location, str]] = field(default_factory=list)  # expected, not found
    unexpected: list[tuple[Location, str]] = field(default_factory=list)  # found, not expected
    fixed_todos: list[tuple[Location, str]] = field(default_factory=list)  # todo now matches
    diagnostics: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.fixed_todos or self.diagnostics)

    def problems(self) -> list[str]:
        at = self._at
        out = [f"{at(loc)}: expected {rule}, not reported" for loc, rule in self.missing]
        out += [f"{at(loc)}: reported {rule}, not marked `# expect:`"
                for loc, rule in self.unexpected]
        out += [f"{at(loc)}: {rule} now matches; change `# todo:` to `# expect:`"
                for loc, rule in self.fixed_todos]
        out += [f"{self.path}: {d}" for d in self.diagnostics]
        return out

    def _at(self, location: Location) -> str:
        cell, line = location
        return f"{self.path}:{line}" if cell < 0 else f"{self.path}:cell {cell}:{line}"


def markers(text: str, cell: int = -1) -> dict[str, set[tuple[Location, str]]]:
    found: dict[str, set[tuple[Location, str]]] = {"expect": set(), "ok": set(), "todo": set()}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in MARKER.finditer(line):
            for rule_id in match.group("ids").split(","):
                if rule_id.strip():
                    found[match.group("tag")].add(((cell, number), rule_id.strip()))
    return found


def example_kind(path: Path) -> tuple[FileKind, str] | None:
    """The kind an example file is read as, and the file name it stands for."""
    name = path.name
    if name.startswith(EXAMPLE_PREFIX):
        stands_for = name[len(EXAMPLE_PREFIX):]
        kind = classify(stands_for)
        if kind is not None:
            return kind, stands_for
    kind = classify(name)
    return (kind, name) if kind is not None else None


def file_markers(path: Path, text: str) -> dict[str, set[tuple[Location, str]]]:
    """Markers of an example file; a notebook's come from its code cells."""
    if path.suffix != ".ipynb":
        return markers(text)
    merged: dict[str, set[tuple[Location, str]]] = {"expect": set(), "ok": set(), "todo": set()}
    try:
        cells = notebook_cells(json.loads(text)) or []
    except ValueError:
        cells = []
    for number, source in cells:
        for tag, pairs in markers(source, number).items():
            merged[tag] |= pairs
    return merged


def check_example(path: Path, rules: RuleSet) -> ExampleReport:
    data = path.read_bytes()
    report = ExampleReport(path)
    kind = example_kind(path)
    if kind is None:
        report.diagnostics = ["not a file kind lockscan reads; rename it `examples.<name>`"]
        return report
    file_kind, stands_for = kind
    module = Path(stands_for).stem if file_kind == "python" else None
    source = SourceFile(stands_for, str(path), file_kind, module=module, size=len(data))
    facts = analyze_file(source, data, rules, full=True)
    report.diagnostics = [f"{d.code}: {d.message}" for d in facts.diagnostics]
    findings = _with_lifecycle(facts.findings, rules, data.decode("utf-8", "replace"))
    found = {(_location(f), f.rule) for f in findings}
    with_vendor = {(_location(f), f"{f.rule}@{f.vendor}") for f in findings}
    marks = file_markers(path, data.decode("utf-8"))
    expected = {(loc, rule.split("@")[0]) for loc, rule in marks["expect"]}
    todo = {(loc, rule.split("@")[0]) for loc, rule in marks["todo"]}
    report.missing = sorted(
        (loc, rule) for loc, rule in marks["expect"]
        if (loc, rule) not in (with_vendor if "@" in rule else found)
    )
    report.unexpected = sorted(found - expected - todo)
    report.fixed_todos = sorted(todo & found)
    return report


def _with_lifecycle(findings: tuple[Finding, ...], rules: RuleSet, text: str
                    ) -> tuple[Finding, ...]:
    """``findings`` plus the lifecycle rules' findings on the date the file pins."""
    pinned = AS_OF.search(text)
    if pinned is None:
        return findings
    from lockscan.catalog import Catalog, parse_day
    from lockscan.catalog.models import lifecycle_findings, named_models
    from lockscan.model import ScanConfig

    catalog = Catalog.load()
    window = ScanConfig().lifecycle_window
    named = named_models(findings, rules, catalog, parse_day(pinned["date"]), window)
    return (*findings, *lifecycle_findings(named, findings, rules, catalog.refreshed))


def _location(finding: Finding) -> Location:
    return (-1 if finding.cell is None else finding.cell, finding.line)


def example_files(directories: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for directory in directories:
        files.extend(sorted(
            p for p in directory.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
            and (p.suffix == ".py" or p.name.startswith(EXAMPLE_PREFIX))
        ))
    return files


def coverage_gaps(rules: RuleSet, files: Iterable[Path]) -> list[str]:
    """Rules without at least one ``expect`` and one ``ok`` line in the examples
    (dependency rules included: manifests are example files too)."""
    seen: dict[str, set[str]] = {}
    for path in files:
        for tag, pairs in file_markers(path, path.read_text("utf-8")).items():
            for _, rule_id in pairs:
                seen.setdefault(rule_id.split("@")[0], set()).add(tag)
    gaps = []
    for rule in rules.rules:
        tags = seen.get(rule.id, set())
        for tag in ("expect", "ok"):
            if tag not in tags:
                gaps.append(f"{rule.source}: rule {rule.id}: no `# {tag}: {rule.id}` example line")
    return gaps
