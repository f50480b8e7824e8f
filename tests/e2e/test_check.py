"""`lockscan check FILES`: scan the whole repository, report and fail only for FILES."""

from __future__ import annotations

import os

import yaml

from tests.support.cli import run
from tests.support.repos import ROOT, write_tree

TREE = {
    # One target pinned: the score section explains it repo-wide, and a target that
    # prices the Anthropic import (openai, litellm...) would name app/old.py there.
    "pyproject.toml": '[tool.lockscan]\nallowed_modules = ["app.llm"]\njobs = 1\n'
                      'targets = ["anthropic"]\n',
    "app/__init__.py": "",
    "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
    "app/chat.py": "from app.llm import client\n\nclient.chat.completions.create(model=m)\n",
    "app/old.py": "import anthropic\n",
    "app/clean.py": "x = 1\n",
}


def test_check_fails_only_for_the_given_files_using_cross_file_context(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    # chat.py calls the gateway's client: only the link stage (which needs llm.py)
    # sees that this is an OpenAI call outside the gateway.
    code, out, err = run("check", "app/chat.py")
    assert code == 1
    assert out == ("app/chat.py:3:1: openai.chat-completion calls the OpenAI Chat Completions "
                   "API (`client.chat.completions.create`)\n")
    assert "app/old.py" not in out + err
    assert err == ("lockscan: refused 1 change(s): vendor SDK code outside `allowed_modules`; "
                   'to allow: add "app.chat" to `allowed_modules` in pyproject.toml, end the '
                   "line with `# lockscan: ignore[openai.chat-completion]`, or accept it in a "
                   "baseline (`lockscan baseline`, then `baseline = \"lockscan-baseline.json\"` "
                   "in [tool.lockscan])\n")


def test_check_passes_for_compliant_files_and_prints_nothing(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    assert run("check", "app/llm.py", "app/clean.py") == (0, "", "")
    assert run("check") == (0, "", "")


def test_check_reuses_the_facts_cache_and_gives_the_same_answer(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    first = run("check", "app/chat.py")
    assert (tmp_path / ".lockscan" / "cache.sqlite").is_file()
    assert (tmp_path / ".lockscan" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert run("check", "app/chat.py") == first  # answered from the cache


def test_check_no_cache_writes_nothing(tmp_path, monkeypatch):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    assert run("check", "--no-cache", "app/llm.py") == (0, "", "")
    assert not (tmp_path / ".lockscan").exists()


def test_check_with_root_and_absolute_paths(tmp_path):
    write_tree(tmp_path, TREE)
    code, out, _ = run("check", "--root", str(tmp_path), str(tmp_path / "app" / "old.py"))
    assert code == 1
    assert out == "app/old.py:1:1: anthropic.import imports the Anthropic SDK (`anthropic`)\n"
    code, _, err = run("check", "--root", str(tmp_path / "app"), str(tmp_path / "pyproject.toml"))
    assert code == 2
    assert "not under --root" in err


def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "lockscan"
    assert hook["language"] == "python"
    assert hook["entry"] == "lockscan check"
    assert hook["require_serial"] is True
    assert os.path.exists(ROOT / "pyproject.toml")


# --------------------------------------------------------------------------- against HEAD

GATEWAY = {
    "app/__init__.py": "",
    "app/llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
    "app/chat.py": "from app.llm import client\n\n"
                   "client.chat.completions.create(model=m, messages=[])\n",
    "app/routes.py": "def route(q):\n    return q\n",
    "tests/test_routes.py": "def test_route():\n    assert True\n",
}


def _committed(tmp_path, files, config: str = "") -> None:
    from tests.support.git import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, {**files, **({"pyproject.toml": config} if config else {})}, "HEAD")


def test_without_config_a_new_leak_is_refused_and_more_coupling_where_it_was_is_not(
        tmp_path, monkeypatch):
    _committed(tmp_path, GATEWAY)
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {
        "app/routes.py": "import openai\n\n\ndef route(q):\n    return q\n",
        "app/llm.py": GATEWAY["app/llm.py"] + "import anthropic\nother = anthropic.Anthropic()\n",
        "app/chat.py": GATEWAY["app/chat.py"] + "client.embeddings.create(model=e, input=[])\n",
        "tests/test_routes.py": "import openai\n",  # a test mocking the SDK is no leak
    })
    code, out, err = run("check", "app/routes.py", "app/llm.py", "app/chat.py",
                         "tests/test_routes.py")
    assert (code, out) == (1, "app/routes.py:1:1: openai.import imports the OpenAI SDK "
                              "(`openai`)\n")
    assert err == ("lockscan: refused 1 change(s): vendor SDK code in a module that had none "
                   "at HEAD; to allow: name the modules that may use vendor SDKs in "
                   "`allowed_modules` ([tool.lockscan] in pyproject.toml; e.g. \"app.routes\"), "
                   "end the line with `# lockscan: ignore[openai.import]`, or accept it in a "
                   "baseline (`lockscan baseline`, then `baseline = \"lockscan-baseline.json\"` "
                   "in [tool.lockscan])\n")
    assert run("check", "app/llm.py", "app/chat.py", "tests/test_routes.py") == (0, "", "")


def test_a_new_module_calling_through_the_gateways_client_is_a_new_leak(tmp_path, monkeypatch):
    _committed(tmp_path, GATEWAY)
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path, {"app/summary.py": GATEWAY["app/chat.py"],
                          "app/routes.py": "from app.llm import client\n\n\ndef route(q):\n"
                                           "    return client.chat.completions.create(q)\n"})
    code, out, _ = run("check", "app/summary.py", "app/routes.py")
    assert code == 1
    assert [line.split(" ", 2)[:2] for line in out.splitlines()] == [
        ["app/routes.py:5:12:", "openai.chat-completion"],
        ["app/summary.py:3:1:", "openai.chat-completion"]]


def test_with_a_gateway_only_violations_the_commit_adds_are_refused(tmp_path, monkeypatch):
    config = '[tool.lockscan]\nallowed_modules = ["app.llm"]\n'
    _committed(tmp_path, {**GATEWAY, "app/old.py": "import anthropic\n"}, config)
    monkeypatch.chdir(tmp_path)
    # Editing a file that already broke the policy is no new violation...
    write_tree(tmp_path, {"app/old.py": '"""Legacy."""\nimport anthropic\n'})
    assert run("check", "app/old.py", "app/chat.py") == (0, "", "")
    # ...but a second vendor import in it is.
    write_tree(tmp_path, {"app/old.py": '"""Legacy."""\nimport anthropic\nimport openai\n'})
    code, out, err = run("check", "app/old.py")
    assert (code, out) == (1, "app/old.py:3:1: openai.import imports the OpenAI SDK (`openai`)\n")
    assert 'add "app.old" to `allowed_modules` in pyproject.toml' in err


def test_in_a_repository_without_commits_everything_is_new(tmp_path, monkeypatch):
    from tests.support.git import git

    git(tmp_path, "init", "-q", "-b", "main")
    write_tree(tmp_path, {"app/llm.py": "import openai\n"})
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "app/llm.py")
    assert (code, out) == (1, "app/llm.py:1:1: openai.import imports the OpenAI SDK (`openai`)\n")


def test_head_versions_reads_only_the_asked_files_in_one_call(tmp_path):
    from lockscan.gates.git import head_versions
    from tests.support.git import commit, git

    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, {"sub/a b.py": "x = 1\n", "sub/c.py": "", "sub/d/e.py": "y\n"}, "one")
    assert head_versions(tmp_path / "sub", ["a b.py", "c.py", "new.py", "d"]) == {
        "a b.py": b"x = 1\n", "c.py": b"", "new.py": None, "d": None}
    assert head_versions(tmp_path.parent, ["x.py"]) == {"x.py": None}  # no repository
