"""The few changes that would lower a target's cost most, each priced by scoring again
and ranked by lines saved: moving one vendor's code behind a real gateway, or reworking
every finding of one rule.

The gateway named is the configured one (``allowed_modules``) when there is one; else an
existing production module that already concentrates the vendor's calls and that other
modules import, never a test, an example, an exceptions or constants module, nor a file
without the vendor's calls. The text says why it was chosen. Code already inside the
gateway (or in an allowed module) is never asked to move."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from lockscan.graph import ModuleGraph
from lockscan.model import CALL_KINDS
from lockscan.score.price import CENTS, Part, Priced, Tally, lines_of, scatter_factor
from lockscan.settings.modules import allowed

SUGGESTIONS = 3
# An existing module is named as the gateway only when it already holds this share of the
# vendor's calls and clients: a module with 3 of 16 is not where a tech lead would put
# the rest, a new module is.
MIN_GATEWAY_SHARE = 0.25
NEW_GATEWAY = "llm_gateway.py"
# Needed once in a gateway, not once per module: imports, clients, settings; and the
# reads of responses, which the gateway turns into plain values for its callers.
COLLAPSE_KINDS = frozenset({"import", "client", "env_var", "credential", "response_shape"})
NOT_GATEWAYS = frozenset({"exceptions", "exception", "errors", "error", "constants", "consts",
                          "const", "types", "typing", "enums", "conftest", "setup"})
def vendor_name(vendor: str, names: Mapping[str, str] | None = None) -> str:
    """The vendor's name from its rules table (`AWS Bedrock`), else its id."""
    return (names or {}).get(vendor, vendor)


@dataclass(frozen=True)
class Gateway:
    path: str
    reason: str


@dataclass(frozen=True)
class Layout:
    """What advice asks of the scan that does not depend on the target, found once."""

    packages: Mapping[str, str]  # path -> top-level package
    kinds: Mapping[tuple[str, str], str]  # (path, rule) -> finding kind
    calls: Mapping[tuple[str, str], int]  # (path, vendor) -> calls and clients there
    importers: Mapping[str, int]  # path -> modules importing it
    legacy: frozenset[str]  # files with a legacy API's calls or clients: not a gateway
    roles: Mapping[str, str]
    allowed_paths: tuple[str, ...]  # Python files matching allowed_modules
    configured: bool  # whether allowed_modules is set
    names: Mapping[str, str]  # vendor id -> name, for the advice's words
    # source vendor -> its gateway, found on first ask (every target's advice asks again)
    gateways: dict[str, Gateway | None] = field(default_factory=dict, compare=False)
    # part -> its move and reworks: many targets price one vendor's code alike (on a
    # dense corpus 427 parts, 120 distinct), and the advice on a part is the same
    advice: dict[Part, tuple[tuple[int, str] | None, list[tuple[str, int, int, str]]]] = \
        field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, tallies: Sequence[Tally], graph: ModuleGraph | None, source_of,
           allowed_modules: Sequence[str], legacy: Iterable[str] = (),
           names: Mapping[str, str] | None = None) -> Layout:
        paths = sorted({t.path for t in tallies})
        calls: Counter[tuple[str, str]] = Counter()
        for t in tallies:
            if t.kind in CALL_KINDS:
                calls[(t.path, source_of(t.rule, t.vendor))] += t.found
        modules = _modules(graph, paths)
        return cls(
            packages={p: _package(graph, p) for p in paths},
            kinds={(t.path, t.rule): t.kind for t in tallies},
            calls=dict(calls),
            importers={p: len(graph.importers(p)) if graph is not None and p in graph else 0
                       for p in paths},
            legacy=frozenset(legacy),
            roles={t.path: t.role for t in tallies},
            allowed_paths=tuple(sorted(p for p, m in modules.items()
                                       if allowed_modules and allowed(p, m, allowed_modules))),
            configured=bool(allowed_modules),
            names=dict(names or {}),
        )


