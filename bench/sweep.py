"""Sweep: scan a large body of real third-party code and count what goes wrong.

    python bench/sweep.py --setup        # once: a fresh virtualenv with the vendor SDKs
    python bench/sweep.py                # scan its site-packages, write bench/SWEEP.md
    python bench/sweep.py DIR --no-full  # any folder; skip the forced full analysis
    python bench/sweep.py --no-scan --sample 8  # full analysis of every 8th file only

Two passes over the same files:
1. ``lockscan.pipeline.scan`` end to end, as a user runs it (prefilter, pool, link): time,
   files, lines, findings, diagnostics by code. An exception here is a crash.
2. ``--full`` (default): every Python file through ``analyze_file`` with full LibCST
   analysis, even those the prefilter would skip, one task per file in a process
   pool. An exception, or an ``analyzer-error`` diagnostic, is a crash; the slowest
   files are listed.
The acceptance bar is 0 crashes.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
import traceback
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from lockscan.engine import analyze_file  # noqa: E402
from lockscan.model.config import ScanConfig, default_jobs  # noqa: E402
from lockscan.pipeline.discover import discover  # noqa: E402
from lockscan.pipeline.scan import scan  # noqa: E402
from lockscan.ruleset import RuleSet, load_rules  # noqa: E402

WORK = HERE / ".work"
VENV = WORK / "venv"
SDKS = [
    "openai", "anthropic", "google-genai", "google-generativeai", "cohere", "mistralai", "groq",
    "together", "replicate", "huggingface_hub", "ollama", "dashscope", "litellm",
    "langchain-openai", "boto3",
]
CRASH_CODES = {"analyzer-error"}


def setup() -> Path:
    """A fresh virtualenv under bench/.work (git-ignored) with the SDKs and their deps."""
    if not (VENV / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet", *SDKS],
                   check=True)
    return site_packages()


def site_packages() -> Path:
    found = sorted((VENV / "lib").glob("python*/site-packages"))
    if not found:
        raise SystemExit("no virtualenv under bench/.work: run `python bench/sweep.py --setup`")
    return found[-1]


_RULES: RuleSet | None = None


def _init(rules: RuleSet) -> None:
    global _RULES
    _RULES = rules


def _full_one(source) -> tuple[str, float, list[tuple[str, str]], str | None]:
    """(path, seconds, diagnostics, crash traceback) for one file, full analysis."""
    assert _RULES is not None
    started = time.perf_counter()
    try:
        with open(source.abspath, "rb") as handle:
            data = handle.read()
        facts = analyze_file(source, data, _RULES, True)
    except Exception:
        return source.path, time.perf_counter() - started, [], traceback.format_exc()
    diagnostics = [(d.code, d.message) for d in facts.diagnostics]
    return source.path, time.perf_counter() - started, diagnostics, None


def full_pass(root: Path, rules: RuleSet, jobs: int, sample: int = 1) -> dict:
    found = discover(root, kinds=("python",))
    files = [f for f in found.files if f.kind == "python"][::sample]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init, initargs=(rules,)) as pool:
        results = list(pool.map(_full_one, files, chunksize=16))
    elapsed = time.perf_counter() - started
    codes = Counter(code for _, _, diags, _ in results for code, _ in diags)
    crashes = [(path, tb) for path, _, _, tb in results if tb]
    crashes += [(path, msg) for path, _, diags, _ in results for code, msg in diags
                if code in CRASH_CODES]
    examples: dict[str, str] = {}
    for path, _, diags, _ in results:
        for code, message in diags:
            examples.setdefault(code, f"{path}: {message}")
    slowest = sorted(results, key=lambda r: -r[1])[:5]
    return {"files": len(files), "sample": sample, "seconds": elapsed, "codes": codes,
            "crashes": crashes, "lines": sum(_lines(f.abspath) for f in files),
            "examples": examples, "slowest": [(p, s) for p, s, _, _ in slowest]}


def _lines(path: str) -> int:
    with open(path, "rb") as handle:
        return handle.read().count(b"\n")


def scan_pass(root: Path, rules: RuleSet, jobs: int) -> dict:
    started = time.perf_counter()
    try:
        result = scan(root, ScanConfig(jobs=jobs), rules)
    except Exception:
        return {"crash": traceback.format_exc(), "seconds": time.perf_counter() - started}
    elapsed = time.perf_counter() - started
    return {
        "crash": None, "seconds": elapsed, "files": result.summary.files,
        "lines": result.summary.lines, "findings": result.summary.findings,
        "by_vendor": result.summary.by_vendor,
        "codes": Counter(d.code for d in result.diagnostics),
    }


def report(root: Path, scanned: dict | None, full: dict | None, jobs: int) -> str:
    crashes = (1 if scanned and scanned["crash"] else 0) + (len(full["crashes"]) if full else 0)
    out = [
        "# Sweep: lockscan over real third-party code",
        "",
        f"Corpus: `{root}` ({sum(1 for _ in root.rglob('*.py'))} .py files on disk).",
        f"Machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, jobs={jobs}, load average at the end "
        f"{os.getloadavg()[0]:.1f} (times are wall clock, shared machine). "
        "Command: `python bench/sweep.py`.",
        "",
        f"**Crashes: {crashes}**",
        "",
    ]
    if scanned and scanned["crash"]:
        out += ["", "## End-to-end scan (`lockscan.pipeline.scan`, default config)",
                "", "```", scanned["crash"], "```"]
    elif scanned:
        lines_per_s = scanned["lines"] / scanned["seconds"] if scanned["seconds"] else 0
        out += [
            "## End-to-end scan (`lockscan.pipeline.scan`, default config)",
            "",
            f"- files: {scanned['files']}, lines: {scanned['lines']}, "
            f"time: {scanned['seconds']:.1f} s ({lines_per_s:,.0f} lines/s)",
            f"- findings: {scanned['findings']} {dict(scanned['by_vendor'])}",
            f"- diagnostics by code: {dict(sorted(scanned['codes'].items()))}",
        ]
    if full:
        out += [
            "",
            "## Forced full analysis (LibCST + visitor), "
            + ("every Python file" if full["sample"] == 1 else f"one Python file in {full['sample']}"),
            "",
            f"- files: {full['files']}, lines: {full['lines']}, time: {full['seconds']:.1f} s",
            f"- diagnostics by code: {dict(sorted(full['codes'].items()))}",
            "- one example per code:",
            *[f"  - `{code}`: {example[:300]}" for code, example in sorted(full["examples"].items())],
            "- slowest files:",
            *[f"  - {path}: {seconds:.2f} s" for path, seconds in full["slowest"]],
        ]
        for path, detail in full["crashes"]:
            out += ["", f"### crash: {path}", "", "```", detail.strip(), "```"]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, help="folder to sweep (default: the SDK venv)")
    parser.add_argument("--setup", action="store_true", help="create the SDK virtualenv first")
    parser.add_argument("--no-full", dest="full", action="store_false",
                        help="skip the forced full analysis of every file")
    parser.add_argument("--no-scan", dest="scan", action="store_false",
                        help="skip the end-to-end scan")
    parser.add_argument("--sample", type=int, default=1, metavar="K",
                        help="full analysis of every K-th file only (bounded time)")
    parser.add_argument("--jobs", "-j", type=int, default=default_jobs())
    parser.add_argument("--output", type=Path, default=HERE / "SWEEP.md")
    args = parser.parse_args()
    root = args.root or (setup() if args.setup else site_packages())
    rules = load_rules()
    scanned = scan_pass(root, rules, args.jobs) if args.scan else None
    if scanned:  # written at once: the full pass can take much longer
        args.output.write_text(report(root.resolve(), scanned, None, args.jobs), encoding="utf-8")
    full = full_pass(root, rules, args.jobs, args.sample) if args.full else None
    text = report(root.resolve(), scanned, full, args.jobs)
    args.output.write_text(text, encoding="utf-8")
    print(text)
    crashed = (scanned and scanned["crash"]) or (full and full["crashes"])
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
