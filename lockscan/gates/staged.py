"""The pre-commit verdict (``lockscan check``): which of the staged files' coupling the
commit adds, compared with HEAD, and which of that it refuses.

A commit is refused for what it adds, never for what HEAD already had:

- with ``allowed_modules``: a policy violation (vendor SDK import, client or call outside
  the gateway) that HEAD's version of the file did not have;
- without: vendor SDK coupling in a production module that had none at HEAD (a new
  leak); more coupling in a module that already has it is allowed;
- ``fail_on = ["new"]``: a finding not in the baseline, or without a baseline, one HEAD's
  version of the file did not have; ``"unused-ignore"``: such a comment in the files.

HEAD is read only for the files that hold a candidate, with one ``git cat-file`` call:
an unchanged file is skipped, a file HEAD lacks is new; a changed one is analyzed from
HEAD's bytes alone, and linked against the rest of the repository (its facts from the
cache) only when its own findings cannot settle it. A commit that touches no vendor
code costs nothing more than the scan.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lockscan.engine.analyzer import Analyzer, analyze_file
from lockscan.engine.findings import with_fingerprints
from lockscan.engine.suppressions import apply_suppressions
from lockscan.gates.policy import POLICY_KINDS, SOURCE_SUFFIXES, module_of
from lockscan.model import FileFacts, Finding, ScanConfig, ScanResult, SourceFile
from lockscan.pipeline.discover import classify
from lockscan.ruleset import RuleSet

NEW_LEAK = "new-leak"
POLICY = "policy"
NEW = "new"
UNUSED = "unused-ignore"


@dataclass(frozen=True, slots=True)
class Refusal:
    """One thing the commit may not add: where, the rule, what, and why (``reason``:
    ``new-leak``, ``policy``, ``new`` or ``unused-ignore``)."""

    path: str
    line: int
    column: int
    rule: str
    message: str
    reason: str
    module: str = ""

    @property
    def line_text(self) -> str:
        """``path:line:col: rule message``, as ruff and compilers print, for editors."""
        return f"{self.path}:{self.line}:{self.column}: {self.rule} {self.message}"


@dataclass(frozen=True, slots=True)
class Candidates:
    """What the commit might be refused for, before HEAD is asked."""

    leaks: tuple[Finding, ...] = ()  # SDK coupling, when no gateway is configured
    violations: tuple[Finding, ...] = ()  # outside the gateway
    new: tuple[Finding, ...] = ()  # fail_on "new" without a baseline
    settled: tuple[Refusal, ...] = ()  # refused whatever HEAD had

    @property
    def paths(self) -> list[str]:
        return sorted({f.path for f in (*self.leaks, *self.violations, *self.new)})

    def of(self, path: str) -> Candidates:
        """The candidates in one file."""
        return Candidates(*(tuple(f for f in items if f.path == path)
                            for items in (self.leaks, self.violations, self.new)))


def candidates(result: ScanResult, flags: Iterable[str], has_baseline: bool) -> Candidates:
    """``result`` narrowed to the staged files, and the ``fail_on`` flags in force."""
    flags = set(flags)
    gateway = result.policy is not None
    leaks: tuple[Finding, ...] = ()
    violations: tuple[Finding, ...] = ()
    if POLICY in flags and gateway:
        violating = {v.fingerprint for v in result.policy.violations} if result.policy else set()
        violations = tuple(f for f in result.findings if f.fingerprint in violating)
    elif POLICY in flags:
        leaks = tuple(f for f in result.findings if is_sdk(f) and f.role == "production")
    settled: list[Refusal] = []
    new: tuple[Finding, ...] = ()
    if NEW in flags and has_baseline:  # the baseline says what is new
        settled += [_refusal(f, NEW) for f in result.findings]
    elif NEW in flags:
        new = result.findings
    if UNUSED in flags:
        settled += [Refusal(d.path, _line_of(d.message), 1, "unused-ignore", d.message, UNUSED)
                    for d in result.diagnostics if d.code == UNUSED]
    return Candidates(leaks, violations, new, tuple(settled))


def is_sdk(finding: Finding) -> bool:
    return finding.kind in POLICY_KINDS and finding.path.endswith(SOURCE_SUFFIXES)


def refusals(found: Candidates, at_head: Mapping[str, Sequence[Finding] | None]) -> list[Refusal]:
    """What the commit adds, among ``found``; ``at_head``: HEAD's findings of each
    candidate file (None: HEAD has no such file)."""
    out = list(found.settled)
    for finding in found.leaks:
        before = at_head.get(finding.path) or ()
        if not any(is_sdk(f) for f in before):
            out.append(_refusal(finding, NEW_LEAK))
    for reason, items in ((POLICY, found.violations), (NEW, found.new)):
        for finding in items:
            before_prints = {f.fingerprint for f in at_head.get(finding.path) or ()}
            if finding.fingerprint not in before_prints:
                out.append(_refusal(finding, reason))
    return sorted(set(out), key=lambda r: (r.path, r.line, r.column, r.rule, r.reason))


def _refusal(finding: Finding, reason: str) -> Refusal:
    return Refusal(finding.path, finding.line, finding.column, finding.rule, finding.message,
                   reason)


def _line_of(message: str) -> int:
    head = message.split(":", 1)[0]
    return int(head[5:]) if head.startswith("line ") and head[5:].isdigit() else 1


# --------------------------------------------------------------------------- HEAD


def head_findings(root: Path, config: ScanConfig, rules: RuleSet, cache_path: Path | None,
                  versions: Mapping[str, bytes | None], current: Mapping[str, Sequence[Finding]],
                  wanted: Mapping[str, Candidates] | None = None
                  ) -> dict[str, Sequence[Finding] | None]:
    """HEAD's findings of each file of ``versions`` (path -> HEAD's bytes, None when HEAD
    lacks it), as far as they decide ``wanted`` (path -> that file's candidates; None:
    all of them). ``current``: the file's findings now, HEAD's when the bytes are equal."""
    out: dict[str, Sequence[Finding] | None] = {}
    analyzer = Analyzer(rules)
    undecided: dict[str, bytes] = {}
    for path, data in versions.items():
        if data is None:
            out[path] = None
            continue
        if _same(root / path, data):
            out[path] = current.get(path, ())
            continue
        facts = analyze_file(_source(root, path, str(root / path)), data, analyzer, True)
        own = with_fingerprints(apply_suppressions([facts]))
        need = (wanted or {}).get(path)
        if facts.deferred and (need is None or not _settled(need, own)):
            undecided[path] = data  # a call through another module's export: link it
        else:
            out[path] = own
    if undecided:
        out.update(_linked_at_head(root, config, rules, cache_path, undecided))
    return out


def _settled(need: Candidates, own: Sequence[Finding]) -> bool:
    """Whether a file's own findings at HEAD decide its candidates: SDK coupling it had
    settles leaks; fingerprints it had settle the rest (linking only adds findings)."""
    prints = {f.fingerprint for f in own}
    return ((not need.leaks or any(is_sdk(f) for f in own))
            and all(f.fingerprint in prints for f in (*need.violations, *need.new)))


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _source(root: Path, path: str, abspath: str) -> SourceFile:
    kind = classify(path) or "python"
    module = module_of(path, root) if kind == "python" else None
    return SourceFile(path, abspath, kind, module)


def _linked_at_head(root: Path, config: ScanConfig, rules: RuleSet, cache_path: Path | None,
                    versions: Mapping[str, bytes]) -> dict[str, Sequence[Finding] | None]:
    """The repository as it is, with ``versions`` in place of those files, linked: the
    HEAD findings of those files (others' facts come from the cache when there is one)."""
    from lockscan.cache.store import FactsCache
    from lockscan.pipeline.analysis import Cached, Direct, analyze_all
    from lockscan.pipeline.discover import discover
    from lockscan.pipeline.link import link

    found = discover(root, config.include, config.exclude, config.kinds, config.max_file_size)
    with tempfile.TemporaryDirectory(prefix="lockscan-head-") as temp:
        swapped = {}
        for index, (path, data) in enumerate(sorted(versions.items())):
            copy = Path(temp) / f"{index}{Path(path).suffix}"
            copy.write_bytes(data)
            swapped[path] = str(copy)
        files = [replace(s, abspath=swapped[s.path]) if s.path in swapped else s
                 for s in found.files]
        files += [_source(root, p, a) for p, a in swapped.items()
                  if p not in {s.path for s in found.files}]
        analyzer = Analyzer(rules)
        cache = FactsCache.open(cache_path) if cache_path else None
        try:
            analysis = (Direct(analyzer, config.jobs) if cache is None
                        else Cached(analyzer, config.jobs, cache))
            facts: list[FileFacts] = analyze_all(files, analysis)[0]
        finally:
            if cache is not None:
                cache.close()
    wanted = [f for f in link(facts, rules) if f.path in versions]
    findings = with_fingerprints(apply_suppressions(wanted))
    return {path: [f for f in findings if f.path == path] for path in versions}
