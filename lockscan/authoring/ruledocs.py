"""Rule documentation generated from the rule data, one template for every rule.

Used by ``lockscan explain`` and to write ``docs/rules.md`` (a test fails when the
committed file is stale), so docs and behaviour cannot drift.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from lockscan.authoring.ruletest import example_files, markers
from lockscan.ruleset import Rule, RuleSet
from lockscan.score import effort_for_target, known_targets

MAX_EXAMPLES = 3
MAX_STATEMENT_LINES = 12
_PLACEHOLDER = re.compile(r"\{(?:match|data)\}")


def message_outline(message: str) -> str:
    """A rule's message template as a reader sees it: ``{match}`` and ``{data}`` (filled
    in per finding) become ``…``."""
    return _PLACEHOLDER.sub("…", message)


@dataclass(frozen=True)
class RuleDoc:
    """What a rule page says, for ``lockscan explain``, docs/rules.md and the HTML report."""

    id: str
    vendor: str
    kind: str
    api: str
    confidence: str
    via: str | None
    finds: str
    why: str
    fix: str
    examples: tuple[str, ...]  # code the rule reports
    lookalikes: tuple[str, ...]  # code it does not report, none of it also an example
    efforts: tuple[tuple[str, int], ...]  # (migration target, points per finding)


def closest_ids(wanted: str, ids: list[str], limit: int = 3) -> list[str]:
    """Rule ids a mistyped or partial ``wanted`` may mean, best first: ids whose name after
    the vendor is ``wanted`` (``chat-completion``), then near spellings of the whole id or
    of the name, then ids that contain it (``prefill``)."""
    query = wanted.strip().lower()
    names = {rule_id: rule_id.partition(".")[2] for rule_id in ids}
    by_name: dict[str, list[str]] = {}
    for rule_id, name in sorted(names.items()):
        by_name.setdefault(name, []).append(rule_id)
    found = [rule_id for rule_id, name in sorted(names.items()) if name == query]
    found += difflib.get_close_matches(query, ids, n=limit)
    for name in difflib.get_close_matches(query, list(by_name), n=limit):
        found += by_name[name]
    found += sorted(rule_id for rule_id in ids if query and query in rule_id)
    return list(dict.fromkeys(found))[:max(limit, sum(1 for n in names.values() if n == query))]


def rule_doc(rule: Rule, ruleset: RuleSet) -> RuleDoc:
    examples = _unique(examples_for(rule, "expect"))
    shown = {line.strip() for snippet in examples for line in snippet.splitlines()}
    lookalikes = [s for s in _unique(examples_for(rule, "ok"))
                  if not {line.strip() for line in s.splitlines()} <= shown]
    return RuleDoc(rule.id, rule.vendor, rule.kind, rule.api or "", rule.confidence, rule.via,
                   message_outline(rule.message), rule.why, rule.fix, tuple(examples),
                   tuple(lookalikes),
                   tuple((t, effort_for_target(rule, ruleset, t)) for t in known_targets(ruleset)))


def _unique(snippets: list[str]) -> list[str]:
    return list(dict.fromkeys(snippets))


def examples_for(rule: Rule, tag: str) -> list[str]:
    """Code of the rule's example lines marked ``tag``; a marked line that opens a
    bracket brings the following lines up to where the bracket closes."""
    folder = Path(rule.source).parent
    snippets: list[str] = []
    # Notebooks are JSON: their cells read badly as an excerpt, so they are left out.
    for path in (p for p in example_files([folder]) if p.suffix != ".ipynb"):
        text = path.read_text("utf-8")
        lines = text.splitlines()
        numbers = sorted(number for (_, number), rule_id in markers(text)[tag]
                         if rule_id.split("@")[0] == rule.id)  # `rule@vendor` markers too
        snippets.extend(_statement_from(lines, number - 1) for number in numbers)
    return snippets[:MAX_EXAMPLES]


def _statement_from(lines: list[str], start: int) -> str:
    block: list[str] = []
    depth = 0
    for line in lines[start:start + MAX_STATEMENT_LINES]:
        code = _code_before_marker(line)
        block.append(code)
        depth += bracket_balance(code)
        if depth <= 0:
            break
    indent = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
    return "\n".join(b[indent:] for b in block)


def bracket_balance(code: str) -> int:
    """Brackets opened minus closed on a line, not counting those inside string literals
    (``"{"``) or after a comment."""
    balance, quote, index = 0, "", 0
    while index < len(code):
        char = code[index]
        if quote:
            if char == "\\":
                index += 1
            elif code.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "\"'":
            quote = code[index:index + 3] if code[index:index + 3] in ('"""', "'''") else char
            index += len(quote) - 1
        elif char == "#":
            break
        elif char in "([{":
            balance += 1
        elif char in ")]}":
            balance -= 1
        index += 1
    return balance


def _code_before_marker(line: str) -> str:
    return line.split("  # ", 1)[0].rstrip()


def rule_page(rule: Rule, ruleset: RuleSet) -> str:
    """The rule's page in markdown (``lockscan explain``, docs/rules.md)."""
    doc = rule_doc(rule, ruleset)
    out = [
        f"## {doc.id}",
        "",
        f"vendor `{doc.vendor}` · kind `{doc.kind}` · api `{doc.api or '-'}` · "
        f"confidence `{doc.confidence}`" + (f" · via `{doc.via}`" if doc.via else ""),
        "",
        "### What it finds",
        doc.finds,
        "",
        "### Why it locks you in",
        doc.why,
        "",
    ]
    fence = "```python" if doc.kind != "dependency" else "```"
    if doc.examples:
        out += ["### Example", fence, *doc.examples, "```", ""]
    if doc.lookalikes:
        out += ["Not reported (lookalikes):", fence, *doc.lookalikes, "```", ""]
    out += ["### Use instead", doc.fix, "", "### Effort to switch (points per finding)",
            "| target | effort |", "|---|---|"]
    out += [f"| {target} | {points} |" for target, points in doc.efforts]
    return "\n".join(out) + "\n"


def rules_markdown(ruleset: RuleSet) -> str:
    header = [
        "# lockscan rules",
        "",
        "Generated by `lockscan docs` from `rules/**/*.toml`; do not edit by hand.",
        "",
        "| rule | vendor | kind | finds |",
        "|---|---|---|---|",
    ]
    rows = [
        f"| [`{r.id}`](#{r.id.replace('.', '')}) | {r.vendor} | {r.kind} | "
        f"{message_outline(r.message).replace('|', '/')} |"
        for r in ruleset.rules
    ]
    pages = [rule_page(rule, ruleset) for rule in ruleset.rules]
    return "\n".join(header + rows) + "\n\n" + "\n".join(pages)
