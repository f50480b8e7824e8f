"""The rule model: a rule, a vendor, and the rule set a scan runs with.

Frozen and picklable (workers receive the rule set once). Compiled forms built from a
rule set (its index, the engine's prefilters) are derived from it by their owners,
never stored in it by a lower layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from lockscan.ruleset.matchers.base import Matcher

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    vendor: str
    kind: str
    message: str
    why: str
    fix: str
    effort: tuple[tuple[str, int], ...]  # ("default", n) first, then per-target overrides
    matcher: Matcher
    api: str | None = None
    via: str | None = None
    confidence: str = "high"
    source: str = ""  # rules file the rule came from
    # Reported only in a file where one of these rules reports too (`import boto3` is
    # Bedrock coupling where the module creates a Bedrock client).
    with_rules: tuple[str, ...] = ()
    # A model_id rule whose match names a model family (`startswith("meta.llama3")`), not
    # a model: the model data has nothing to say of a prefix (lockscan.catalog.models).
    family: bool = False

    def effort_for(self, target: str) -> int:
        table = dict(self.effort)
        return table.get(target, table["default"])


@dataclass(frozen=True, slots=True)
class Vendor:
    id: str
    name: str
    modules: tuple[str, ...] = ()
    apis: tuple[str, ...] = ()  # wire APIs this vendor serves natively, as a migration target
    # Vendors whose model ids this vendor's clients can send ("*": any): a model id is
    # coupling only in a repository that reaches its vendor (lockscan.pipeline.reach).
    serves: tuple[str, ...] = ()
    portable: bool = False  # a portability layer (litellm): findings there are cheap to move
    docs: str = ""
    source: str = ""
    # OpenAI-compatible endpoints: host (or host:port, host/path prefix) -> vendor id,
    # env var holding a base URL -> vendor id, the client constructors whose base-URL
    # keyword selects the vendor, and those keyword names. See docs/rule-authoring.md.
    hosts: tuple[tuple[str, str], ...] = ()
    base_url_env: tuple[tuple[str, str], ...] = ()
    base_url_clients: tuple[str, ...] = ()
    base_url_arguments: tuple[str, ...] = ()
    # Calls whose first literal string argument (or this keyword) is part of the
    # resolved path: ``boto3.client("bedrock-runtime")`` -> ``boto3.client(bedrock-runtime)``.
    argument_calls: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class RuleSet:
    rules: tuple[Rule, ...]
    vendors: tuple[Vendor, ...]
    transparent_attributes: frozenset[str]
    sources: tuple[str, ...] = ()
    digest: str = ""  # hash of every rules file's bytes: part of the cache key

    @cached_property
    def by_id(self) -> Mapping[str, Rule]:
        """Every rule by its id (for loops that look up thousands of findings)."""
        return {rule.id: rule for rule in self.rules}

    @cached_property
    def index(self) -> RuleIndex:
        """The rules grouped by matcher, ready to match facts; built once per rule set
        (and once per worker process)."""
        from lockscan.ruleset.index import RuleIndex

        return RuleIndex(self)

    def get(self, rule_id: str) -> Rule | None:
        return self.by_id.get(rule_id)

    def vendor(self, vendor_id: str) -> Vendor | None:
        return next((v for v in self.vendors if v.id == vendor_id), None)

    def select(self, rule_ids: Iterable[str] = (), disabled: Iterable[str] = ()) -> RuleSet:
        """The same rule set restricted to ``rule_ids`` (if any) minus ``disabled``.

        Both accept exact ids, vendor ids (``openai``) and kinds (``model_id``)."""
        wanted = set(rule_ids)
        dropped = set(disabled)

        def hit(rule: Rule, names: set[str]) -> bool:
            return rule.id in names or rule.vendor in names or rule.kind in names

        kept = tuple(
            r for r in self.rules if (not wanted or hit(r, wanted)) and not hit(r, dropped)
        )
        return RuleSet(kept, self.vendors, self.transparent_attributes, self.sources, self.digest)

    def __getstate__(self) -> dict[str, object]:
        # Compiled forms (the index, regexes) are rebuilt in each worker, not pickled.
        return {name: getattr(self, name) for name in
                ("rules", "vendors", "transparent_attributes", "sources", "digest")}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
