"""The Python API (``import lockscan``): every use case takes a path as ``str`` or
``Path`` and finds its settings and rules itself, as ``scan`` does."""

from __future__ import annotations

import lockscan
from lockscan.graph import ModuleGraph
from tests.support.git import two_commit_repo
from tests.support.repos import write_tree

REPO = {
    "pyproject.toml": "[tool.lockscan]\njobs = 1\n",
    "app/__init__.py": "",
    "app/llm.py": "import openai\n\nclient = openai.OpenAI()\n",
    "app/main.py": "from app.llm import client\n",
}


def test_every_use_case_takes_a_str_path_and_defaults_its_settings_and_rules(tmp_path, monkeypatch):
    repo = write_tree(tmp_path / "repo", REPO)
    monkeypatch.chdir(repo)
    root = str(repo)
    assert lockscan.settings_for(root).config.jobs == 1
    result = lockscan.scan(root)
    assert sorted((f.path, f.rule) for f in result.findings) == [
        ("app/llm.py", "openai.client"), ("app/llm.py", "openai.import")]
    checked = lockscan.check(["app/llm.py"], root)
    assert {f.path for f in checked.findings} == {"app/llm.py"}
    assert lockscan.baseline(root) == list(result.findings)
    graph = lockscan.export_graph(root)
    assert isinstance(graph, ModuleGraph)
    assert lockscan.models(root).models is not None


def test_diff_takes_a_str_path_and_its_failures_are_public(tmp_path):
    repo, first, second = two_commit_repo(tmp_path)
    changed = lockscan.diff(str(repo), first, second)
    assert changed.added  # the second commit adds coupling
    assert isinstance(lockscan.diff_failures(lockscan.settings_for(str(repo)), changed), list)


def test_the_api_is_listed_by_dir():
    assert set(lockscan.__all__) <= set(dir(lockscan))
    assert {"scan", "check", "diff", "baseline", "export_graph", "models",
            "diff_failures"} <= set(dir(lockscan))
