"""Findings priced for one target: points per finding (its rule's effort for the target),
shared by role, portability and existing support, weighted by scatter per source vendor,
then turned into estimated lines to change. docs/scoring.md describes the model.

1. A finding costs its rule's points for the target (``targets.effort_for_target``);
   a read of a legacy response costs its default points in the vendor's upgrade.
2. Code is rewritten for the target when one of a vendor's calls, shapes or features in a
   file costs something: then every finding of that vendor in the file costs at least
   ``RIDE_ALONG`` (the code around a rewritten call changes with it), unless its rule says
   it needs nothing for that target (litellm keeps OpenAI's response shape). A site costs at most
   ``MOST_PER_SITE`` (points above a rewrite measure thought, not lines). Re-pointing a
   client, a key or a model id costs its own points; what needs no change costs nothing.
3. It costs ``PORTABLE_SHARE`` of that when it reaches models through a portable layer
   (litellm, a LangChain chat model), and ``SUPPORTED_SHARE`` when it sits beside an
   adapter that already talks to the target; its file's role takes ``ROLE_SHARE``.
   Outside code (config, data, prompts, manifests) the same string counts once per file,
   and so does a model id in config, data and tests.
4. Production code may be weighted by scatter, per source vendor: ``1 + MODULE_SCATTER ×
   log2(files) + PACKAGE_SCATTER × log2(packages)`` over the files where that vendor's
   code costs something, so another vendor's code never changes this vendor's part.
5. Each source vendor's points become lines at ``LINES_PER_POINT``; a target's lines are
   the sum of its parts. The part of the target's own vendor answers the upgrade question,
   the others a cross-vendor move, or a move to a portable layer when the target is one.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from lockscan.model import Finding
from lockscan.ruleset import RuleSet
from lockscan.score import calibration as cal
from lockscan.score.flow import Flow, servable
from lockscan.score.targets import DATA_MIGRATION, LEGACY_APIS, effort_for_target, is_portable

CENTS = 100  # points are summed in hundredths so that every part adds up exactly
DATA_ROLES = frozenset({"production", "config"})  # where stored data is real, not a demo


class Tally(NamedTuple):
    """The findings of one rule and vendor in one file. ``direct`` and ``portable`` are
    the counts priced (a model id in config or data once per id); ``found`` all of them."""

    path: str
    rule: str
    vendor: str
    role: str
    kind: str
    direct: int
    portable: int
    found: int


class Priced(NamedTuple):
    """What one tally costs towards one target, in hundredths of a point: ``scattered``
    is weighted by its source's scatter, ``flat`` is not. ``data``: findings that also
    mean stored data to rebuild (counted apart, not in lines)."""

    path: str
    rule: str
    source: str
    scattered: int
    flat: int
    found: int
    data: int = 0


def tally(findings: Iterable[Finding], ruleset: RuleSet, flow: Flow) -> list[Tally]:
    rules = ruleset.by_id
    counts: dict[tuple[str, str, str], list[int]] = {}
    roles: dict[tuple[str, str, str], tuple[str, str]] = {}
    seen: set[tuple[str, str, str]] = set()
    for f in findings:
        if f.rule not in rules:
            continue
        key = (f.path, f.rule, f.vendor)
        if key not in counts:
            counts[key] = [0, 0, 0]
            roles[key] = (f.role, f.kind)
        entry = counts[key]
        entry[2] += 1
        if not is_code(f.path) or (f.role in cal.DEDUPED_ROLES and f.kind == "model_id"):
            # Outside code the same string in the same file is one edit.
            if (f.path, f.rule, f.message) in seen:
                continue
            seen.add((f.path, f.rule, f.message))
        entry[1 if f.via in flow.layers or (f.path, f.rule) in flow.portable_via else 0] += 1
    return [Tally(path, rule, vendor, *roles[(path, rule, vendor)], *n)
            for (path, rule, vendor), n in sorted(counts.items())]


class RulePoints(NamedTuple):
    """A rule's price towards one target, worked out once per rule, not per finding."""

    value: int  # its points (cents)
    read: int  # a read of a legacy response
    repoint: int  # a finding of another vendor whose API the target speaks
    stays: bool  # the rule says its site needs nothing for the target: no ride-along
    legacy: bool  # its API is a legacy surface: its file is rewritten
    servable: bool  # an adapter that already talks to the target can take it over


