"""Are lockscan's outputs byte-identical at two commits? (a refactor must not change them)

For every sample repo and each bench corpus that exists (``make bench`` builds them), run
the lockscan of each commit on the same input from the same folder and compare the bytes
of: ``scan`` in every format, ``graph`` in every format, ``baseline``, ``config``, and
``diff`` between two commits of a throwaway git repository made from each sample repo
(its second commit adds one module that couples to a vendor).

Each commit is checked out with ``git worktree add --detach`` into a temporary folder and
run as ``python -m lockscan`` with that folder first on ``PYTHONPATH``, so both sides use
this interpreter's dependencies. Prints one line per output, ``same`` or ``DIFFERENT``
(with the first differing line), and exits 1 when anything differs.

    python bench/compare_outputs.py BEFORE AFTER [--corpus stdlib --corpus vendor]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "compared-baseline.json"  # written beside the repository, read back, deleted
SCAN_FORMATS = ("text", "json", "markdown", "sarif")
GRAPH_FORMATS = ("dot", "graphml", "json", "mermaid", "html")
LEAK = '"""A module added by the change under review."""\nimport openai\n\n' \
       'client = openai.OpenAI()\nreply = client.chat.completions.create(model="gpt-4o", ' \
       'messages=[])\nprint(reply.choices[0].message.content)\n'


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def checkout(commit: str, into: Path) -> Path:
    git("worktree", "add", "--detach", "--force", str(into), commit, cwd=ROOT)
    return into


def commands(inputs: list[Path], diff_repos: list[Path]) -> list[tuple[str, list[str], Path]]:
    """(label, lockscan arguments, folder to run in) for every output compared."""
    out: list[tuple[str, list[str], Path]] = []
    for path in inputs:
        rel, cwd = path.name, path.parent
        for fmt in SCAN_FORMATS:
            out.append((f"{rel}: scan --format {fmt}",
                        ["scan", rel, "--format", fmt, "--no-cache", "--jobs", "2"], cwd))
        for fmt in GRAPH_FORMATS:
            out.append((f"{rel}: graph --format {fmt}", ["graph", rel, "--format", fmt], cwd))
        out.append((f"{rel}: config", ["config", rel], cwd))
    for repo in diff_repos:
        for fmt in SCAN_FORMATS:
            out.append((f"{repo.name}: diff --format {fmt}",
                        ["diff", ".", "--base", "HEAD~1", "--head", "HEAD", "--format", fmt], repo))
        out.append((f"{repo.name}: baseline", ["baseline", ".", "--output", BASELINE], repo))
    return out


def run(tree: Path, args: list[str], cwd: Path) -> bytes:
    """Exit code, stdout, stderr and, for ``baseline``, the file it wrote."""
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "100", "NO_COLOR": "1"}
    written = cwd.parent / BASELINE
    args = [str(written) if a == BASELINE else a for a in args]
    done = subprocess.run([sys.executable, "-m", "lockscan", *args], cwd=cwd, env=env,
                          capture_output=True, check=False)
    out = b"exit %d\n" % done.returncode + done.stdout + b"\n--stderr--\n" + done.stderr
    if written.exists():
        out += b"\n--file--\n" + written.read_bytes()
        written.unlink()
    return out.replace(str(written).encode(), BASELINE.encode())


def diff_repo(sample: Path, into: Path) -> Path:
    """A git repository of ``sample`` with a second commit that adds a leaking module."""
    shutil.copytree(sample, into, ignore=shutil.ignore_patterns(".lockscan", "expected.json"))
    ident = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    git("init", "-q", cwd=into)
    git("add", "-A", cwd=into)
    git(*ident, "commit", "-qm", "base", cwd=into)
    (into / "leak_added_by_change.py").write_text(LEAK)
    git("add", "-A", cwd=into)
    git(*ident, "commit", "-qm", "head", cwd=into)
    return into


def first_difference(a: bytes, b: bytes) -> str:
    for number, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if x != y:
            return f"line {number}: {x[:100]!r} != {y[:100]!r}"
    return f"lengths {len(a)} != {len(b)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--corpus", action="append", default=[],
                        help="bench corpus to include (stdlib, vendor; built by make bench)")
    args = parser.parse_args()
    samples = sorted(p for p in (ROOT / "sample_repos").iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory(prefix="lockscan-compare-") as temp:
        work = Path(temp)
        inputs = [Path(shutil.copytree(p, work / "inputs" / p.name,
                                       ignore=shutil.ignore_patterns(".lockscan")))
                  for p in samples]
        for name in args.corpus:
            corpus = ROOT / "bench" / "corpus" / name
            if not corpus.is_dir():
                print(f"no corpus {corpus}; run make bench first", file=sys.stderr)
                return 2
            inputs.append(corpus)
        repos = [diff_repo(p, work / "diffs" / p.name) for p in samples]
        trees = [checkout(args.before, work / "before"), checkout(args.after, work / "after")]
        different = 0
        try:
            for label, argv, cwd in commands(inputs, repos):
                before, after = (run(tree, argv, cwd) for tree in trees)
                if before == after:
                    print(f"same       {label} ({len(after)} bytes)")
                else:
                    different += 1
                    print(f"DIFFERENT  {label}: {first_difference(before, after)}")
                    for side, out in (("before", before), ("after", after)):
                        tail = out.split(b"--stderr--")[-1].strip()[-300:]
                        if tail:
                            print(f"           {side} stderr: {tail.decode(errors='replace')}")
        finally:
            for tree in trees:
                git("worktree", "remove", "--force", str(tree), cwd=ROOT)
        print(f"{different} of {len(commands(inputs, repos))} outputs differ")
        return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
