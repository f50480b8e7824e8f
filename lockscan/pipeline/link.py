"""Link stage: findings that need more than one file.

``app/llm.py`` binds ``client = OpenAI()``; ``app/chat.py`` does ``from app.llm import
client`` and calls ``client.chat.completions.create``. The analyzer of ``chat.py``
left that call as a deferred site rooted in ``app.llm.client``; here the repo's export
table spells the root out (``openai.OpenAI()``) and the rules are matched again.
"""

from __future__ import annotations

from dataclasses import replace

from lockscan.engine.findings import RANK, to_findings
from lockscan.engine.summaries import (
    FACTORY,
    MAX_HOPS,
    constructor_path,
    ends_with_call,
    rewrite,
)
from lockscan.model import (
    CallSite,
    ChainSite,
    CompareSite,
    DeferredSite,
    FileFacts,
    Finding,
    KeywordSite,
)
from lockscan.model.source import names_by_suffix
from lockscan.ruleset import RuleSet
from lockscan.ruleset.index import RuleIndex


def export_table(facts: list[FileFacts]) -> dict[str, str]:
    """``module.name`` -> symbolic value, for every module-level export in the repo; a
    module under a nested project root (``src/backend/app/llm.py``, named
    ``backend.app.llm``, imported as ``app.llm``) also under each suffix of its name that
    no other module has, as the graph resolves imports."""
    table: dict[str, str] = {}
    for fact in facts:
        if fact.module is not None:
            for name, value in fact.exports:
                table[f"{fact.module}.{name}"] = value
    aliases = _suffix_aliases([f.module for f in facts if f.module is not None and f.exports])
    for fact in facts:
        for alias in aliases.get(fact.module or "", ()):
            for name, value in fact.exports:
                table.setdefault(f"{alias}.{name}", value)
    return table


def _suffix_aliases(modules: list[str]) -> dict[str, list[str]]:
    """Module -> the suffixes of its dotted name that name no module and no other's."""
    names = set(modules)
    aliases: dict[str, list[str]] = {}
    for suffix, owners in sorted(names_by_suffix(names).items()):
        if len(owners) == 1 and suffix not in names:
            aliases.setdefault(owners[0], []).append(suffix)
    return aliases


def resolve_path(path: str, exports: dict[str, str], index: RuleIndex) -> str | None:
    """Rewrite ``path`` through the export table until it names a vendor object."""
    return rewrite(path, exports, index.is_vendor_path)


def modules_needing_analysis(facts: list[FileFacts], rules: RuleSet) -> set[str]:
    """Paths of files skipped by the prefilter that import a vendor-bound repo name."""
    exports = export_table(facts)
    vendor_bound = _vendor_bound(exports, rules.index)
    if not vendor_bound:
        return set()
    # Built once: the union used to be rebuilt per import, quadratic on big repos. A
    # method's summary (`app.bot.Bot().ask`) is reached by importing its class.
    importable = {name.partition("(")[0] for name in vendor_bound}
    wanted = importable | {name.rpartition(".")[0] for name in importable}
    needed = set()
    for fact in facts:
        if fact.analyzed or fact.kind != "python":
            continue
        for ref in fact.imports:
            if ref.module in wanted or any(f"{ref.module}.{n}" in wanted for n in ref.names):
                needed.add(fact.path)
                break
    return needed


def _vendor_bound(exports: dict[str, str], index: RuleIndex) -> set[str]:
    """The exported names that resolve to a vendor object (or whose factory does).

    Names sharing a value (a module's nested-root aliases, re-exports) share its
    resolution: a name that is not a vendor path itself is rewritten to its own value
    first (it is its own longest known prefix), so what follows depends on the value
    only and is worked out once per value, with the hops that are left."""
    reaches: dict[tuple[str, int], bool] = {}

    def resolves(path: str, hops: int) -> bool:
        key = (path, hops)
        found = reaches.get(key)
        if found is None:
            found = reaches[key] = rewrite(path, exports, index.is_vendor_path, hops) is not None
        return found

    bound = set()
    for name, value in exports.items():
        if value.startswith(FACTORY):
            hit = index.is_vendor_path(name) or resolves(value[len(FACTORY):], MAX_HOPS)
        else:
            hit = index.is_vendor_path(name) or (value != name and resolves(value, MAX_HOPS - 1))
        if hit:
            bound.add(name)
    return bound


def link(facts: list[FileFacts], rules: RuleSet) -> list[FileFacts]:
    """The same facts, with findings added for deferred sites that now resolve."""
    index = rules.index
    exports = export_table(facts)
    fallbacks = frozenset(rule.id for rule in rules.rules if type(rule.matcher).fallback)
    linked = []
    for fact in facts:
        extra: list[Finding] = []
        spread: list[Finding] = []
        for deferred in fact.deferred:
            found = _link_site(deferred, exports, index, fact.path)
            (spread if isinstance(deferred.site, KeywordSite) else extra).extend(found)
        if extra:
            fact = replace(fact, findings=_merge(fact.findings, extra))
        if spread:
            fact = replace(fact, findings=(*fact.findings, *_first_on_line(fact.findings, spread)))
        if fallbacks:
            kept = _unshadowed(fact.findings, fallbacks)
            if len(kept) != len(fact.findings):
                fact = replace(fact, findings=kept)
        linked.append(fact)
    return linked


