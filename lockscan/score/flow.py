"""Where a finding's value goes, as far as the score can tell: whose code it is (its
source), whether it reaches models through a portable layer, whether its vendor's
responses there are legacy ones, and which targets the code already talks to.

The engine records a finding's ``via`` when the call itself is a portable layer's
(`litellm.completion`). Until it follows values, the score also takes a shape (tool
schema, message, response read, prompt format) in a file whose model calls all go
through one portable layer that speaks that shape as flowing into that layer: OpenAI
tool lists passed to `litellm.completion` and `choices[0]` reads of its answers are
then priced as portable. docs/scoring.md, "Portability follows the value"."""

from __future__ import annotations

import functools
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from lockscan.graph import ModuleGraph
from lockscan.model import CALL_KINDS, Finding
from lockscan.ruleset import Rule, RuleSet
from lockscan.score.targets import DATA_MIGRATION, LEGACY_APIS, known_targets

SHAPE_KINDS = frozenset({"tool_schema", "response_shape", "prompt_format"})

@dataclass(frozen=True)
class Flow:
    """The per-scan facts pricing needs beyond each finding's rule and role."""

    portable_via: Mapping[tuple[str, str], str]  # (path, rule) -> inferred portable layer
    legacy_reads: frozenset[tuple[str, str]]  # (path, vendor) reading legacy responses
    supported_by: Mapping[str, tuple[str, ...]]  # target -> production files that talk to it
    serves: Mapping[str, frozenset[str]]  # target -> what those files serve (``capability``)
    needs: Mapping[str, frozenset[str]]  # vendor -> what its production calls serve
    layers: frozenset[str]  # portable layers
    words: Mapping[str, frozenset[str]]  # vendor -> words a folder named for it contains
    # target -> (its adapter files, their folders, those folders' parents), as sets: the
    # score asks `beside` once per file, source and target.
    adapters: Mapping[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]

    def source_of(self, rule: str, vendor: str) -> str:
        """Whose code a finding is: its vendor, which for a portable layer's rule that
        names a provider is that provider (`ChatOpenAI(...)` is OpenAI code written through
        LangChain, `via` langchain)."""
        return vendor

    def beside(self, path: str, source: str, target: str, role: str) -> bool:
        """Whether ``path`` (code of ``source``, a file of ``role``) sits beside an adapter
        of ``target``, so that choosing the target leaves it alone (for a ``servable``
        rule's sites): in the same file, in a sibling module (``providers/openai.py``
        beside ``providers/anthropic.py``), in a folder named for its vendor beside the
        adapter's folder (``conversation/openai/`` beside ``conversation/anthropic/``), or
        a test named for its vendor in its file or a folder (``models/test_openai.py``,
        ``llms/openai/`` in a test folder): the tests of that vendor's adapter, which go
        with the adapter when another one takes its place."""
        near = self.adapters.get(target)
        if near is None or source == target:
            return False
        files, folders, parents = near
        folder = posixpath.dirname(path)
        if path in files or folder in folders:
            return True
        words = self.words.get(source, frozenset())
        if role == "test":
            *names, name = path.split("/")
            if any(_names_vendor(part, words) for part in (*names, name.rsplit(".", 1)[0])):
                return True
        return _names_vendor(folder, words) and posixpath.dirname(folder) in parents


def servable(rule: Rule) -> bool:
    """What an adapter that already talks to the target takes over: the vendor's code,
    its features too (prompt caching, thinking: the adapter uses the target's own, or the
    product does without), but not stored data (vectors, fine-tunes), which is rebuilt
    whichever adapter serves it."""
    return dict(rule.effort)["default"] < DATA_MIGRATION


@functools.lru_cache(maxsize=4096)
def _names_vendor(folder: str, words: frozenset[str]) -> bool:
    """Whether the folder's name says it holds one vendor's code (the same for every
    target: asked once per folder rather than per file and target)."""
    name = posixpath.basename(folder).lower()
    return any(word in name for word in words)