def _modules(graph: ModuleGraph | None, paths: Iterable[str]) -> dict[str, str]:
    """Python files with their dotted names: every module of the graph, and the paths."""
    found = {p: "" for p in paths if p.endswith(".py")}
    if graph is not None:
        found.update({n.path: n.module for n in graph.nodes() if n.kind == "module"})
    return found


def _package(graph: ModuleGraph | None, path: str) -> str:
    from lockscan.graph.module_graph import package_name

    return graph.package_of(path) if graph is not None else package_name("", path)


def gateway_for(source: str, layout: Layout) -> Gateway | None:
    """Where ``source``'s code should live: the configured gateway, else the module that
    already concentrates its calls and that other modules import."""
    if source not in layout.gateways:
        layout.gateways[source] = _gateway_for(source, layout)
    return layout.gateways[source]


def _gateway_for(source: str, layout: Layout) -> Gateway | None:
    total = sum(n for (p, v), n in layout.calls.items()
                if v == source and layout.roles.get(p) == "production")
    if layout.allowed_paths:
        path = min(layout.allowed_paths, key=lambda p: (-layout.calls.get((p, source), 0), p))
        return Gateway(path, "your allowed_modules")
    candidates = [p for (p, v), n in layout.calls.items()
                  if v == source and n > 0 and n >= MIN_GATEWAY_SHARE * total
                  and _may_be_gateway(p, layout)]
    if not candidates:
        return _new_gateway(source, layout, total)
    path = min(candidates, key=lambda p: (-layout.calls[(p, source)], -layout.importers[p], p))
    held, users = layout.calls[(path, source)], layout.importers[path]
    return Gateway(path, f"it already holds {held} of the {total} {vendor_name(source, layout.names)} "
                         f"calls and clients, and {users} "
                         f"{'module imports' if users == 1 else 'modules import'} it")


def _new_gateway(source: str, layout: Layout, total: int) -> Gateway | None:
    """A new module beside the production code that calls ``source`` (in the folder they
    share), when their calls are spread over several files."""
    files = sorted(p for (p, v), n in layout.calls.items()
                   if v == source and n > 0 and p.endswith(".py")
                   and layout.roles.get(p) == "production")
    if len(files) < 2:
        return None
    folder = posixpath.commonpath([posixpath.dirname(p) for p in files])
    path = posixpath.join(folder, NEW_GATEWAY) if folder else NEW_GATEWAY
    name = vendor_name(source, layout.names)
    return Gateway(path, f"a new module: no existing one holds a quarter of the {total} {name} "
                         "calls and clients")


def _may_be_gateway(path: str, layout: Layout) -> bool:
    stem = posixpath.basename(path).removesuffix(".py")
    return (path.endswith(".py") and layout.roles.get(path) == "production"
            and stem.lower() not in NOT_GATEWAYS and layout.importers.get(path, 0) > 0
            and path not in layout.legacy)


def suggest(part_list: Sequence[Part], layout: Layout, fixes: Mapping[str, str]) -> list[str]:
    """The three changes that save most lines on this target, one per rule and at most
    one move per vendor."""
    candidates: list[tuple[int, int, str, str]] = []  # (lines, cents, text, rule or "")
    for part in part_list:
        found = layout.advice.get(part)
        if found is None:
            found = layout.advice[part] = (_consolidation(part, layout),
                                           _reworks(part, layout.packages, layout.roles))
        moved, reworks = found
        if moved is not None:
            cents, text = moved
            lines = lines_of(cents)
            candidates.append((lines, cents, f"{text} (saves ~{lines} lines)", ""))
        for rule, cents, count, where in reworks:
            lines = lines_of(cents)
            noun = f"finding{'s' * (count != 1)}"
            candidates.append((lines, cents, f"rework the {count} `{rule}` {noun} in {where} "
                               f"(saves ~{lines} lines): {fixes.get(rule, '')}".rstrip(": "), rule))
    picked: list[str] = []
    used: set[str] = set()
    for _lines, cents, text, rule in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2])):
        if cents <= 0 or (rule and rule in used):
            continue
        picked.append(text)
        used.add(rule)
        if len(picked) == SUGGESTIONS:
            break
    return picked