Points = dict[str, RulePoints]  # rule id -> its price towards the target
REPOINT_KINDS = frozenset({"client", "env_var", "credential"})
REPOINT = 1  # a client or key of another host that speaks the same API: point it there
# What rewrites the code around it when it changes: the other sites of the vendor in the
# file ride along. Re-pointing a client, a key or a model id changes only that line.
REWRITE_KINDS = frozenset({"call", "tool_schema", "response_shape", "prompt_format",
                           "vendor_feature"})



def rule_points(rule_ids: Iterable[str], ruleset: RuleSet, target: str) -> Points:
    """Each rule's points for ``target``, what a read of a legacy response costs (reads
    change in the SDK upgrade whichever target speaks the current API afterwards, unless
    the rule names that target: litellm still reads dict-style responses), and what a
    finding of another vendor costs when the target speaks its API: clients and keys are
    pointed at the new host, the rest stays."""
    rules = ruleset.by_id
    layer = is_portable(ruleset, target)  # reads the providers' own keys: only clients change
    points: Points = {}
    for rule_id in sorted(set(rule_ids)):
        rule = rules[rule_id]
        value = effort_for_target(rule, ruleset, target) * CENTS
        overrides = dict(rule.effort)
        read = value or (overrides["default"] * CENTS if target not in overrides else 0)
        repoint = REPOINT * CENTS if (not value and rule.kind in REPOINT_KINDS
                                      and not (layer and rule.kind != "client")
                                      and target not in overrides) else value
        points[rule_id] = RulePoints(value, read, repoint, overrides.get(target) == 0,
                                     rule.api in LEGACY_APIS, servable(rule))
    return points


class Site(NamedTuple):
    """A tally with what does not depend on the target, worked out once per scan rather
    than once per target (a scan prices every target)."""

    tally: Tally
    source: str
    in_code: bool
    share: float  # its role's share
    legacy_read: bool  # a read of a legacy response
    catalog: bool  # a model id outside code: a file of them is priced as one choice
    scattered: bool  # production code: weighted by its source's scatter
    data: bool  # its role holds real stored data
    rewrites: bool  # its kind rewrites the code around it when it costs something


FileSites = tuple[Site, ...]  # the sites of one file, in tally order


def sites_of(tallies: Iterable[Tally], flow: Flow) -> dict[str, list[FileSites]]:
    """Each source's sites, grouped by file (a rewrite makes the sites of its source in
    its file ride along): one source's code is priced apart from the others'."""
    by_source: dict[str, dict[str, list[Site]]] = {}
    for t in tallies:
        in_code = is_code(t.path)
        source = flow.source_of(t.rule, t.vendor)
        by_source.setdefault(source, {}).setdefault(t.path, []).append(Site(
            t, source, in_code, cal.ROLE_SHARE.get(t.role, 1.0),
            t.kind == "response_shape" and (t.path, t.vendor) in flow.legacy_reads,
            t.kind == "model_id" and not in_code, t.role == "production" and in_code,
            t.role in DATA_ROLES, t.kind in REWRITE_KINDS))
    return {source: [tuple(group) for group in files.values()]
            for source, files in by_source.items()}


def price(files: Sequence[FileSites], flow: Flow, target: str, points: Points) -> list[Priced]:
    """The sites that cost something towards ``target``, priced (steps 1-4). This loop
    runs once per site and target (a scan prices every target), hence its plain style."""
    to_layer = target in flow.layers
    has_adapters = target in flow.adapters  # else nothing sits beside one
    most = cal.MOST_PER_SITE * CENTS
    ride_along = cal.RIDE_ALONG * CENTS
    data_floor = DATA_MIGRATION * CENTS
    supported, portable_share = cal.SUPPORTED_SHARE, cal.PORTABLE_SHARE
    out: list[Priced] = []
    append = out.append
    new = _new_priced
    for sites in files:
        values = []
        touched: set[str] = set()  # sources whose code in this file must change
        for site in sites:
            t = site.tally
            rule_points = points[t.rule]
            if site.legacy_read:
                value = rule_points.read
            elif t.vendor != target:
                value = rule_points.repoint
            else:
                value = rule_points.value
            values.append(value)
            if value and (site.rewrites or rule_points.legacy):
                touched.add(site.source)  # a legacy client is rewritten, not re-pointed
        beside: dict[str, bool] = {}  # source -> beside an adapter
        for site, value in zip(sites, values, strict=True):
            rewritten = site.source in touched
            if not value and not rewritten:
                continue
            t = site.tally
            rule_points = points[t.rule]
            data = 0
            if value >= data_floor:
                # A portable layer serves the same provider's models: no data to rebuild.
                data = 0 if to_layer else t.direct + t.portable
            # Lines, not effort: a site costs at most a rewrite's points, and in code that
            # changes anyway every site of the vendor rides along with the change (in
            # config, data and manifests every entry stands alone). A rule that says its
            # site needs nothing for this target (litellm keeps OpenAI's response shape)
            # does not ride along either: that line stays as it is.
            if rewritten and site.in_code and not rule_points.stays and value < ride_along:
                value = ride_along
            if value > most:
                value = most
            if not value:
                continue
            if has_adapters and rule_points.servable:
                near = beside.get(site.source)
                if near is None:
                    near = beside[site.source] = flow.beside(t.path, site.source, target,
                                                             t.role)
                if near:
                    value = round(value * supported)
            share = site.share
            if share == 1.0:  # production code: the common case, without rounding
                direct = value * t.direct
                portable = (value if to_layer else round(value * portable_share)) * t.portable \
                    if t.portable else 0
            else:
                direct = round(value * share) * t.direct if t.direct else 0
                portable = (round((value if to_layer else round(value * portable_share)) * share)
                            * t.portable) if t.portable else 0
            if site.catalog:
                # A file of model ids is a catalog: a switch sets its choices, it does not
                # rewrite every entry. One rule's ids there cost at most a rewrite.
                cap = round(most * share)
                direct, portable = min(direct, cap), min(portable, max(cap - direct, 0))
            if direct or portable:
                scattered = direct if site.scattered else 0
                append(new(Priced, (t.path, t.rule, site.source, scattered,
                                    direct - scattered + portable, t.found,
                                    data if site.data else 0)))
    return out