def _folders(paths: Iterable[str]) -> frozenset[str]:
    return frozenset(posixpath.dirname(p) for p in paths)


def adapters_of(supported_by: Mapping[str, Sequence[str]]
                ) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]:
    """Per target: its adapter files, their folders and those folders' parents."""
    out = {}
    for target, paths in supported_by.items():
        if paths:
            folders = _folders(paths)
            out[target] = (frozenset(paths), folders, _folders(folders))
    return out


GENERIC_WORDS = frozenset({"model", "family", "endpoint", "compatible", "microsoft", "meta",
                           "alibaba"})


def vendor_words(ruleset: RuleSet) -> dict[str, frozenset[str]]:
    """Words a folder named for a vendor contains: its id and the long words of its name
    (`google` and `gemini` for "Google Gemini")."""
    return {v.id: frozenset({v.id} | {w for w in re.split(r"[^a-z0-9]+", v.name.lower())
                                      if len(w) >= 4 and w not in GENERIC_WORDS})
            for v in ruleset.vendors}


def flow_of(findings: Sequence[Finding], ruleset: RuleSet, graph: ModuleGraph | None) -> Flow:
    rules = ruleset.by_id
    layers = frozenset(v.id for v in ruleset.vendors if v.portable) | {"litellm"}
    known = set(known_targets(ruleset))
    kept = [f for f in findings if f.rule in rules]
    supported_by, serves = _supported(kept, rules, layers, known)
    return Flow(
        portable_via=_portable_via(kept, rules, ruleset, layers, graph),
        legacy_reads=legacy_scope(kept, rules, graph),
        supported_by=supported_by,
        serves=serves,
        needs=_needs(kept, rules),
        layers=layers,
        words=vendor_words(ruleset),
        adapters=adapters_of(supported_by),
    )


def _portable_via(findings: Sequence[Finding], rules: Mapping[str, Rule], ruleset: RuleSet,
                  layers: frozenset[str], graph: ModuleGraph | None) -> dict[tuple[str, str], str]:
    """(path, rule) of shapes that flow into or out of a portable layer: in a file (or,
    for a file without calls, its import neighbours) whose model calls all go through
    one portable layer that speaks the shape's API, and none direct to the shape's vendor."""
    layer_calls: dict[str, set[str]] = defaultdict(set)  # path -> layers called there
    direct: dict[str, set[str]] = defaultdict(set)  # path -> vendors called directly
    roles = {f.path: f.role for f in findings}
    for f in findings:
        if f.kind in CALL_KINDS:
            via = f.via if f.via in layers else None
            (layer_calls[f.path].add(via) if via else direct[f.path].add(f.vendor))
    speaks = {v.id: frozenset(v.apis) for v in ruleset.vendors if v.id in layers}
    found: dict[tuple[str, str], str] = {}
    for f in findings:
        rule = rules[f.rule]
        if f.via is not None or f.kind not in SHAPE_KINDS or f.vendor in layers:
            continue
        key = (f.path, f.rule)
        if key in found:
            continue
        reach, own = layer_calls.get(f.path, set()), direct.get(f.path, set())
        if not reach and not own and f.role == "production" and graph is not None \
                and f.path in graph:
            near = [p for p in (*graph.imports_of(f.path), *graph.importers(f.path))
                    if roles.get(p) == "production"]
            reach = set().union(*(layer_calls.get(p, set()) for p in near))
            own = set().union(*(direct.get(p, set()) for p in near))
        if len(reach) == 1 and rule.vendor not in own:
            layer = next(iter(reach))
            if rule.api in speaks.get(layer, ()):
                found[key] = layer
    return found


