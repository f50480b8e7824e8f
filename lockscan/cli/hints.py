"""How the command line tells a user to allow what ``lockscan check`` refused: one line,
naming the config key, the inline ignore and the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lockscan.gates.policy import module_of
from lockscan.gates.staged import NEW, NEW_LEAK, POLICY, UNUSED, Refusal
from lockscan.settings import Settings

_WHAT = {
    NEW_LEAK: "vendor SDK code in a module that had none at HEAD",
    POLICY: "vendor SDK code outside `allowed_modules`",
    NEW: "new coupling (fail_on \"new\")",
    UNUSED: "`# lockscan: ignore` comments that silence nothing",
}


def allow_hint(refused: Sequence[Refusal], settings: Settings, root: Path) -> str:
    """``refused N …; to allow it: …`` for the reasons among ``refused``."""
    reasons = [r for r in _WHAT if any(x.reason == r for x in refused)]
    what = " and ".join(_WHAT[r] for r in reasons)
    where = settings.config_file.name if settings.config_file else "pyproject.toml"
    coupling = [r for r in refused if r.reason != UNUSED]
    ways = []
    if coupling:
        first = coupling[0]
        module = module_of(first.path, root) if first.path.endswith(".py") else first.path
        if NEW_LEAK in reasons:
            ways.append(f"name the modules that may use vendor SDKs in `allowed_modules` "
                        f"([tool.lockscan] in {where}; e.g. \"{module}\")")
        elif POLICY in reasons:
            ways.append(f"add \"{module}\" to `allowed_modules` in {where}")
        ways.append(f"end the line with `# lockscan: ignore[{first.rule}]`")
        ways.append("accept it in a baseline (`lockscan baseline`, then "
                    "`baseline = \"lockscan-baseline.json\"` in [tool.lockscan])")
    if UNUSED in reasons:
        ways.append("remove the unused ignore comments")
    listed = ", ".join(ways[:-1]) + (", or " if len(ways) > 1 else "") + ways[-1]
    return f"refused {len(refused)} change(s): {what}; to allow: {listed}"
