"""Git repositories made in a test: commits with a fixed identity and no user config."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.repos import write_tree

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=True, timeout=60)
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def two_commit_repo(tmp_path: Path) -> tuple[Path, str, str]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    first = commit(repo, {
        "app/llm.py": """
            import openai

            client = openai.OpenAI()
        """,
        "app/util.py": "def helper():\n    return 1\n",
    }, "gateway")
    # The second commit shifts the existing lines down (a moved line is not "new")
    # and adds one vendor import in another module.
    second = commit(repo, {
        "app/llm.py": """
            \"\"\"The gateway.\"\"\"

            import os

            import openai

            client = openai.OpenAI()
        """,
        "app/util.py": "import anthropic\n\n\ndef helper():\n    return 1\n",
    }, "add anthropic")
    return repo, first, second