def _consolidation(part: Part, layout: Layout) -> tuple[int, str] | None:
    """Moving ``part``'s production Python code into its gateway: what it saves, in cents."""
    gateway = gateway_for(part.source, layout)
    if gateway is None:
        return None
    keep = {gateway.path, *layout.allowed_paths}
    movable = {p.path for p, share in part.shares
               if share > 0 and p.path.endswith(".py") and p.path not in keep
               and layout.roles.get(p.path) == "production"}
    if not movable:
        return None
    staying = [(p, s) for p, s in part.shares if p.path not in movable and p.path != gateway.path]
    inside = [p for p, _ in part.shares if p.path in movable or p.path == gateway.path]
    merged: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # rule -> scattered, flat
    # The gateway's own findings first, then the moved ones by path (a stable sort).
    ordered = [p for p in inside if p.path == gateway.path] + sorted(
        (p for p in inside if p.path != gateway.path), key=itemgetter(0))
    for p in ordered:
        totals = merged[p.rule]
        collapse = layout.kinds.get((p.path, p.rule)) in COLLAPSE_KINDS
        if collapse and (totals[0] or totals[1]):
            continue  # once in the gateway
        totals[0] += p.scattered
        totals[1] += p.flat
    files = {p.path for p, _ in staying if p.scattered > 0}
    if any(s for s, _ in merged.values()):
        files.add(gateway.path)
    factor = scatter_factor(len(files), len({layout.packages.get(f, f) for f in files}))
    after = sum(round(p.scattered * factor) + p.flat for p, _ in staying) \
        + sum(round(s * factor) + f for s, f in merged.values())
    sites = sum(p.found for p in inside if p.path != gateway.path)
    modules = len(movable)
    text = (f"move the {sites} {vendor_name(part.source, layout.names)} coupling sites in {modules} "
            f"module{'s' * (modules != 1)} behind {gateway.path} ({gateway.reason})")
    return part.cents - after, text


def _reworks(part: Part, packages: Mapping[str, str],
             roles: Mapping[str, str]) -> list[tuple[str, int, int, str]]:
    """(rule, cents saved, findings, where) for reworking every production finding of each
    rule of the part: the rest priced again, its scatter recounted without the files only
    that rule held. Advice is about production code: "rework the 2975 findings in 1181
    files" of a framework's cookbook examples is not a change anyone makes for a switch."""
    holders = Counter(p.path for p, _ in part.shares if p.scattered > 0)
    files_in = Counter(packages.get(path, path) for path in holders)
    by_rule: dict[str, list[Priced]] = defaultdict(list)
    for p, _ in part.shares:
        if roles.get(p.path) == "production":
            by_rule[p.rule].append(p)
    rounded: dict[tuple[int, int], int] = {}
    scattered = [p.scattered for p, _ in part.shares if p.scattered]
    flat = sum(p.flat for p, _ in part.shares)
    out = []
    for rule, members in by_rule.items():
        emptied = [p.path for p in members if p.scattered > 0 and holders[p.path] == 1]
        lost = Counter(packages.get(path, path) for path in emptied)
        key = (len(holders) - len(emptied),
               len(files_in) - sum(1 for pkg, n in lost.items() if files_in[pkg] <= n))
        factor = scatter_factor(*key)
        if key not in rounded:
            rounded[key] = sum(round(s * factor) for s in scattered)
        rest = (rounded[key] - sum(round(p.scattered * factor) for p in members)
                + flat - sum(p.flat for p in members))
        count = sum(p.found for p in members)
        where = members[0].path if len(members) == 1 else f"{len(members)} files"
        out.append((rule, part.cents - rest, count, where))
    return out


def points(cents: int) -> float:
    return cents / CENTS
