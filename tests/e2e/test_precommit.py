"""The pre-commit hook, run for real: pre-commit installs lockscan from a copy of this
checkout into its own environment, then a `git commit` in a temp repo runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.support.repos import ROOT

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}
SOURCES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "lockscan", "rules")


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env=env or {**os.environ, **GIT_ENV}, timeout=120)


def hook_repo(tmp: Path) -> tuple[Path, str]:
    """This checkout's current files (committed or not) as a one-commit repo."""
    repo = tmp / "hook"
    repo.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "lockscan")
    return repo, git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.mark.slow
def test_hook_refuses_vendor_import_outside_gateway_and_passes_compliant_commit(tmp_path):
    hook, sha = hook_repo(tmp_path)
    project = tmp_path / "project"
    (project / "app").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.lockscan]\nallowed_modules = ["app.llm"]\n', encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {hook}
            rev: {sha}
            hooks:
              - id: lockscan
        """), encoding="utf-8")
    (project / "app" / "__init__.py").write_text("", encoding="utf-8")
    (project / "app" / "llm.py").write_text(
        "import openai\n\nclient = openai.OpenAI()\n", encoding="utf-8")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    git(project, "init", "-q", "-b", "main", env=env)
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project,
                               capture_output=True, text=True, env=env, timeout=60)
    assert installed.returncode == 0, installed.stderr

    # The gateway itself may use the SDK: this first commit (which also builds the
    # hook's environment) passes.
    git(project, "add", "-A", env=env)
    first = git(project, "commit", "-m", "gateway", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "lockscan" in first.stdout + first.stderr  # the hook ran

    # A feature module that imports openai directly is refused, with lockscan's message.
    (project / "app" / "chat.py").write_text(
        "import openai\n\n\ndef ask(q):\n    return q\n", encoding="utf-8")
    git(project, "add", "app/chat.py", env=env)
    refused = git(project, "commit", "-m", "bypass the gateway", env=env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "app/chat.py:1" in output
    assert "app/chat.py:1:1: openai.import" in output
    assert "outside `allowed_modules`" in output
    assert git(project, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"

    # Going through the gateway instead is accepted.
    (project / "app" / "chat.py").write_text(
        "from app.llm import client\n\n\ndef ask(q):\n    return q\n", encoding="utf-8")
    git(project, "add", "app/chat.py", env=env)
    compliant = git(project, "commit", "-m", "use the gateway", env=env)
    assert compliant.returncode == 0, compliant.stdout + compliant.stderr
    assert git(project, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "2"

    # Without any configuration: more coupling in the gateway passes, and a module that
    # had none gaining a vendor import is refused, with only that line and how to allow it.
    (project / "pyproject.toml").unlink()
    (project / "app" / "llm.py").write_text(
        "import openai\nimport anthropic\n\nclient = openai.OpenAI()\n", encoding="utf-8")
    git(project, "add", "-A", env=env)
    more = git(project, "commit", "-m", "second vendor in the gateway", env=env)
    assert more.returncode == 0, more.stdout + more.stderr
    (project / "app" / "chat.py").write_text("import openai\n", encoding="utf-8")
    git(project, "add", "app/chat.py", env=env)
    leak = git(project, "commit", "-m", "a new leak", env=env)
    output = leak.stdout + leak.stderr
    assert leak.returncode != 0, output
    assert "app/chat.py:1:1: openai.import imports the OpenAI SDK (`openai`)" in output
    assert "in a module that had none at HEAD; to allow: " in output
    assert "cost table" not in output.lower() and "switch cost" not in output.lower()
