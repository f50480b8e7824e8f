"""Post-scan checks: the gateway policy and the ``fail_on`` conditions.

Both are pure functions of a ``ScanResult`` and the settings; the CLI turns the
lines ``failures`` returns into exit code 1.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from lockscan.model import Finding, PolicyReport, PolicyViolation, ScanResult, Summary
from lockscan.pipeline.discover import module_name
from lockscan.settings.load import Condition

# SDK coupling that belongs behind a gateway; string mentions, manifests and
# response shapes are coupling too, but moving them is not what a gateway is for.
POLICY_KINDS = frozenset({"import", "client", "call"})
SOURCE_SUFFIXES = (".py", ".ipynb")


def is_path_pattern(pattern: str) -> bool:
    """``app/llm/**`` or ``app/gateway.py`` is a path glob; ``app.llm`` a module name."""
    return "/" in pattern or pattern.endswith(SOURCE_SUFFIXES)


def allowed(path: str, module: str, patterns: Iterable[str]) -> bool:
    for pattern in patterns:
        if is_path_pattern(pattern):
            folder = pattern.rstrip("/").removesuffix("/**")
            if fnmatch.fnmatchcase(path, pattern) or path.startswith(folder + "/"):
                return True
        elif (module == pattern or module.startswith(pattern + ".")
              or fnmatch.fnmatchcase(module, pattern)):
            return True
    return False


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


def failures(conditions: Iterable[Condition], result: ScanResult,
             new: Sequence[Finding]) -> list[str]:
    """One line per ``fail_on`` condition that holds; ``new`` is the coupling that counts
    as new here (added by a diff, missing from the baseline, or every finding)."""
    lines = []
    for condition in conditions:
        line = _failure(condition, result, new)
        if line:
            lines.append(f"fail_on {condition.text!r}: {line}")
    return lines


def _failure(condition: Condition, result: ScanResult, new: Sequence[Finding]) -> str | None:
    if condition.kind == "new" and new:
        first = new[0]
        return (f"{len(new)} new finding(s), first {first.path}:{first.line} {first.rule}; "
                "remove the coupling, suppress it inline or update the baseline")
    if condition.kind == "policy" and result.policy and result.policy.violations:
        first = result.policy.violations[0]
        return (f"{len(result.policy.violations)} policy violation(s), first "
                f"{first.path}:{first.line} {first.rule}; move vendor code into the "
                "allowed modules")
    if condition.kind == "unused-ignore":
        unused = [d for d in result.diagnostics if d.code == "unused-ignore"]
        if unused:
            return f"{len(unused)} unused `# lockscan: ignore` comment(s), first {unused[0].path}"
    if condition.kind == "threshold":
        over = []
        for target, cost in sorted(result.switch_cost.items()):
            if condition.target not in (None, target):
                continue
            value = cost.effort if condition.metric == "effort" else cost.index
            if value > condition.limit:
                over.append(f"{target} {condition.metric} {_number(value)} > "
                            f"{_number(condition.limit)}")
        if over:
            return "; ".join(over)
    return None


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


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
                   summary=resummarize(result, findings))


def resummarize(result: ScanResult, findings: Sequence[Finding]) -> Summary:
    """The summary counts for a subset of a result's findings (file counts unchanged)."""
    by_vendor = Counter(f.vendor for f in findings)
    by_kind = Counter(f.kind for f in findings)
    return replace(result.summary, findings=len(findings),
                   by_vendor=dict(sorted(by_vendor.items())),
                   by_kind=dict(sorted(by_kind.items())))
