"""The HTML scan report and graph page, without a browser: what the page carries, that it
fetches nothing and cannot be broken out of, and how the graph is chosen and laid out.
(tests/e2e/test_html_browser.py renders it in Chromium.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lockscan import app
from lockscan.model import Finding, ScanResult, Summary
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan_graph
from lockscan.report import ReportOptions, html_page, render
from lockscan.report.graph_layout import NODE_HEIGHT, column_of, layout, short_label
from lockscan.report.graph_view import (
    COUPLED,
    GATEWAY,
    IMPORTER,
    LEAK,
    VENDOR_NODE,
    GraphView,
    ViewEdge,
    ViewNode,
    coupled_view,
    merge_folders,
)
from lockscan.report.html_page import SCRIPTS, asset, embedded_json
from lockscan.report.html_report import scan_data
from lockscan.score import known_targets
from tests.support.cli import run
from tests.support.repos import GATEWAY_REPO as GATEWAY_APP
from tests.support.repos import SAMPLE_REPOS, write_tree

GATEWAY_REPO = {**GATEWAY_APP, "app/rogue.py": "import anthropic\nimport openai\nfrom app import llm\n"}
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//"""
                      r"""|url\(\s*["']?(?:https?:)?//|@import""", re.IGNORECASE)


def _data(page: str) -> dict:
    block = re.search(r'<script type="application/json" id="lockscan-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


@pytest.fixture(scope="module")
def zoo() -> tuple[ScanResult, GraphView, object]:
    settings = app.settings_for(SAMPLE_REPOS / "multi_vendor_zoo")
    rules = app.rules_for(settings)
    result, view = app.scan_with_view(SAMPLE_REPOS / "multi_vendor_zoo", settings, rules)
    return result, view, rules


# ------------------------------------------------------------------ the page


def test_the_page_carries_every_finding_target_and_rule_page(zoo):
    result, view, rules = zoo
    page = render("scan", "html", result, ReportOptions(rules=rules, graph=view))
    data = _data(page)
    strings = data["strings"]
    rows = [[strings[r[0]], r[1], r[2], strings[r[4]], strings[r[5]]] for r in data["findings"]]
    assert rows == [[f.path, f.line, f.column, f.rule, f.vendor] for f in result.findings]
    assert [t["target"] for t in data["targets"]] == list(result.switch_cost)
    assert {t["target"]: (t["lines"], t["low"], t["high"], t["files"], t["grade"])
            for t in data["targets"]} == {
        name: (cost.lines, cost.lines_low, cost.lines_high, cost.files, cost.grade)
        for name, cost in result.switch_cost.items()}
    for row in data["targets"]:  # the parts add up to the row, as in the JSON report
        if row["by_source"]:
            assert sum(row["by_source"].values()) == row["lines"], row["target"]
    assert [(r["vendor"], r["target"], r["lines"]) for r in data["leave"]] == [
        (v, leave.target, leave.lines) for v, leave in result.leave.items()]
    assert set(data["rules"]) >= {f.rule for f in result.findings}
    page_of = data["rules"]["cohere.chat-v1"]
    assert page_of["examples"] and page_of["why"] and page_of["fix"]
    assert [target for target, _ in page_of["efforts"]] == known_targets(rules)
    assert {n["id"] for n in data["graph"]["nodes"]} == {n.id for n in view.nodes}
    assert data["summary"]["by_vendor"] == result.summary.by_vendor
    assert data["headline"].startswith(f"{result.summary.findings} findings in 13 files")


def test_the_page_is_the_same_bytes_for_the_same_scan(zoo):
    result, view, rules = zoo
    first = render("scan", "html", result, ReportOptions(rules=rules, graph=view))
    again = app.scan_with_view(SAMPLE_REPOS / "multi_vendor_zoo", rules=rules)
    assert render("scan", "html", again[0], ReportOptions(rules=rules, graph=again[1])) == first


def test_the_page_fetches_nothing(zoo):
    result, view, rules = zoo
    page = render("scan", "html", result, ReportOptions(rules=rules, graph=view))
    assert EXTERNAL.findall(page) == []
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert page.count("<style>") == 1 and "<link" not in page


def test_scanned_text_cannot_end_the_data_block_early():
    hostile = "</script><script>alert(1)</script><!-- {{js}} \u2028"
    finding = Finding("openai.import", "openai", "import", "a.py", 1, 1, 1, 2, hostile, hostile,
                      fingerprint="0" * 20)
    result = ScanResult("root</title>", Summary(1, 1, 1, 1, {"openai": 1}, {"import": 1}),
                        (finding,), ())
    page = render("scan", "html", result)
    assert page.count("</script>") == 2 and "<title>lockscan · root&lt;/title&gt;</title>" in page
    data = _data(page)
    assert data["strings"][data["findings"][0][9]] == hostile
    assert embedded_json({"x": "<"}) == '{"x":"\\u003c"}'


def test_assets_hold_nothing_that_ends_their_block():
    assert EXTERNAL.search('<script src="https://cdn.example/x.js">')  # the check can fail
    for name in SCRIPTS:
        assert "</script" not in asset(name).lower() and "<!--" not in asset(name), name
    assert "</style" not in asset("report.css").lower()
    for name in (*SCRIPTS, "report.css", "page.html"):
        assert EXTERNAL.findall(asset(name)) == [], name
    packaged = {path.name for path in (Path(html_page.__file__).parent / "assets").iterdir()}
    assert packaged == {*SCRIPTS, "report.css", "page.html"}  # every part is used


def test_without_graph_or_rules_the_page_leaves_those_sections_out(zoo):
    result, _, _ = zoo
    data = _data(render("scan", "html", result))
    assert data["graph"] is None and data["rules"] == {}
    assert [key for key, _ in data["toc"]] == ["summary", "cost", "where", "findings", "rules"][:4]


def test_a_target_row_says_what_supports_it_and_where_its_lines_come_from(zoo):
    result, _, _ = zoo
    data = scan_data(result, ReportOptions())
    rows = {row["target"]: row for row in data["targets"]}
    for name, cost in result.switch_cost.items():
        assert rows[name]["supported_by"] == list(cost.supported_by)
        assert rows[name]["data_migrations"] == list(cost.data_migrations)
        assert rows[name]["by_source"] == {part.vendor: part.lines for part in cost.by_source}
    assert any(row["supported_by"] for row in rows.values())  # the zoo talks to several vendors
    assert "lines to change" in data["headline"]


def test_scan_command_writes_the_page_with_its_graph(tmp_path):
    out = tmp_path / "report.html"
    code, _, err = run("scan", str(SAMPLE_REPOS / "gateway_app"), "--format", "html", "-o", str(out),
                       "--no-cache", "-j", "1")
    assert code == 0, err
    data = _data(out.read_text(encoding="utf-8"))
    kinds = {n["id"]: n["kind"] for n in data["graph"]["nodes"]}
    assert kinds["app/llm_gateway.py"] == GATEWAY and kinds["vendor:openai"] == VENDOR_NODE
    assert [key for key, _ in data["toc"]] == ["summary", "cost", "where", "graph", "findings", "rules"]


def test_graph_html_is_the_same_picture_without_pyvis(tmp_path):
    repo = write_tree(tmp_path / "repo", GATEWAY_REPO)
    out = tmp_path / "graph.html"
    code, _, err = run("graph", str(repo), "--format", "html", "-o", str(out), "-j", "1")
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    data = _data(page)
    assert data["title"] == f"lockscan graph · {repo}" and "findings" not in data
    assert {n["id"]: n["kind"] for n in data["graph"]["nodes"]} == {
        "app/llm.py": GATEWAY, "app/rogue.py": LEAK, "app/chat.py": IMPORTER,
        "app/search.py": IMPORTER, "vendor:openai": VENDOR_NODE, "vendor:anthropic": VENDOR_NODE}
    assert EXTERNAL.findall(page) == []


# ------------------------------------------------------------------ which part of the graph


def test_the_view_keeps_vendors_coupled_modules_and_their_importers(tmp_path):
    write_tree(tmp_path, GATEWAY_REPO)
    view = coupled_view(scan_graph(tmp_path, ScanConfig(jobs=1)))
    assert (view.coupled, view.importers, view.merged) == (2, 2, False)
    edges = {(e.source, e.target, e.kind) for e in view.edges}
    assert edges == {
        ("app/llm.py", "vendor:openai", "coupling"), ("app/rogue.py", "vendor:openai", "coupling"),
        ("app/rogue.py", "vendor:anthropic", "coupling"), ("app/rogue.py", "app/llm.py", "import"),
        ("app/chat.py", "app/llm.py", "import"), ("app/search.py", "app/llm.py", "import")}
    # app/routes.py imports only importers: it is not drawn, nor are edges towards importers
    assert "app/routes.py" not in {n.id for n in view.nodes}


def test_many_modules_are_merged_into_folders_keeping_gateways_and_findings(tmp_path):
    files = {"core/__init__.py": "", "core/gateway.py": "import openai\nc = openai.OpenAI()\n"
             "def ask():\n    return c.chat.completions.create(model=M, messages=[])\n" * 30}
    for index in range(120):
        files[f"pkg{index % 6}/sub{index % 4}/m{index}.py"] = "import anthropic\n"
        files[f"pkg{index % 6}/sub{index % 4}/__init__.py"] = ""
        files[f"use/u{index}.py"] = f"from pkg{index % 6}.sub{index % 4} import m{index}\n"
    files["use/caller.py"] = "from core import gateway\n"
    write_tree(tmp_path, files)
    graph = scan_graph(tmp_path, ScanConfig(jobs=1))
    view = coupled_view(graph, max_coupled=10, max_importers=4)
    modules = [n for n in view.nodes if n.kind != VENDOR_NODE]
    assert view.merged and len([n for n in modules if n.kind != IMPORTER]) <= 10
    assert len([n for n in modules if n.kind == IMPORTER]) <= 4
    assert sum(n.modules for n in modules if n.kind != IMPORTER) == view.coupled == 121
    assert sum(n.findings for n in view.nodes if n.kind == VENDOR_NODE) == \
        sum(n.findings for n in modules)
    assert "core/gateway.py" in {n.id for n in modules if n.kind == GATEWAY}
    folders = {n.label for n in modules if n.modules > 1}
    assert "pkg0/ · 20 modules" in folders or any(label.startswith("pkg0/sub") for label in folders)


@pytest.mark.parametrize("limit", [1, 3, 7, 40])
def test_merge_folders_covers_every_path_once_within_the_limit(limit):
    paths = [f"a/b/c{i % 3}/f{i}.py" for i in range(12)] + ["top.py", "x/y.py", "a/b/z.py"]
    groups = merge_folders(paths, limit)
    assert len(groups) <= max(limit, 1)
    assert sorted(p for _, members in groups for p in members) == sorted(paths)
    for folder, members in groups:
        if folder == "" or folder.endswith("/"):  # "": one group of everything
            assert all(p.startswith(folder) for p in members)
        else:
            assert members == [folder]
    if limit >= len(paths):
        assert groups == sorted((p, [p]) for p in paths)


def test_merge_folders_skips_folders_with_a_single_subfolder():
    assert merge_folders(["libs/agno/agno/models/a.py", "libs/agno/agno/models/b.py"], 1) == [
        ("libs/agno/agno/models/", ["libs/agno/agno/models/a.py", "libs/agno/agno/models/b.py"])]


# ------------------------------------------------------------------ the layout


def _view(nodes: list[tuple[str, str]], edges: list[tuple[str, str, str]]) -> GraphView:
    return GraphView(tuple(ViewNode(i, i, kind, i, findings=1) for i, kind in nodes),
                     tuple(ViewEdge(s, t, kind, 1) for s, t, kind in edges))


def test_layout_puts_importers_modules_and_vendors_in_columns_left_to_right():
    view = _view([("vendor:a", VENDOR_NODE), ("m1", COUPLED), ("g", GATEWAY), ("u", IMPORTER)],
                 [("m1", "vendor:a", "coupling"), ("g", "vendor:a", "coupling"), ("u", "g", "import")])
    placed = {p.id: p for p in layout(view).nodes}
    assert [placed[i].column for i in ("u", "g", "m1", "vendor:a")] == [0, 1, 1, 2]
    assert placed["u"].x + placed["u"].width < placed["g"].x < placed["vendor:a"].x
    assert placed["g"].x == placed["m1"].x and abs(placed["g"].y - placed["m1"].y) >= NODE_HEIGHT
    assert column_of(LEAK) == column_of(COUPLED) == 1


def test_layout_orders_modules_by_the_vendors_they_use_so_edges_do_not_cross():
    nodes = [("vendor:a", VENDOR_NODE), ("vendor:b", VENDOR_NODE)]
    nodes += [(f"m{i}", COUPLED) for i in range(6)]
    edges = [(f"m{i}", "vendor:a" if i % 2 else "vendor:b", "coupling") for i in range(6)]
    placed = {p.id: p for p in layout(_view(nodes, edges)).nodes}
    above_a = placed["vendor:a"].y < placed["vendor:b"].y
    odd = [placed[f"m{i}"].y for i in (1, 3, 5)]
    even = [placed[f"m{i}"].y for i in (0, 2, 4)]
    assert (max(odd) < min(even)) == above_a and (max(even) < min(odd)) != above_a


def test_layout_is_a_function_of_the_view():
    view = _view([("vendor:a", VENDOR_NODE), ("z", COUPLED), ("b", COUPLED)],
                 [("z", "vendor:a", "coupling"), ("b", "vendor:a", "coupling")])
    assert layout(view) == layout(_view(list(reversed([(n.id, n.kind) for n in view.nodes])),
                                        [(e.source, e.target, e.kind) for e in view.edges]))
    assert layout(GraphView((), ())).nodes == ()


def test_long_labels_keep_their_end():
    assert short_label("libs/agno/agno/models/openai/chat.py", 20) == "…dels/openai/chat.py"
    assert len(short_label("x" * 100)) == 44 and short_label("short.py") == "short.py"
