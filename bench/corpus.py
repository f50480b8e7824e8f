"""Build the benchmark corpora under bench/corpus/ (git-ignored, never committed).

- stdlib: the running interpreter's standard library, tests included (no site-packages).
- vendor: >= 200k lines of vendor-dense code made from sample_repos/ and the rule
  examples, copied into many packages with renamed modules (``pkg_0017.chatbot.llm``),
  so relative and absolute imports between them still resolve.
- stdlib2 / vendor2: each corpus twice, side by side (scaling).

Each corpus is its own git repository with a .gitignore for .lockscan/ and an empty
.semgrepignore, so lockscan (git ls-files) and semgrep (whose default ignores skip
tests/) see the same files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "bench" / "corpus"
VENDOR_LINES = 200_000


def build_all() -> dict[str, Path]:
    CORPUS.mkdir(parents=True, exist_ok=True)
    out = {"stdlib": _stdlib(CORPUS / "stdlib"), "vendor": _vendor(CORPUS / "vendor")}
    out["stdlib2"] = _doubled(out["stdlib"], CORPUS / "stdlib2")
    out["vendor2"] = _doubled(out["vendor"], CORPUS / "vendor2")
    return out


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def _finish(path: Path) -> Path:
    (path / ".gitignore").write_text(".lockscan/\n")
    (path / ".semgrepignore").write_text(".git/\n.lockscan/\n")
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def _stdlib(target: Path) -> Path:
    if (target / ".git").exists():
        return target
    source = Path(sysconfig.get_paths()["stdlib"])
    _fresh(target)
    for path in sorted(source.rglob("*.py")):
        rel = path.relative_to(source)
        if rel.parts[0] in ("site-packages", "dist-packages"):
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    return _finish(target)


def _vendor_templates() -> list[tuple[str, str]]:
    """(relative path, text) of every sample-repo package file and rule example."""
    files = []
    for repo in sorted((ROOT / "sample_repos").iterdir()):
        for path in sorted(repo.rglob("*.py")):
            files.append((str(path.relative_to(repo)), path.read_text("utf-8")))
    for path in sorted((ROOT / "rules").glob("*/examples.py")):
        files.append((f"examples/{path.parent.name}_examples.py", path.read_text("utf-8")))
    return files


def _vendor(target: Path) -> Path:
    if (target / ".git").exists():
        return target
    _fresh(target)
    templates = _vendor_templates()
    top_packages = sorted({rel.split("/")[0] for rel, _ in templates if "/" in rel})
    lines = 0
    copy = 0
    while lines < VENDOR_LINES:
        package = f"pkg_{copy:04d}"
        rename = re.compile(rf"\b({'|'.join(map(re.escape, top_packages))})\b(?=[.\s])")
        for rel, text in templates:
            dest = target / package / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            # Absolute imports of the sample packages point at this copy.
            renamed = rename.sub(lambda m, p=package: f"{p}.{m.group(1)}", text)
            dest.write_text(renamed, encoding="utf-8")
            lines += renamed.count("\n")
        for folder in {(target / package / rel).parent for rel, _ in templates}:
            init = folder / "__init__.py"
            if not init.exists():
                init.write_text("")
        copy += 1
    return _finish(target)


def _doubled(source: Path, target: Path) -> Path:
    if (target / ".git").exists():
        return target
    _fresh(target)
    for half in ("a", "b"):
        shutil.copytree(source, target / half, ignore=shutil.ignore_patterns(".git", ".lockscan"))
    return _finish(target)


def count_lines(root: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in root.rglob("*.py") if ".git" not in p.parts)


if __name__ == "__main__":
    for name, path in build_all().items():
        print(f"{name}: {path} ({count_lines(path)} lines)", file=sys.stderr)
