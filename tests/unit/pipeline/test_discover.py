"""Discovery: git ls-files or a .gitignore-aware walk, kinds, modules, skips."""

from __future__ import annotations

import subprocess

import pytest

from lockscan.errors import PathNotFound
from lockscan.model.source import module_name, path_parts
from lockscan.pipeline.discover import classify, discover
from lockscan.pipeline.roles import conventional_role, role_of
from tests.support.repos import write_tree


def paths(found) -> list[str]:
    return [f.path for f in found.files]


def test_walk_honours_gitignore_and_skips_tool_folders(tmp_path):
    write_tree(tmp_path, {
        ".gitignore": "generated/\n*.tmp.py\n",
        "app/main.py": "", "generated/x.py": "", "a.tmp.py": "",
        ".venv/lib/site.py": "", "node_modules/x.py": "", "app/__pycache__/m.py": "",
        "sub/.gitignore": "local.py\n", "sub/local.py": "", "sub/kept.py": "",
    })
    assert paths(discover(tmp_path, kinds=("python",))) == ["app/main.py", "sub/kept.py"]


def test_git_ls_files_lists_tracked_and_untracked_not_ignored(tmp_path):
    write_tree(tmp_path, {".gitignore": "ignored.py\n", "tracked.py": "", "ignored.py": ""})
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "tracked.py", ".gitignore"], cwd=tmp_path, check=True)
    (tmp_path / "untracked.py").write_text("")
    assert paths(discover(tmp_path, kinds=("python",))) == ["tracked.py", "untracked.py"]


def test_missing_root_is_a_usage_error(tmp_path):
    with pytest.raises(PathNotFound) as raised:
        discover(tmp_path / "missing")
    assert raised.value.path == str(tmp_path / "missing")


def test_single_file_root(tmp_path):
    write_tree(tmp_path, {"one.py": "import openai\n"})
    assert paths(discover(tmp_path / "one.py")) == ["one.py"]


def test_include_and_exclude_globs(tmp_path):
    write_tree(tmp_path, {"src/a.py": "", "src/b_test.py": "", "tests/t.py": ""})
    found = discover(tmp_path, include=("src/**",), exclude=("*_test.py",), kinds=("python",))
    assert paths(found) == ["src/a.py"]


def test_too_large_file_is_a_diagnostic(tmp_path):
    write_tree(tmp_path, {"big.py": "x = 1\n" * 100, "small.py": ""})
    found = discover(tmp_path, kinds=("python",), max_file_size=100)
    assert paths(found) == ["small.py"]
    assert [(d.path, d.code) for d in found.diagnostics] == [("big.py", "too-large")]


def test_symlink_outside_root_is_not_followed(tmp_path):
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.py": "import openai\n"})
    root = tmp_path / "root"
    write_tree(root, {"a.py": ""})
    (root / "link.py").symlink_to(outside / "secret.py")
    found = discover(root, kinds=("python",))
    assert paths(found) == ["a.py"]
    assert [(d.path, d.code) for d in found.diagnostics] == [("link.py", "symlink-outside-root")]


@pytest.mark.parametrize(("rel", "kind"), [
    ("a/b.py", "python"), ("setup.py", "manifest"), ("requirements-dev.txt", "manifest"),
    ("pyproject.toml", "manifest"), ("nb.ipynb", "notebook"), ("prompts/system.txt", "prompt"),
    ("app/templates/chat.j2", "prompt"), ("config/models.yaml", "config"),
    (".env.example", "config"), ("README.md", None), ("notes.txt", None),
    ("tests/data/dotenv_azure_ok", "config"), (".env", None), ("dotenv.py", "python"),
])
def test_classify(rel, kind):
    assert classify(rel) == kind


def test_module_names_with_src_layout_and_packages():
    files = {"src/pkg/__init__.py", "src/pkg/mod.py", "tools/run.py"}
    assert module_name("src/pkg/mod.py", files) == "pkg.mod"
    assert module_name("src/pkg/__init__.py", files) == "pkg"
    assert module_name("tools/run.py", files) == "tools.run"
    assert module_name("src/x.py", files | {"src/__init__.py"}) == "src.x"


def _pathlib_module_name(rel: str, python_paths: set[str]) -> str:
    """The pathlib spelling ``module_name`` replaced, kept as the reference."""
    from pathlib import PurePosixPath

    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if len(parts) > 1 and parts[0] in ("src", "lib") and f"{parts[0]}/__init__.py" not in \
            python_paths:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or PurePosixPath(rel).stem


@pytest.mark.parametrize("rel", [
    "a.py", "__init__.py", "pkg/__init__.py", "src/pkg/mod.py", "lib/x.py", "src/x.py",
    ".hidden.py", "pkg/.py", "pkg/a.b.py", "pkg/noext", "pkg/trailing.", "a/b/c/d.pyi",
    "Prompts/x.TXT", "requirements/dev.txt", "x/requirements-dev.txt", "pkg/setup.py",
])
def test_string_path_parts_agree_with_pathlib(rel):
    from pathlib import PurePosixPath

    for paths in (set(), {"src/__init__.py", "lib/__init__.py"}):
        assert module_name(rel, paths) == _pathlib_module_name(rel, paths)
    pure = PurePosixPath(rel)
    assert path_parts(rel) == (list(pure.parts[:-1]), pure.name, pure.suffix)


# --------------------------------------------------------------------------- roles


@pytest.mark.parametrize("path, kind, role", [
    ("app/llm.py", "python", "production"),
    ("src/pkg/client.py", "python", "production"),
    ("tests/test_llm.py", "python", "test"),
    ("pkg/tests/helpers.py", "python", "test"),
    ("test_llm.py", "python", "test"),
    ("pkg/llm_test.py", "python", "test"),
    ("conftest.py", "python", "test"),
    ("examples/chat.py", "python", "example"),
    ("docs/quickstart.py", "python", "example"),
    ("cookbook/tool_use.ipynb", "notebook", "example"),
    ("analysis.ipynb", "notebook", "example"),
    ("tests/notebooks/check.ipynb", "notebook", "test"),
    ("config/models.yaml", "config", "config"),
    ("website/_data/leaderboard.yml", "config", "data"),
    ("benchmark/results.json", "config", "data"),
    ("requirements.txt", "manifest", "manifest"),
    ("tests/requirements.txt", "manifest", "manifest"),
    ("prompts/system.j2", "prompt", "production"),
    ("data/loader.py", "python", "production"),  # code that handles data is still code
])
def test_roles_follow_conventions(path, kind, role):
    assert conventional_role(path, kind) == role


def test_configured_roles_win_in_order():
    overrides = (("scripts/**", "example"), ("scripts/deploy.py", "production"))
    assert role_of("scripts/deploy.py", "python", overrides) == "example"  # first match
    assert role_of("scripts/x/y.py", "python", overrides) == "example"
    assert role_of("tests/test_a.py", "python", (("tests/**", "production"),)) == "production"
    assert role_of("app/llm.py", "python", overrides) == "production"


def test_every_finding_carries_its_files_role(scan_tree):
    result = scan_tree({
        "app/llm.py": "import openai\n",
        "tests/test_llm.py": "import openai\n",
        "examples/demo.py": "import openai\n",
        "scripts/tool.py": "import openai\n",
    }, roles=(("scripts/**", "example"),))
    assert {(f.path, f.role) for f in result.findings} == {
        ("app/llm.py", "production"), ("tests/test_llm.py", "test"),
        ("examples/demo.py", "example"), ("scripts/tool.py", "example")}
    assert result.summary.by_role == {"production": 1, "test": 1, "example": 2}
