"""The module/vendor graph: import resolution, queries and exports, on purpose-built repos."""

from __future__ import annotations

import io
import json

import networkx as nx
import pydot
from click.testing import CliRunner

from lockscan.cli import cli
from lockscan.graph import Scatter, build_graph
from lockscan.graph.module_graph import FILE, IMPORT
from lockscan.model import FileFacts, Finding, ImportRef
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan_graph
from lockscan.report import render
from tests.support.repos import GATEWAY_REPO, write_tree


def _graph(tmp_path, files):
    write_tree(tmp_path, files)
    return scan_graph(tmp_path, ScanConfig(jobs=1))


def _imports(graph):
    return sorted((e.source, e.target) for e in graph.edges() if e.kind == IMPORT)


def test_imports_resolve_relative_packages_and_submodules(tmp_path):
    graph = _graph(tmp_path, GATEWAY_REPO)
    assert _imports(graph) == [
        ("app/chat.py", "app/llm.py"),
        ("app/routes.py", "app/chat.py"),
        ("app/routes.py", "app/search.py"),
        ("app/search.py", "app/llm.py"),
    ]
    node = graph.node("app/llm.py")
    assert (node.module, node.lines, node.package) == ("app.llm", 4, "app")


def test_src_layout_and_nested_roots_resolve(tmp_path):
    graph = _graph(tmp_path, {
        "src/pkg/__init__.py": "",
        "src/pkg/core.py": "import pkg.util\n",
        "src/pkg/util.py": "",
        "services/api/app/__init__.py": "",
        "services/api/app/llm.py": "import os\n",
        "services/api/app/main.py": "from app.llm import x\nimport requests\n",
    })
    assert _imports(graph) == [
        ("services/api/app/main.py", "services/api/app/llm.py"),
        ("src/pkg/core.py", "src/pkg/util.py"),
    ]


def test_queries_on_a_gateway_repo(tmp_path):
    graph = _graph(tmp_path, GATEWAY_REPO)
    assert graph.coupled_modules() == ["app/llm.py"]
    assert graph.gateways() == ["app/llm.py"]
    assert graph.leaks() == []
    assert graph.blast_radius() == ["app/chat.py", "app/llm.py", "app/routes.py", "app/search.py"]
    assert graph.chokepoints() == [("app/llm.py", 3)]
    assert graph.scatter() == Scatter(1, 1)
    edge = graph.edge("app/llm.py", "vendor:openai")
    assert (edge.findings, edge.rules) == (3, "openai.chat-completion openai.client openai.import")
    assert edge.calls == 2  # the call and the client; the import reaches nothing


def test_a_module_of_model_ids_is_not_a_gateway(tmp_path):
    # constants.py couples to OpenAI (a model id), is imported by code that does not, and
    # imports nothing coupled: the shape of a gateway, but it reaches nothing.
    graph = _graph(tmp_path, {**GATEWAY_REPO,
                              "app/constants.py": 'CHAT_MODEL = "gpt-4o-2024-08-06"\n',
                              "app/routes.py": "from app import chat, search, constants\n"})
    assert "app/constants.py" in graph.coupled_modules("openai")
    assert graph.edge("app/constants.py", "vendor:openai").calls == 0
    assert graph.gateways() == ["app/llm.py"]


def test_a_leak_past_the_gateway(tmp_path):
    graph = _graph(tmp_path, {**GATEWAY_REPO, "app/chat.py": """
        from app.llm import complete
        import openai
    """})
    assert graph.gateways() == ["app/llm.py"]
    assert graph.leaks() == ["app/chat.py"]
    assert graph.chokepoints() == [("app/llm.py", 1)]  # only search.py still goes through it


def test_scattered_repo_has_no_gateway(tmp_path):
    files = {"tools/__init__.py": "", "main.py": "import tools.a, tools.b, web.c\n"}
    for pkg, name in (("tools", "a"), ("tools", "b"), ("web", "c")):
        files[f"{pkg}/{name}.py"] = "import openai\nopenai.OpenAI()\n"
    graph = _graph(tmp_path, files)
    assert graph.coupled_modules() == ["tools/a.py", "tools/b.py", "web/c.py"]
    assert graph.gateways() == []  # three leaf callers are scatter, not gateways
    assert graph.leaks() == []
    assert graph.scatter() == Scatter(3, 2)
    assert graph.chokepoints() == []


def test_build_graph_from_facts_without_findings():
    facts = [FileFacts("a.py", "python", "a", 3, imports=(ImportRef("b", 1),)),
             FileFacts("b.py", "python", "b", 1),
             FileFacts("requirements.txt", "manifest", None, 2)]
    finding = Finding("openai.dependency", "openai", "dependency", "requirements.txt", 1, 1, 1, 7,
                      "m", "openai")
    graph = build_graph(facts, [finding])
    nodes = {node.id: node for node in graph.nodes()}
    assert sorted(nodes) == ["a.py", "b.py", "requirements.txt", "vendor:openai"]
    assert nodes["requirements.txt"].kind == FILE
    assert graph.coupled_modules() == ["requirements.txt"]
    assert graph.blast_radius() == ["requirements.txt"]


