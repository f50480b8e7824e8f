"""The PR comment as a reviewer reads it (issue 18): a headline of what the change adds,
what it relaxes in its own gate, only the targets whose cost moved; one Mermaid renderer
that stays within GitHub's limits; SARIF whose results do not repeat their rule."""

from __future__ import annotations

import json
import re

from lockscan.gates.diff import compare
from lockscan.gates.weakening import Weakening
from lockscan.graph import build_graph
from lockscan.model import FileFacts, Finding, ImportRef, ScanResult, Summary, SwitchCost
from lockscan.report import ReportOptions, render
from lockscan.report import mermaid as mermaid_module
from lockscan.report.mermaid import MAX_EDGES, MAX_TEXT, fit, graph_picture
from tests.support.cli import run
from tests.support.git import commit, git
from tests.support.sarif import validate

GATEWAY = {
    "app/__init__.py": "",
    "app/llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask(q):\n"
                  "    return client.chat.completions.create(model=M, messages=q)\n",
    "app/chat.py": "from app.llm import ask\n",
    "app/util.py": "def helper():\n    return 1\n",
    "app/routes.py": "from app.llm import ask\n",  # makes app/llm.py the gateway
}


def _repo(tmp_path, head: dict[str, str]):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, {**GATEWAY, "pyproject.toml": "[tool.lockscan]\njobs = 1\n"}, "base")
    return repo, first, commit(repo, head, "head")


def test_headline_says_in_one_sentence_what_the_change_adds_before_any_table(tmp_path):
    repo, first, second = _repo(tmp_path, {
        "app/chat.py": "from app.llm import ask\nfrom openai import OpenAI\n\n"
                       "OpenAI().chat.completions.create(model=M, messages=[])\n",
        "app/util.py": "import anthropic\n\n\ndef helper():\n    return 1\n",
    })
    code, out, _ = run("diff", str(repo), "--base", first, "--head", second,
                       "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[3] == ("⚠️ **This change brings in 1 new vendor (anthropic), couples 2 more "
                        "modules to a vendor (`app/chat.py`, `app/util.py`), and leaks past "
                        "the gateway `app/llm.py` in `app/chat.py`.**")
    assert lines[5].startswith("4 new findings (openai 3, anthropic 1) · ")
    assert "|" not in "\n".join(lines[:6])  # no table before the headline is said


def test_a_change_inside_already_coupled_modules_says_so(tmp_path):
    repo, first, second = _repo(tmp_path, {
        "app/llm.py": GATEWAY["app/llm.py"] + "\n\ndef embed(t):\n"
                      "    return client.embeddings.create(model=E, input=t)\n"})
    _, out, _ = run("diff", str(repo), "--base", first, "--head", second, "--format", "markdown")
    assert out.splitlines()[3] == ("⚠️ **This change adds coupling only inside 1 module that "
                                   "already had it.**")


def _finding(path: str, vendor: str, fingerprint: str) -> Finding:
    return Finding(f"{vendor}.import", vendor, "import", path, 1, 1, 1, 9, "m", "s",
                   fingerprint=fingerprint)


def _scan(findings, costs) -> ScanResult:
    return ScanResult("repo", Summary(1, 1, 1, len(findings)), tuple(findings), (),
                      switch_cost={t: SwitchCost(t, e, int(e), "C", lines=int(e))
                                   for t, e in costs.items()})


def test_only_targets_whose_cost_moved_are_shown_vendors_in_use_first_the_rest_folded():
    base = _scan([_finding("a.py", "openai", "A")],
                 {"anthropic": 10, "google": 10, "mistral": 5, "openai": 1, "xai": 3})
    head = _scan([_finding("a.py", "openai", "A"), _finding("b.py", "openai", "B")],
                 {"anthropic": 12, "google": 10, "mistral": 9, "openai": 2, "xai": 3})
    text = render("diff", "markdown", compare(base, head, "main", None))
    table = text[text.index("**Switch cost**"):text.index("<details><summary>2 targets")]
    assert [row.split(" | ")[0][2:] for row in table.splitlines() if row.startswith("| ")
            and not row.startswith("| target")] == ["openai", "mistral", "anthropic"]
    folded = text[text.index("<details><summary>2 targets unchanged</summary>"):]
    assert "| google | ~10 | ~10 | ±0 | C → C |" in folded
    assert "| xai | ~3 | ~3 | ±0 | C → C |" in folded


