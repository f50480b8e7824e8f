"""``match.lifecycle``: a model id whose lifecycle, on the scan's date, has a status:
``retired`` (past its shutdown date), ``retiring`` (shuts down within the window),
``floating`` (an alias that moves to new snapshots), ``unlisted`` (of a known family,
missing from the model data, and more likely retired or newer than the data).

A status depends on a date, and a date is not a fact of a file: these rules read no file
facts, so per-file analysis (and its cache) never sees them. They are applied after the
scan to the findings of every ``model_id`` rule (``lockscan.pipeline.models``), with the
bundled model data (``lockscan.catalog``). ``unless`` names, as a regex over rule ids,
rules that already say the same thing at the same place (``\\.model-id-floating$``): a
finding of one of them there means this rule stays silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from lockscan.ruleset.matchers.base import Group, Hit, Matcher
from lockscan.ruleset.regex import Regex
from lockscan.ruleset.spec import SpecContext, SpecError, optional_regex, table

LIFECYCLE_STATUSES = ("retired", "retiring", "floating", "unlisted")


@dataclass(frozen=True, slots=True)
class LifecycleMatcher(Matcher):
    status: str
    unless: Regex | None = None

    name: ClassVar[str] = "lifecycle"
    facts: ClassVar[tuple[type, ...]] = ()  # none: applied after the scan

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> LifecycleMatcher:
        fields = table(spec, {"status", "unless"})
        status = fields.get("status")
        if status not in LIFECYCLE_STATUSES:
            raise SpecError(f"`status` must be one of {', '.join(LIFECYCLE_STATUSES)}")
        if context.kind != "model_id":
            raise SpecError("lifecycle rules report on model ids: give them `kind = \"model_id\"`")
        return cls(status, optional_regex(fields, "unless", context.trusted))

    def applies_to(self, file_kind: str) -> bool:
        return False

    def silenced_by(self, rule_id: str) -> bool:
        return self.unless is not None and self.unless.search(rule_id) is not None


class LifecycleGroup(Group[LifecycleMatcher]):
    def match(self, fact: Any) -> list[Hit]:
        return []  # never called: the matcher reads no facts


LifecycleMatcher.group = LifecycleGroup
