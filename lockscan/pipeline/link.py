"""Link stage: findings that need more than one file.

``app/llm.py`` binds ``client = OpenAI()``; ``app/chat.py`` does ``from app.llm import
client`` and calls ``client.chat.completions.create``. The analyzer of ``chat.py``
left that call as a deferred site rooted in ``app.llm.client``; here the repo's export
table spells the root out (``openai.OpenAI()``) and the rules are matched again.
"""

from __future__ import annotations

from dataclasses import replace

from lockscan.engine.findings import to_findings
from lockscan.model import CallSite, ChainSite, CompareSite, DeferredSite, FileFacts, Finding
from lockscan.ruleset import RuleSet
from lockscan.ruleset.index import SEGMENT_END, RuleIndex

MAX_HOPS = 8  # re-export chains longer than this are not followed
FACTORY = "factory:"


def export_table(facts: list[FileFacts]) -> dict[str, str]:
    """``module.name`` -> symbolic value, for every module-level export in the repo."""
    table: dict[str, str] = {}
    for fact in facts:
        if fact.module is None:
            continue
        for name, value in fact.exports:
            table[f"{fact.module}.{name}"] = value
    return table


def resolve_path(path: str, exports: dict[str, str], index: RuleIndex) -> str | None:
    """Rewrite ``path`` through the export table until it names a vendor object."""
    for _ in range(MAX_HOPS):
        if index.is_vendor_path(path):
            return path
        rewritten = _rewrite_once(path, exports)
        if rewritten is None or rewritten == path:
            return None
        path = rewritten
    return path if index.is_vendor_path(path) else None


def _rewrite_once(path: str, exports: dict[str, str]) -> str | None:
    # Longest exported prefix that ends on a segment boundary.
    for cut in reversed(_boundaries(path)):
        prefix = path[:cut]
        value = exports.get(prefix)
        if value is None:
            continue
        rest = path[cut:]
        if value.startswith(FACTORY):
            if not rest.startswith("()"):
                return None
            return value[len(FACTORY):] + rest[2:]
        return value + rest
    return None


def _boundaries(path: str) -> list[int]:
    """Ascending offsets where a segment ends. A regex scan, not a loop per character:
    a rescan asks this for every export of the repo (~12k times on the stdlib)."""
    return [m.start() for m in SEGMENT_END.finditer(path)] + [len(path)]


def modules_needing_analysis(facts: list[FileFacts], rules: RuleSet) -> set[str]:
    """Paths of files skipped by the prefilter that import a vendor-bound repo name."""
    index = rules.index
    exports = export_table(facts)
    vendor_bound = {
        name for name in exports if resolve_path(name, exports, index) is not None
        or (exports[name].startswith(FACTORY) and resolve_path(
            exports[name][len(FACTORY):], exports, index) is not None)
    }
    if not vendor_bound:
        return set()
    # Built once: the union used to be rebuilt per import, quadratic on big repos.
    wanted = vendor_bound | {name.rpartition(".")[0] for name in vendor_bound}
    needed = set()
    for fact in facts:
        if fact.analyzed or fact.kind != "python":
            continue
        for ref in fact.imports:
            if ref.module in wanted or any(f"{ref.module}.{n}" in wanted for n in ref.names):
                needed.add(fact.path)
                break
    return needed


def link(facts: list[FileFacts], rules: RuleSet) -> list[FileFacts]:
    """The same facts, with findings added for deferred sites that now resolve."""
    index = rules.index
    exports = export_table(facts)
    linked = []
    for fact in facts:
        extra: list[Finding] = []
        for deferred in fact.deferred:
            extra.extend(_link_site(deferred, exports, index, fact.path))
        if extra:
            fact = replace(fact, findings=_merge(fact.findings, extra))
        linked.append(fact)
    return linked


def _link_site(
    deferred: DeferredSite, exports: dict[str, str], index: RuleIndex, path: str
) -> list[Finding]:
    resolved = resolve_path(deferred.resolved_path, exports, index)
    if resolved is None:
        return []
    site = deferred.site
    if isinstance(site, CallSite):
        site = replace(site, path=resolved)
    elif isinstance(site, ChainSite | CompareSite):
        site = replace(site, path=resolved, resolved=True)
    hits = index.hits(site)
    return to_findings(hits, path, (), cell=deferred.cell, snippet=deferred.snippet)


def _merge(existing: tuple[Finding, ...], extra: list[Finding]) -> tuple[Finding, ...]:
    """Linked findings replace same-rule, same-place findings matched on shape alone."""
    rank = {"high": 0, "medium": 1, "low": 2}
    best: dict[tuple[str, int | None, int, int], Finding] = {}
    for finding in (*existing, *extra):
        key = (finding.rule, finding.cell, finding.line, finding.column)
        current = best.get(key)
        if current is None or rank[finding.confidence] < rank[current.confidence]:
            best[key] = finding
    return tuple(best.values())