# ``Priced(...)`` goes through a generated Python ``__new__``; a scan builds one per site
# and target (800k on a dense corpus), so price builds them as the tuples they are.
_new_priced = tuple.__new__


class Part(NamedTuple):
    """One source vendor's part of a target: its groups with their shares (cents), the
    scatter factor its production code got, its total and files."""

    source: str
    shares: tuple[tuple[Priced, int], ...]
    factor: float
    cents: int
    files: int


def parts(priced: Sequence[Priced], packages: Mapping[str, str]) -> list[Part]:
    """Step 4: each source vendor's groups weighted by its own scatter, largest part first."""
    by_source: dict[str, list[Priced]] = defaultdict(list)
    for p in priced:
        by_source[p.source].append(p)
    out = []
    for source, members in by_source.items():
        factor = spread_factor(members, packages)
        shares = tuple([(p, round(p.scattered * factor) + p.flat if p.scattered else p.flat)
                        for p in members])
        out.append(Part(source, shares, factor, sum(s for _, s in shares),
                        len({p.path for p, s in shares if s > 0})))
    return sorted(out, key=lambda part: (-part.cents, part.source))


def spread_factor(members: Iterable[Priced], packages: Mapping[str, str]) -> float:
    files = {p.path for p in members if p.scattered > 0}
    return scatter_factor(len(files), len({packages.get(p, p) for p in files}))


def question(source: str, target: str, layers: Iterable[str]) -> str:
    """Which question a part answers, and so its lines per point."""
    if target in layers:
        return "portable"
    return "upgrade" if source == target else "cross"


def lines_of(cents: int) -> int:
    """Points (in cents) as estimated lines to change."""
    return round(cents / CENTS * cal.LINES_PER_POINT)


def interval(lines: int) -> tuple[int, int]:
    low, high = cal.INTERVAL
    return math.floor(lines * low), math.ceil(lines * high)


@functools.lru_cache(maxsize=65536)
def is_code(path: str) -> bool:
    """Python files and notebooks. Manifests and config files add their own points but
    do not count as scatter: a model id in `config.yaml` or a pin in `pyproject.toml` is
    where such things belong, not a sign of coupling spread through the code."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith((".py", ".ipynb")) and name != "setup.py"


def scatter_factor(files: int, packages: int) -> float:
    """1 for one file; grows with the log of files and of top-level packages."""
    if files <= 0:
        return 1.0
    return 1.0 + cal.MODULE_SCATTER * math.log2(files) \
        + cal.PACKAGE_SCATTER * math.log2(max(packages, 1))


def index_for(lines: float) -> int:
    """Saturating curve: 0 at 0, 50 at HALF_LINES, 75 at twice that, never above 100."""
    return round(100 * (1 - 2 ** (-max(lines, 0.0) / cal.HALF_LINES)))


def grade_for(lines: float) -> str:
    for upper, grade in cal.GRADE_BANDS:
        if lines <= upper:
            return grade
    return cal.WORST_GRADE