def legacy_scope(findings: Iterable[Finding], rules: Mapping[str, Rule],
                 graph: ModuleGraph | None) -> frozenset[tuple[str, str]]:
    """(path, vendor) pairs whose reads of that vendor's responses are legacy reads.

    A legacy call's response (openai<1.0 returned dicts, 1.x returns typed objects) is
    read in the file that makes the call or sets up the legacy client, or in a module it
    imports or is imported by, where it is passed to or returned; those reads change in
    the upgrade. The set only grows as findings are added, which keeps the score monotone."""
    calls = {(f.path, f.vendor, f.role == "production") for f in findings
             if f.kind in CALL_KINDS and rules[f.rule].api in LEGACY_APIS}
    scope = {(path, vendor) for path, vendor, _ in calls}
    for path, vendor, production in calls:
        # Only production code passes its responses on: a test's legacy call makes the
        # test's own reads legacy, not those of the modules it imports.
        if production and graph is not None and path in graph:
            scope.update((n, vendor) for n in (*graph.importers(path), *graph.imports_of(path)))
    return frozenset(scope)


def capability(rule: Rule) -> str:
    """What a call serves: ``embeddings`` (a vector store's model) or ``generation`` (chat,
    completions, tools and the rest). An embeddings adapter does not take over chat code."""
    # Rule ids and APIs name embeddings consistently (`openai.embeddings`, `cohere.embed`,
    # `langchain.embeddings-google`, api `gemini-embeddings`): read from the names.
    named = f"{rule.id.split('.', 1)[-1]} {rule.api or ''}"
    return "embeddings" if "embed" in named else "generation"


def _served(finding: Finding, rule: Rule) -> str | None:
    """What one production call or client serves (``capability``); None for an SDK client,
    which serves what is called on it and says nothing by itself."""
    return None if finding.kind == "client" and finding.via is None else capability(rule)


def _files_serve(served: Iterable[set[str]]) -> frozenset[str]:
    """What a set of files serves; a file that only builds a client is taken to generate."""
    return frozenset().union(*(found or {"generation"} for found in served))


def _supported(findings: Sequence[Finding], rules: Mapping[str, Rule], layers: frozenset[str],
               known: set[str]) -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """Target -> the production files whose code already talks to it (a call or client
    of its current API, a portable layer's client, call or model string naming it:
    `ChatAnthropic(...)`, `litellm.completion(model="anthropic/...")`, or a call of the
    portable layer itself), those that generate first, most sites first; and target ->
    what those files serve (``capability``)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    sites: Counter[tuple[str, str]] = Counter()  # (target, path) -> its sites there
    for f in findings:
        rule = rules[f.rule]
        if f.role != "production" or rule.api in LEGACY_APIS:
            continue
        if f.kind in CALL_KINDS or (f.via in layers and f.kind == "model_id"):
            sites[(f.vendor, f.path)] += 1
            served = found[f.vendor][f.path]
            what = _served(f, rule)
            if what is not None:
                served.add(what)
    # The adapter named first is the one a reader would open: one that generates, with
    # the most of the target's calls and clients (`models/openai/responses.py` rather
    # than `agent/_init.py`, which builds a default client).
    files = {t: _adapters_first(t, paths, sites) for t, paths in sorted(found.items())
             if t in known}
    return files, {t: _files_serve(found[t].values()) for t in files}


def _adapters_first(target: str, paths: Mapping[str, set[str]],
                    sites: Mapping[tuple[str, str], int]) -> tuple[str, ...]:
    return tuple(sorted(paths, key=lambda p: (bool(paths[p]) and "generation" not in paths[p],
                                              -sites[(target, p)], p)))


def _needs(findings: Sequence[Finding], rules: Mapping[str, Rule]) -> dict[str, frozenset[str]]:
    """Vendor -> what its production calls serve, legacy ones included (``capability``,
    as ``_supported`` reads a file): a target must serve all of it to count as already
    supporting a move of that code."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in findings:
        if f.role == "production" and f.kind in CALL_KINDS:
            served = found[f.vendor][f.path]
            what = _served(f, rules[f.rule])
            if what is not None:
                served.add(what)
    return {vendor: _files_serve(paths.values()) for vendor, paths in found.items()}
