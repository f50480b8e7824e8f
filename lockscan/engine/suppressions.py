"""Inline suppressions: ``# lockscan: ignore[rule-a, rule-b]`` (or a bare ``ignore``)
silences findings on its line. Parsed per file here, applied after the link stage
(which may add findings to a file), and reported when they silence nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lockscan.model import Diagnostic, FileFacts, Finding

SUPPRESSION = re.compile(r"#\s*lockscan:\s*ignore(?:\[(?P<ids>[^\]]*)\])?")


def suppressions(text: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """(line, rule ids; () for all) of every suppression comment in ``text``."""
    if "lockscan" not in text:
        return ()
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line)
        if match:
            ids = match.group("ids")
            names = tuple(sorted(i.strip() for i in ids.split(",") if i.strip())) if ids else ()
            found.append((number, names))
    return tuple(found)


def apply_suppressions(facts: Iterable[FileFacts]) -> list[Finding]:
    """Every finding not silenced by a suppression on its line."""
    kept: list[Finding] = []
    for fact in facts:
        ignores = dict(fact.suppressions)
        for finding in fact.findings:
            ids = ignores.get(finding.line)
            if ids is not None and (not ids or finding.rule in ids):
                continue
            kept.append(finding)
    return kept


def unused_suppressions(facts: Iterable[FileFacts]) -> list[Diagnostic]:
    """``# lockscan: ignore`` comments that silence nothing (``--report-unused-ignores``)."""
    out = []
    for fact in facts:
        for line, ids in fact.suppressions:
            on_line = {f.rule for f in fact.findings if f.line == line}
            unused = [i for i in ids if i not in on_line] if ids else ([] if on_line else ["*"])
            if unused:
                out.append(Diagnostic(fact.path, "unused-ignore",
                                      f"line {line}: `# lockscan: ignore` for "
                                      f"{', '.join(unused)} silences nothing; remove it"))
    return out