def test_gate_weakenings_come_right_after_the_headline_in_markdown_and_in_sarif():
    weakened = (Weakening("config", "ignore", "pyproject.toml", 4,
                          "`ignore` adds `openai`: matching findings no longer reported"),
                Weakening("suppression", "ignore", "app/x.py", 2,
                          "new `# lockscan: ignore` at app/x.py:2 silences every rule on "
                          "that line"))
    same = _scan([_finding("a.py", "openai", "A")], {})
    from dataclasses import replace

    diff = replace(compare(same, same, "main", None), weakenings=weakened, settings_from="base")
    lines = render("diff", "markdown", diff).splitlines()
    assert lines[3:10] == [
        "⚠️ **This change adds no vendor coupling.**",
        "",
        "🔓 relaxes its own gate in 2 ways",
        "",
        "🔓 **This change relaxes its own gate** (lockscan judged it by the base's settings; "
        "these take effect on merge)",
        "",
        "- [`pyproject.toml#L4`](pyproject.toml#L4): `ignore` adds `openai`: matching findings "
        "no longer reported",
    ]
    log = json.loads(render("diff", "sarif", diff))
    validate(log)
    gate = [r for r in log["runs"][0]["results"] if r["ruleId"] == "lockscan.gate-weakened"]
    assert [(r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["message"]["text"][:14]) for r in gate] == [
        ("warning", 4, "`ignore` adds "), ("warning", 2, "new `# locksca")]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[gate[0]["ruleIndex"]]["id"] == "lockscan.gate-weakened"


def test_sarif_results_carry_no_rule_level_data(tmp_path):
    files = {f"m{i}.py": "import openai\nimport anthropic\n" for i in range(40)}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, _ = run("scan", str(tmp_path), "--format", "sarif", "-j", "1")
    assert code == 0
    log = json.loads(out)
    validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == 80
    for result in results:
        assert set(result["properties"]) <= {"confidence", "role", "policyViolation", "api",
                                             "via"}
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]["properties"]
    assert {"vendor", "kind", "effort", "effortByTarget", "defaultEffort"} <= set(rule)
    assert len(out) < 600 * len(results)  # today ~1,900 bytes a result, effort repeated


# --------------------------------------------------------------------------- Mermaid

LINE = re.compile(r'^(flowchart LR|  n\d+(\["[^"\n]*"\]|\(\["[^"\n]*"\]\))'
                  r'|  n\d+ -->(\|\d+\|)? n\d+|  classDef \w+ [\w:#,.-]+|  class n\d+(,n\d+)* \w+'
                  r'|%% .*)$')


def assert_flowchart(text: str) -> None:
    """Each line is one of the few Mermaid statements lockscan writes, every arrow joins
    declared boxes, and the chart is within Mermaid's (and GitHub's) limits."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0] == "flowchart LR"
    bad = [line for line in lines if not LINE.match(line)]
    assert bad == []
    declared = {m[1] for m in re.finditer(r"^  (n\d+)[\[(]", text, re.M)}
    used = set(re.findall(r"\b(n\d+) -->(?:\|\d+\|)? (n\d+)", text))
    assert {n for pair in used for n in pair} <= declared
    assert len(used) <= MAX_EDGES and len(text) <= MAX_TEXT + 200


def _big_graph(packages: int, modules: int):
    """``packages`` packages of ``modules`` modules each; every module imports its
    neighbour and one in three calls openai."""
    facts, findings = [], []
    for p in range(packages):
        for m in range(modules):
            path = f"pkg{p}/sub{m % 7}/mod_with_a_long_name_{m}.py"
            module = path[:-3].replace("/", ".")
            nxt = f"pkg{p}.sub{(m + 1) % 7}.mod_with_a_long_name_{(m + 1) % modules}"
            facts.append(FileFacts(path, "python", module, 10, (ImportRef(nxt, 1),)))
            if m % 3 == 0:
                findings.append(_finding(path, "openai", f"{p}-{m}"))
    return build_graph(facts, findings, {})


def test_mermaid_of_a_big_repo_collapses_into_packages_and_stays_renderable():
    graph = _big_graph(30, 40)  # 1,200 modules
    everything = graph_picture(graph, everything=True)
    assert len(everything.boxes) == 1_201
    text = render("graph", "mermaid", graph, ReportOptions(whole_graph=True))
    assert_flowchart(text)
    assert text.rstrip().endswith("%% 1200 modules drawn as 210 packages (depth 2) to stay "
                                  "within Mermaid's limits")
    coupled = render("graph", "mermaid", graph)
    assert_flowchart(coupled)
    # Far too many packages for one picture: the most coupled are kept, and it says so.
    trimmed = fit(graph_picture(_big_graph(700, 3), True))
    assert "only the" in trimmed.note
    assert_flowchart(mermaid_module.render(trimmed))


def test_one_mermaid_renderer_serves_the_graph_command_and_the_pr_comment(monkeypatch, tmp_path):
    calls = []

    def spy(picture):
        calls.append(picture)
        return "flowchart LR\n"

    monkeypatch.setattr(mermaid_module, "render", spy)
    graph = _big_graph(1, 6)
    render("graph", "mermaid", graph)
    base = _scan([], {})
    render("diff", "markdown", compare(base, _scan([_finding("a.py", "openai", "A")], {})))
    assert len(calls) >= 2
    assert {b.label for b in calls[-1].boxes} == {"a", "openai"}
