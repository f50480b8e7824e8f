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
    assert "app/chat.py:3  openai.chat-completion" in out
    assert "app/old.py" not in out + err
    assert err.startswith("lockscan: fail_on 'policy': 1 policy violation(s), first app/chat.py:3")


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
    assert "app/old.py:1  anthropic.import" in out
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
