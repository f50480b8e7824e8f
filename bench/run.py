"""Benchmark lockscan against semgrep on the corpora of bench/corpus.py.

For each corpus: lockscan cold (cache deleted first; the run fills it), warm (nothing
changed), incremental (one file edited), pre-commit (``lockscan check`` on that file,
edited once more, as the hook runs it), and semgrep with bench/semgrep-rules.yml.
Cold and semgrep run once; the sub-second runs take the best of three, which a busy
machine disturbs less. Wall time, lines/s and peak RSS (``os.wait4`` on the child,
which covers its waited-for children such as semgrep-core) are written to
bench/RESULTS.md, each lockscan time also as a ratio to semgrep's from the same run.

Usage: python bench/run.py [corpus ...]   (default: stdlib vendor stdlib2 vendor2)
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ROOT, build_all, count_lines

RULES = ROOT / "bench" / "semgrep-rules.yml"
RESULTS = ROOT / "bench" / "RESULTS.md"
WORK = ROOT / "bench" / ".work"
ORDER = ("stdlib", "vendor", "stdlib2", "vendor2")


@dataclass
class Run:
    corpus: str
    tool: str
    seconds: float
    rss_mb: float
    findings: int
    lines: int


def timed(command: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(out, "wb") as stdout:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.DEVNULL,
                                   cwd=ROOT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed; see {out}")
    return seconds, usage.ru_maxrss / 1024


def lockscan(corpus: Path, out: Path) -> tuple[float, float, int]:
    return _lockscan_json(["scan", str(corpus)], out)


def precommit(corpus: Path, staged: Path, out: Path) -> tuple[float, float, int]:
    return _lockscan_json(["check", "--root", str(corpus), str(staged)], out)


def _lockscan_json(arguments: list[str], out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS and the number of findings of one JSON-reporting run."""
    seconds, rss = timed([sys.executable, "-m", "lockscan", *arguments, "--format", "json"],
                         out)
    return seconds, rss, len(json.loads(out.read_text())["findings"])


def best_of(runs: int, measure) -> tuple[float, float, int]:
    """The fastest of ``runs`` calls of ``measure`` (each must leave the state it found)."""
    return min((measure() for _ in range(runs)), key=lambda result: result[0])


def semgrep(corpus: Path, out: Path) -> tuple[float, float, int]:
    binary = shutil.which("semgrep") or str(Path(sys.executable).parent / "semgrep")
    seconds, rss = timed([binary, "scan", "--config", str(RULES), "--metrics", "off",
                          "--disable-version-check", "--quiet", "--json",
                          "--max-target-bytes", "2000000", "-j", str(os.cpu_count() or 1),
                          str(corpus)], out)
    return seconds, rss, len(json.loads(out.read_text())["results"])


def edit_one_file(corpus: Path) -> tuple[Path, bytes]:
    files = sorted(p for p in corpus.rglob("*.py") if ".git" not in p.parts)
    target = files[len(files) // 2]
    original = target.read_bytes()
    target.write_bytes(original + b"\n# edited by bench/run.py\n")
    return target, original


def bench_corpus(name: str, corpus: Path) -> list[Run]:
    WORK.mkdir(parents=True, exist_ok=True)
    lines = count_lines(corpus)
    runs = []

    def add(tool: str, result: tuple[float, float, int]) -> None:
        runs.append(Run(name, tool, result[0], result[1], result[2], lines))
        print(f"{name:8} {tool:22} {result[0]:8.2f} s {result[1]:7.0f} MB "
              f"{result[2]:6d} findings", file=sys.stderr)

    add("semgrep", semgrep(corpus, WORK / f"{name}-semgrep.json"))
    shutil.rmtree(corpus / ".lockscan", ignore_errors=True)
    add("lockscan cold", lockscan(corpus, WORK / f"{name}-cold.json"))
    add("lockscan warm", best_of(3, lambda: lockscan(corpus, WORK / f"{name}-warm.json")))
    target, original = edit_one_file(corpus)
    try:
        def incremental() -> tuple[float, float, int]:
            target.write_bytes(original + f"\n# edit {time.perf_counter_ns()}\n".encode())
            return lockscan(corpus, WORK / f"{name}-incr.json")

        def staged() -> tuple[float, float, int]:
            target.write_bytes(original + f"\n# staged {time.perf_counter_ns()}\n".encode())
            return precommit(corpus, target, WORK / f"{name}-check.json")

        add("lockscan incremental", best_of(3, incremental))
        add("lockscan pre-commit", best_of(3, staged))
    finally:
        target.write_bytes(original)
    return runs


def table(runs: list[Run]) -> str:
    rows = ["| corpus | lines | tool | wall s | lines/s | peak RSS MB | findings | "
            "time / semgrep |", "|---|---:|---|---:|---:|---:|---:|---:|"]
    reference = {r.corpus: r.seconds for r in runs if r.tool == "semgrep"}
    for r in runs:
        ratio = "" if r.tool == "semgrep" else f"{r.seconds / reference[r.corpus]:.2f}"
        rows.append(f"| {r.corpus} | {r.lines:,} | {r.tool} | {r.seconds:.2f} | "
                    f"{r.lines / r.seconds:,.0f} | {r.rss_mb:.0f} | {r.findings} | {ratio} |")
    return "\n".join(rows)


def scaling(runs: list[Run]) -> str:
    by = {(r.corpus, r.tool): r.seconds for r in runs}
    rows = ["| corpus | tool | doubled / single time |", "|---|---|---:|"]
    for single in ("stdlib", "vendor"):
        for tool in ("semgrep", "lockscan cold", "lockscan warm", "lockscan incremental",
                     "lockscan pre-commit"):
            if (single, tool) in by and (single + "2", tool) in by:
                rows.append(f"| {single} | {tool} | "
                            f"{by[(single + '2', tool)] / by[(single, tool)]:.2f} |")
    return "\n".join(rows)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, load average at the end {load:.1f}")


def main(names: list[str]) -> None:
    corpora = build_all()
    runs: list[Run] = []
    for name in names or ORDER:
        runs.extend(bench_corpus(name, corpora[name]))
        write_results(runs)  # after each corpus, so an interrupted run still reports
    print(RESULTS.read_text())


def write_results(runs: list[Run]) -> None:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.write_text(
        f"# Benchmark results\n\nMeasured {stamp} by `make bench` (`bench/run.py`): cold and "
        f"semgrep once, the others best of three; on: {machine()}.\n\n{table(runs)}\n\n"
        f"## Doubling a corpus\n\n"
        f"{scaling(runs)}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