# By default only the coupled modules and the modules importing them: app.routes and the
# package's __init__ touch no vendor and import no coupled module.
MERMAID = """\
flowchart LR
  n0["app.chat"]
  n1["app.llm"]
  n2["app.search"]
  n3(["openai"])
  n0 --> n1
  n1 -->|3| n3
  n2 --> n1
  classDef vendor fill:#f4a6a6,stroke:#a33
  class n3 vendor
  classDef gateway fill:#a6d8f4,stroke:#37a,stroke-width:3px
  class n1 gateway
"""
MERMAID_ALL = """\
flowchart LR
  n0["app"]
  n1["app.chat"]
  n2["app.llm"]
  n3["app.routes"]
  n4["app.search"]
  n5(["openai"])
  n1 --> n2
  n2 -->|3| n5
  n3 --> n1
  n3 --> n4
  n4 --> n2
  classDef vendor fill:#f4a6a6,stroke:#a33
  class n5 vendor
  classDef gateway fill:#a6d8f4,stroke:#37a,stroke-width:3px
  class n2 gateway
"""


def test_mermaid_is_exact(tmp_path):
    assert render("graph", "mermaid", _graph(tmp_path, GATEWAY_REPO)) == MERMAID


def test_graphml_and_json_round_trip_through_networkx(tmp_path):
    graph = _graph(tmp_path, GATEWAY_REPO)
    parsed = nx.read_graphml(io.BytesIO(render("graph", "graphml", graph).encode()))
    assert sorted(parsed.nodes) == sorted(n.id for n in graph.nodes())
    assert parsed.edges["app/llm.py", "vendor:openai"]["findings"] == 3
    data = json.loads(render("graph", "json", graph))
    again = nx.node_link_graph(data, edges="links")
    assert sorted(again.edges) == sorted((e.source, e.target) for e in graph.edges())


def test_dot_parses_with_pydot(tmp_path):
    (dot,) = pydot.graph_from_dot_data(render("graph", "dot", _graph(tmp_path, GATEWAY_REPO)))
    names = {n.get_name().strip('"') for n in dot.get_nodes()} - {"node"}
    assert names == {"app/__init__.py", "app/chat.py", "app/llm.py", "app/routes.py",
                     "app/search.py", "vendor:openai"}
    assert len(dot.get_edges()) == 5


def test_html_picture_is_self_contained(tmp_path):
    """More in tests/unit/report/test_html_report.py."""
    html = render("graph", "html", _graph(tmp_path, GATEWAY_REPO))
    for name in ('"app/llm.py"', '"vendor:openai"', '"gateway"', '"importer"'):
        assert name in html
    assert 'src="http' not in html and 'href="http' not in html


def test_graph_command_writes_each_format(tmp_path):
    repo = write_tree(tmp_path / "repo", GATEWAY_REPO)
    runner = CliRunner()
    result = runner.invoke(cli, ["graph", str(repo), "--format", "mermaid", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert result.output == MERMAID
    result = runner.invoke(cli, ["graph", str(repo), "--format", "mermaid", "--all", "-j", "1"])
    assert (result.exit_code, result.output) == (0, MERMAID_ALL)
    out = tmp_path / "g.graphml"
    result = runner.invoke(cli, ["graph", str(repo), "--format", "graphml", "-o", str(out)])
    assert result.exit_code == 0
    assert "app/llm.py" in nx.read_graphml(out).nodes


def test_graph_command_honours_the_project_config_like_scan(tmp_path):
    """[tool.lockscan] include/exclude, select/ignore and max_file_size shape the graph
    exactly as they shape a scan (the command once built its own settings)."""
    repo = write_tree(tmp_path / "repo", {
        **GATEWAY_REPO,
        "legacy/old.py": "import anthropic\nclient = anthropic.Anthropic()\n",
        "pyproject.toml": """
            [tool.lockscan]
            exclude = ["legacy/**"]
            ignore = ["openai.import"]
            """,
    })
    runner = CliRunner()
    result = runner.invoke(cli, ["graph", str(repo), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    nodes = {n["id"] for n in data["nodes"]}
    assert "legacy/old.py" not in nodes and "vendor:anthropic" not in nodes
    rules = {link["rules"] for link in data["links"] if link["kind"] == "coupling"}
    assert rules == {"openai.chat-completion openai.client"}
    # The same repo without the config: both are back.
    (repo / "pyproject.toml").unlink()
    data = json.loads(runner.invoke(cli, ["graph", str(repo), "--format", "json"]).output)
    assert {"legacy/old.py", "vendor:anthropic"} <= {n["id"] for n in data["nodes"]}


def test_a_manifest_naming_the_vendor_is_not_a_leak_past_the_gateway(tmp_path):
    graph = _graph(tmp_path, {**GATEWAY_REPO, "requirements.txt": "openai>=1.0\n"})
    assert "requirements.txt" in graph.coupled_modules()
    assert graph.gateways() == ["app/llm.py"]
    assert graph.leaks() == []
