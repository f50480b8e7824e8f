"""Turn rule hits into ``Finding`` records: message, snippet, redaction, fingerprint."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from operator import attrgetter

from lockscan.engine.redact import redact
from lockscan.model import Finding
from lockscan.ruleset.matchers import Hit

MAX_SNIPPET = 200
RANK = {"high": 0, "medium": 1, "low": 2}
MAX_SUBJECT = 80
_SPACE = re.compile(r"\s+")


def snippet_at(lines: Sequence[str], line: int) -> str:
    if 1 <= line <= len(lines):
        # Redact before cutting: a key cut short no longer looks like one.
        text = redact(lines[line - 1].strip())
        if len(text) > MAX_SNIPPET:
            text = text[: MAX_SNIPPET - 1] + "…"
        return text
    return ""


def render_message(template: str, subject: str, data: str = "") -> str:
    subject = redact(subject)
    if len(subject) > MAX_SUBJECT:
        subject = subject[: MAX_SUBJECT - 1] + "…"
    subject = subject.replace("\n", "\\n")
    return template.replace("{match}", subject).replace("{data}", data)


def paired(hits: Sequence[Hit]) -> list[Hit]:
    """``hits`` less those of a rule whose ``with_rules`` none of the file's hits is of."""
    present = {hit.rule.id for hit in hits}
    return [hit for hit in hits if not hit.rule.with_rules or present.intersection(hit.rule.with_rules)]


def to_findings(
    hits: Iterable[Hit],
    path: str,
    lines: Sequence[str],
    cell: int | None = None,
    snippet: str | None = None,
) -> list[Finding]:
    """One finding per (rule, position); duplicates from overlapping facts collapse to
    the most confident (a chain matched on its shape, then again once its value resolved).

    ``snippet`` overrides the line looked up in ``lines`` (the link stage has no text)."""
    best: dict[tuple[str, int, int], Hit] = {}
    for hit in hits:
        key = (hit.rule.id, hit.span.line, hit.span.column)
        current = best.get(key)
        if current is None or RANK[hit.confidence] < RANK[current.confidence]:
            best[key] = hit
    out: list[Finding] = []
    for hit in best.values():
        rule = hit.rule
        out.append(
            Finding(
                rule=rule.id,
                vendor=hit.vendor or rule.vendor,
                kind=rule.kind,
                path=path,
                line=hit.span.line,
                column=hit.span.column,
                end_line=hit.span.end_line,
                end_column=hit.span.end_column,
                message=render_message(rule.message, hit.subject, hit.data),
                snippet=snippet if snippet is not None else snippet_at(lines, hit.span.line),
                api=rule.api,
                via=rule.via,
                confidence=hit.confidence,
                cell=cell,
                subject=redact(hit.subject)[:MAX_SNIPPET],
            )
        )
    return out


def with_fingerprints(findings: Iterable[Finding],
                      role_of: Callable[[str], str] | None = None) -> list[Finding]:
    """Sort findings and give each a fingerprint that survives edits elsewhere in the file,
    and, with ``role_of`` (path -> role), its file's role in the same pass.

    The fingerprint hashes rule, path and the whitespace-normalised source line, plus
    the occurrence index among identical (rule, path, line text) triples, so moving a
    line or editing other lines keeps it; changing the line itself does not.
    """
    ordered = sorted(findings, key=by_position)
    counts: Counter[tuple[str, str, str]] = Counter()
    out = []
    for finding in ordered:
        normal = _SPACE.sub(" ", finding.snippet).strip()
        key = (finding.rule, finding.path, normal)
        occurrence = counts[key]
        counts[key] += 1
        digest = hashlib.sha256(
            "\0".join((finding.rule, finding.path, normal, str(occurrence))).encode()
        ).hexdigest()[:20]
        # Built from its fields in order: ``dataclasses.replace`` costs twice as much, and a
        # large scan fingerprints ~100k findings.
        values = list(_FIELD_VALUES(finding))
        values[_FINGERPRINT] = digest
        if role_of is not None:
            values[_ROLE] = role_of(finding.path)
        out.append(Finding(*values))
    return out


by_position = attrgetter("sort_key")  # a finding's place in report order (``Finding.sort_key``)
_FIELD_NAMES = tuple(f.name for f in fields(Finding))
_FIELD_VALUES = attrgetter(*_FIELD_NAMES)
_FINGERPRINT = _FIELD_NAMES.index("fingerprint")
_ROLE = _FIELD_NAMES.index("role")
