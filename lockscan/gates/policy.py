"""The gateway policy: vendor imports, clients and calls belong in ``allowed_modules``.

A pure function of a ``ScanResult`` and the allowed modules; ``restrict`` narrows a
result to some files (``lockscan check``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from lockscan.model import PolicyReport, PolicyViolation, ScanResult
from lockscan.model.result import count_findings
from lockscan.model.source import module_name
from lockscan.settings.modules import SOURCE_SUFFIXES, allowed

# SDK coupling that belongs behind a gateway; string mentions, manifests and
# response shapes are coupling too, but moving them is not what a gateway is for.
POLICY_KINDS = frozenset({"import", "client", "call"})


def module_of(path: str, root: Path) -> str:
    layout = {f"{d}/__init__.py" for d in ("src", "lib") if (root / d / "__init__.py").is_file()}
    return module_name(path, layout)


def check_policy(result: ScanResult, allowed_modules: Sequence[str]) -> ScanResult:
    """Attach a ``PolicyReport`` when a gateway is configured; otherwise return as is."""
    if not allowed_modules:
        return result
    root = Path(result.root)
    root = root if root.is_dir() else root.parent
    violations = []
    for finding in result.findings:
        if finding.kind not in POLICY_KINDS or not finding.path.endswith(SOURCE_SUFFIXES):
            continue
        module = module_of(finding.path, root)
        if allowed(finding.path, module, allowed_modules):
            continue
        violations.append(PolicyViolation(
            path=finding.path, line=finding.line, module=module, rule=finding.rule,
            vendor=finding.vendor, fingerprint=finding.fingerprint,
            message=f"{finding.vendor} {finding.kind} outside the allowed modules: "
                    f"{finding.message}; move it behind {', '.join(allowed_modules)}",
        ))
    return replace(result, policy=PolicyReport(tuple(allowed_modules), tuple(violations)))


def restrict(result: ScanResult, paths: Iterable[str]) -> ScanResult:
    """Only the findings and violations in ``paths`` (``lockscan check FILES``)."""
    wanted = set(paths)
    findings = tuple(f for f in result.findings if f.path in wanted)
    policy = result.policy
    if policy is not None:
        policy = replace(policy, violations=tuple(v for v in policy.violations
                                                  if v.path in wanted))
    diagnostics = tuple(d for d in result.diagnostics if d.path in wanted)
    return replace(result, findings=findings, policy=policy, diagnostics=diagnostics,
                   summary=count_findings(findings, result.summary))