def _first_on_line(findings: tuple[Finding, ...], spread: list[Finding]) -> list[Finding]:
    """The options a linked call got from a spread dict, at most one of a kind and vendor
    per line and none where a finding of that kind and vendor is already (as
    ``request_dicts.RequestDicts.finish`` does for calls resolved in the file)."""
    taken = {(f.kind, f.vendor, f.cell, f.line) for f in findings}
    kept = []
    for finding in sorted(spread, key=lambda f: f.sort_key):
        place = (finding.kind, finding.vendor, finding.cell, finding.line)
        if place not in taken:
            taken.add(place)
            kept.append(finding)
    return kept


def _unshadowed(findings: tuple[Finding, ...], fallbacks: frozenset[str]) -> tuple[Finding, ...]:
    """Without the fallback findings (``Matcher.fallback``) on a line where a named
    finding of the same kind starts (``resp.stop_reason == "end_turn"`` is one
    stop-reason comparison, not also a field read of the response), one per rule and line."""
    taken = {(f.kind, f.cell, f.line) for f in findings if f.rule not in fallbacks}
    dropped = set()
    for finding in sorted(findings, key=lambda f: f.sort_key):
        if finding.rule in fallbacks:
            key = (finding.kind, finding.cell, finding.line)
            if key in taken or (finding.rule, *key[1:]) in taken:
                dropped.add(id(finding))
            taken.add((finding.rule, *key[1:]))
    return tuple(f for f in findings if id(f) not in dropped)


def _link_site(
    deferred: DeferredSite, exports: dict[str, str], index: RuleIndex, path: str
) -> list[Finding]:
    resolved = resolve_path(deferred.resolved_path, exports, index)
    if resolved is None:
        return _factory_client(deferred, exports, index, path)
    site = deferred.site
    if isinstance(site, CallSite | KeywordSite):
        # What the call's own value carries (a literal service, `(bedrock-runtime)`, or a
        # host tag) follows the callee's resolved path, as it does within a file.
        carried = site.path[len(deferred.resolved_path):] \
            if deferred.resolved_path and site.path.startswith(deferred.resolved_path) else ""
        site = replace(site, path=resolved + carried)
    elif isinstance(site, ChainSite | CompareSite):
        called = _called(site.text) if isinstance(site, ChainSite) else None
        if called and not ends_with_call(resolved, called):
            return []  # a helper's result: what it reads, it reads where it is defined
        site = replace(site, path=resolved, resolved=True)
    hits = index.hits(site)
    return to_findings(hits, path, (), cell=deferred.cell, snippet=deferred.snippet)


def _factory_client(
    deferred: DeferredSite, exports: dict[str, str], index: RuleIndex, path: str
) -> list[Finding]:
    """A call of another module's client getter that returns a vendor client
    (``get_anthropic_client(key)`` with ``return Anthropic(...)``) creates that client
    here: the constructor's ``client`` rules, at medium confidence (which client depends
    on the function's own branches). Calls inside the factory's own module are not
    reported: a gateway module building and using its clients is one place to change."""
    site = deferred.site
    if not isinstance(site, CallSite) or site.path != deferred.resolved_path:
        return []
    # Named as a client getter (`get_openai_client`, `_create_client`): a helper that
    # hands back the client it was given (`instructor.patch(client)`) creates none.
    if "client" not in site.path.rpartition(".")[2].lower():
        return []
    returned = resolve_path(f"{site.path}()", exports, index)
    constructor = constructor_path(returned) if returned else None
    if constructor is None:
        return []
    hits = [replace(hit, confidence="medium")
            for hit in index.hits(replace(site, path=constructor, keywords=()))
            if hit.rule.kind == "client"]
    return to_findings(hits, path, (), cell=deferred.cell, snippet=deferred.snippet)


def _called(text: str) -> str | None:
    """The name a chain written as ending in a call calls (``agent.reply()``: ``reply``)."""
    if not text.endswith("()"):
        return None
    name = text[:-2].rsplit(".", 1)[-1]
    return name if name.isidentifier() else None


def _merge(existing: tuple[Finding, ...], extra: list[Finding]) -> tuple[Finding, ...]:
    """Linked findings replace same-rule, same-place findings matched on shape alone."""
    best: dict[tuple[str, int | None, int, int], Finding] = {}
    for finding in (*existing, *extra):
        key = (finding.rule, finding.cell, finding.line, finding.column)
        current = best.get(key)
        if current is None or RANK[finding.confidence] < RANK[current.confidence]:
            best[key] = finding
    return tuple(best.values())
