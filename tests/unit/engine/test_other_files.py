"""Notebooks, manifests, prompt and config files: exact findings, diagnostics, mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lockscan.authoring.ruletest import check_example, example_files, example_kind
from lockscan.engine import analyze_file
from lockscan.engine.manifest import parse_requirement
from lockscan.engine.notebook import cell_python, join_cells, locate
from lockscan.engine.text import config_values
from lockscan.model import SourceFile
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.report.base import ReportOptions
from lockscan.report.json_report import report as json_report
from lockscan.ruleset import load_rules
from tests.support.repos import ROOT, pairs

PROMPT_RULES = ROOT / "tests" / "fixtures" / "prompt_rules"


def notebook(*cells: str | list[str], markdown_first: bool = True) -> str:
    out = [{"cell_type": "markdown", "metadata": {}, "source": "# Title"}] if markdown_first else []
    for cell in cells:
        out.append({"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                    "source": cell})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def triples(result, path: str) -> set[tuple[int | None, int, str]]:
    return {(f.cell, f.line, f.rule) for f in result.findings if f.path == path}


# --------------------------------------------------------------------------- notebooks


def test_notebook_cells_share_names_and_findings_map_to_cells(scan_tree):
    result = scan_tree({"analysis.ipynb": notebook(
        ["from openai import OpenAI\n", "client = OpenAI()\n"],
        "%pip install openai\n!ls\nresp = client.chat.completions.create(model='gpt-4o', messages=[])\n",
    )})
    assert triples(result, "analysis.ipynb") == {
        (1, 1, "openai.import"), (1, 2, "openai.client"), (2, 1, "openai.dependency"),
        (2, 3, "openai.chat-completion"), (2, 3, "openai.model-id-floating"),
    }
    data = json.loads(_json(result))
    call = next(f for f in data["findings"] if f["rule"] == "openai.chat-completion")
    assert (call["cell"], call["line"], call["column"]) == (2, 3, 8)
    assert call["snippet"].startswith("resp = client.chat.completions.create(")
    assert result.summary.python_files == 0


def test_notebook_install_lines_are_its_manifest(scan_tree):
    result = scan_tree({"nb.ipynb": notebook(
        '%pip install -q -U "anthropic>=0.40" requests\n',
        "!pip install --index-url https://example.org/simple openai==1.2  # not google-genai\n"
        "print('pip install together')\n",
    )})
    data = json.loads(_json(result))
    assert sorted((f["cell"], f["line"], f["column"], f["rule"], f["message"])
                  for f in data["findings"]) == [
        (1, 1, 21, "anthropic.dependency", "depends on the Anthropic SDK (`anthropic>=0.40`)"),
        (2, 1, 53, "openai.dependency", "depends on the OpenAI SDK (`openai==1.2`)"),
    ]


def test_notebook_bad_cell_is_a_diagnostic_and_other_cells_still_count(scan_tree):
    result = scan_tree({"nb.ipynb": notebook("import openai\n", "def broken(:\n", "openai.OpenAI()\n")})
    assert triples(result, "nb.ipynb") == {(1, 1, "openai.import"), (3, 1, "openai.client")}
    assert [(d.code, d.message) for d in result.diagnostics] == [
        ("parse-error", "cell 2: syntax error at line 1: invalid syntax; cell skipped")]


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid notebook JSON"),
    ('{"nbformat": 4}', "no `cells` list; not a Jupyter notebook"),
    ("[1, 2]", "no `cells` list; not a Jupyter notebook"),
])
def test_malformed_notebook_is_a_diagnostic_and_the_scan_goes_on(scan_tree, text, message):
    result = scan_tree({"bad.ipynb": text, "app.py": "import openai\n"})
    assert pairs(result) == {(1, "openai.import")}
    assert len(result.diagnostics) == 1
    assert result.diagnostics[0].path == "bad.ipynb"
    assert result.diagnostics[0].code == "parse-error"
    assert message in result.diagnostics[0].message


def test_notebook_suppression_applies_to_its_own_cell_line(scan_tree):
    result = scan_tree({"nb.ipynb": notebook(
        "import openai  # lockscan: ignore[openai.import]\n",
        "import openai\n",
    )})
    assert triples(result, "nb.ipynb") == {(2, 1, "openai.import")}


def test_cell_python_keeps_line_count_and_blocks_valid():
    source = "for x in y:\n    !echo hi\n%time f()\nz = !ls\nobj?\nprint(x)  # a?\n"
    assert cell_python(source) == ("for x in y:\n    pass\npass\npass\npass\nprint(x)  # a?\n")
    assert cell_python("%%bash\nls\npwd\n") == "\n\n\n"
    assert cell_python("!pip install \\\n    boto3 \\\n    openai\nimport openai\n") == (
        "pass\npass\npass\nimport openai\n")
    assert cell_python("%%time\nimport openai\n") == "\nimport openai\n"


def test_cell_line_mapping_is_its_inverse():
    cells = [(1, "a\nb\n"), (4, "c\n"), (5, "d\ne")]
    joined, starts = join_cells(cells)
    assert joined == "a\nb\nc\nd\ne\n"
    assert [locate(starts, n) for n in range(1, 6)] == [(1, 1), (1, 2), (4, 1), (5, 1), (5, 2)]


# --------------------------------------------------------------------------- manifests


def test_requirements_txt_pins_extras_markers_includes_and_continuations(scan_tree):
    result = scan_tree({"requirements-dev.txt": (
        "-r requirements.txt\n"
        "anthropic[bedrock]>=0.40,<1 ; python_version >= '3.9'  # agents\n"
        "openai \\\n"
        "    ==1.40.0\n"
        "litellm\n"
        "openai-whisper==1\n"
    )})
    assert [(f.line, f.column, f.rule, f.message) for f in result.findings] == [
        (2, 1, "anthropic.dependency", "depends on the Anthropic SDK (`anthropic[bedrock]>=0.40,<1`)"),
        (3, 1, "openai.dependency", "depends on the OpenAI SDK (`openai==1.40.0`)"),
        (5, 1, "litellm.dependency", "depends on litellm (`litellm`)"),
    ]


def test_pyproject_poetry_and_pep621_lines(scan_tree):
    result = scan_tree({"pyproject.toml": """
        [project]
        name = "x"
        dependencies = ["httpx", "openai>=1"]

        [tool.poetry.dependencies]
        python = "^3.10"
        anthropic = {version = "^0.49", extras = ["vertex"]}
        """})
    assert [(f.line, f.column, f.message) for f in result.findings] == [
        (3, 27, "depends on the OpenAI SDK (`openai>=1`)"),
        (7, 1, "depends on the Anthropic SDK (`anthropic[vertex]^0.49`)"),
    ]


def test_pyproject_hatch_metadata_hook_dependencies(scan_tree):
    result = scan_tree({"pyproject.toml": """
        [project]
        name = "x"
        dynamic = ["dependencies", "optional-dependencies"]

        [tool.hatch.metadata.hooks.uv-dynamic-versioning]
        dependencies = ["httpx"]

        [tool.hatch.metadata.hooks.uv-dynamic-versioning.optional-dependencies]
        openai = ["openai>=1", "tiktoken"]
        router = ["openai>=1"]
        """})
    assert [(f.line, f.column, f.rule) for f in result.findings] == [
        (9, 12, "openai.dependency"),
        (10, 12, "openai.dependency"),
    ]


def test_setup_py_is_parsed_never_run(scan_tree, tmp_path):
    marker = tmp_path / "ran"
    result = scan_tree({"setup.py": f"""
        import pathlib
        pathlib.Path({str(marker)!r}).write_text("x")
        REQS = ["openai>=1.0"]
        setup(name="x", install_requires=REQS + [], extras_require={{"a": ["anthropic"]}})
        setuptools.setup(install_requires=REQS)
        """})
    assert not marker.exists()
    assert pairs(result) == {(4, "anthropic.dependency"), (3, "openai.dependency")}


@pytest.mark.parametrize("name, text", [
    ("pyproject.toml", "[project\ndependencies = ['openai']\n"),
    ("Pipfile", "[packages]\nopenai = \n"),
    ("setup.cfg", "install_requires = openai\n"),
    ("setup.py", "setup(install_requires=['openai'\n"),
])
def test_malformed_manifest_is_a_diagnostic_and_the_scan_goes_on(scan_tree, name, text):
    result = scan_tree({name: text, "requirements.txt": "openai\n"})
    assert pairs(result) == {(1, "openai.dependency")}
    assert [(d.path, d.code) for d in result.diagnostics] == [(name, "parse-error")]


@pytest.mark.parametrize("text, expected", [
    ("openai", ("openai", "", "")),
    ("OpenAI[a, b] (>=1.0)", ("OpenAI", "a,b", ">=1.0")),
    ("openai @ https://x/openai.whl ; os_name == 'nt'", ("openai", "", "@ https://x/openai.whl")),
    ("openai ~= 1.2.3", ("openai", "", "~=1.2.3")),
    ("not a requirement", None),
])
def test_parse_requirement(text, expected):
    found = parse_requirement(text, 1)
    assert (found and (found.name, found.extras, found.spec)) == expected


# --------------------------------------------------------------------------- configs and prompts


def test_model_ids_in_config_values_not_in_comments_or_substrings(scan_tree):
    result = scan_tree({
        "config/models.yaml": "model: gpt-4o  # default\n# model: gpt-4o\nnote: my-gpt-4o-x\n",
        "settings.json": '{"chat": {"model": "claude-3-5-sonnet-20241022"}, "x": "gpt-4o is good"}\n',
        ".env.example": "OPENAI_MODEL=gpt-4o-2024-08-06\nexport FALLBACK='o3-mini'\n",
        "app.toml": 'models = ["gpt-4.1", "text-embedding-3-small"]\n',
        "requirements.txt": "anthropic\n",  # the ids are sent: the code reaches both vendors
    })
    assert {(f.path, f.line, f.column, f.rule) for f in result.findings} == {
        ("requirements.txt", 1, 1, "anthropic.dependency"),
        ("config/models.yaml", 1, 8, "openai.model-id-floating"),
        ("settings.json", 1, 21, "anthropic.model-id"),
        (".env.example", 1, 1, "openai.env-var"),  # a vendor-named deployment setting
        (".env.example", 1, 14, "openai.model-id"),
        (".env.example", 2, 18, "openai.model-id-floating"),
        ("app.toml", 1, 12, "openai.model-id-floating"),
        ("app.toml", 1, 23, "openai.embedding-model"),
    }


def test_json_objects_are_dicts_to_the_dict_rules(scan_tree):
    result = scan_tree({
        "prompts/fewshots.json": """[
  {"role": "user", "content": "hi"},
  {
    "call_id": "c1", "name": "search", "arguments": "{}",
    "type": "function_call"
  },
  {"call_id": "c1", "output": "done", "type": "not_a_tool_item"}
]
""",
        "tools.json": '{"tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]}',
        "rows.jsonl": '{"type": "function", "function": {"name": "f", "parameters": {}}}\n{"a": 1}\n',
        "broken.json": '{"type": "function", "function": {"name": "f", "parameters": {}}',
    })
    assert {(f.path, f.line, f.column, f.rule) for f in result.findings} == {
        ("prompts/fewshots.json", 3, 3, "openai.responses-tool-call-item"),
        ("tools.json", 1, 12, "openai.tool-schema"),
    }


def test_a_file_named_for_dotenv_is_read_as_one(scan_tree):
    result = scan_tree({
        "tests/data/dotenv_azure_ok": "DEBUG=1\nAZURE_OPENAI_KEY=dummy\nSEARCH_TOP_K=5\n",
        "notes/envs.txt": "AZURE_OPENAI_KEY=dummy\n",
    })
    assert {(f.path, f.line, f.rule) for f in result.findings} == {
        ("tests/data/dotenv_azure_ok", 2, "azure_openai.env-var"),
    }


@pytest.mark.parametrize("line, values", [
    ("model: gpt-4o  # x", [("gpt-4o", 8)]),
    ('"model": "gpt-4o",', [("model", 2), ("gpt-4o", 11)]),
    ("- o3", [("o3", 3)]),
    ("KEY=value", [("value", 5)]),
    ("# model: gpt-4o", []),
    ("  free text line", [("free text line", 3)]),
])
def test_config_values(line, values):
    assert config_values(line) == values


def test_prompt_files_match_multiline_fingerprints(tmp_path):
    rules = load_rules([PROMPT_RULES], include_bundled=False)
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "chat.txt").write_text("Intro\n\nHuman: {{ q }}\n\nAssistant:")
    (tmp_path / "notes.txt").write_text("\n\nHuman: not a prompt file\n")
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    assert [(f.path, f.line, f.column, f.message) for f in result.findings] == [
        ("prompts/chat.txt", 3, 1, "legacy Human turn (`Human:`)")]


def test_example_runner_reads_other_file_kinds():
    rules = load_rules([PROMPT_RULES], include_bundled=False)
    files = example_files([PROMPT_RULES])
    assert [p.name for p in files] == ["examples.config.yaml", "examples.prompt"]
    assert all(check_example(p, rules).problems() == [] for p in files)


def test_example_runner_reports_wrong_lines_in_other_kinds(tmp_path):
    path = tmp_path / "examples.requirements.txt"
    path.write_text("openai\n# expect: openai.dependency\n")
    problems = check_example(path, load_rules()).problems()
    assert problems == [f"{path}:2: expected openai.dependency, not reported",
                        f"{path}:1: reported openai.dependency, not marked `# expect:`"]


@pytest.mark.parametrize("name, kind", [
    ("examples.py", ("python", "examples.py")),
    ("examples.requirements.txt", ("manifest", "requirements.txt")),
    ("examples.pyproject.toml", ("manifest", "pyproject.toml")),
    ("examples.Pipfile", ("manifest", "Pipfile")),
    ("examples.ipynb", ("notebook", "examples.ipynb")),
    ("examples.prompt", ("prompt", "examples.prompt")),
    ("examples.env.example", ("config", "env.example")),
])
def test_example_kind(name, kind):
    assert example_kind(Path(name)) == kind


def _json(result) -> str:
    import io

    buffer = io.StringIO()
    json_report(result, buffer, ReportOptions())
    return buffer.getvalue()


# --------------------------------------------------------------------------- settings classes


def test_pydantic_settings_fields_read_vendor_env_vars(scan_tree):
    result = scan_tree({"app/settings.py": """
        from pydantic_settings import BaseSettings
        import pydantic


        class Settings(BaseSettings):
            anthropic_api_key: str
            timeout: int = 30


        class Legacy(pydantic.BaseSettings):
            class Config:
                env_prefix = "MY_"

            openai_api_key: str


        class Prefixed(BaseSettings):
            model_config = {"env_prefix": "OPENAI_"}
            api_key: str
        """})
    found = [(f.line, f.column, f.rule, f.confidence, f.message) for f in result.findings]
    assert found == [
        (6, 5, "anthropic.env-var", "high",
         "reads the Anthropic setting `ANTHROPIC_API_KEY` from the environment"),
        (18, 35, "openai.env-var-name", "medium",  # the prefix names all its settings
         "names an OpenAI setting `OPENAI_` for the environment"),
        (19, 5, "openai.env-var", "high",
         "reads the OpenAI setting `OPENAI_API_KEY` from the environment"),
    ]


def test_large_json_is_data_not_config(scan_tree):
    big = '{"rows": [' + ", ".join('{"model": "gpt-4o"}' for _ in range(30000)) + "]}"
    result = scan_tree({"fixtures/rows.json": big, "config.json": '{"model": "gpt-4o"}',
                        "app.py": "import openai\n"})
    assert pairs(result) == {(1, "openai.model-id-floating"), (1, "openai.import")}
    assert [(d.path, d.code) for d in result.diagnostics] == [("fixtures/rows.json", "too-large")]


def test_pipfile_and_poetry_entry_shapes():
    from lockscan.engine.manifest import read_requirements

    text = (
        "[packages]\n"
        'openai = {git = "https://github.com/openai/openai-python.git"}\n'
        'anthropic = [{version = "<0.40", markers = "python_version < \'3.9\'"}, {version = ">=0.40"}]\n'
        'litellm = { version = " >= 1.0 ", extras = ["proxy"] }\n'
        'requests = "*"\n'
    )
    found = [(r.name, r.display, r.pin, r.line) for r in read_requirements("pipfile", text)]
    assert found == [
        ("openai", "openai @ https://github.com/openai/openai-python.git", "pinned to a URL", 2),
        ("anthropic", "anthropic<0.40", "constrained to <0.40", 3),
        ("litellm", "litellm[proxy]>=1.0", "constrained to >=1.0", 4),
        ("requests", "requests", "unpinned", 5),
    ]


def test_notebook_cells_reads_nbformat_3_and_skips_non_code():
    from lockscan.engine.notebook import notebook_cells

    v3 = {"worksheets": [{"cells": [
        {"cell_type": "markdown", "source": ["x"]},
        {"cell_type": "code", "input": ["import openai\n", "openai.OpenAI()"]},
        {"cell_type": "code", "input": 3},
    ]}]}
    assert notebook_cells(v3) == [(1, "import openai\nopenai.OpenAI()")]
    assert notebook_cells({"cells": [{"cell_type": "raw", "source": "import openai"}]}) == []
    assert notebook_cells({"cells": "nope"}) is None


# --------------------------------------------------------------------------- never crash

NAMES = ["requirements.txt", "pyproject.toml", "setup.cfg", "setup.py", "Pipfile",
         "nb.ipynb", "config.yaml", "x.json", ".env.example", "prompts/p.txt"]
KIND_OF = {"nb.ipynb": "notebook", "config.yaml": "config", "x.json": "config",
           ".env.example": "config", "prompts/p.txt": "prompt"}
FRAGMENTS = st.sampled_from([
    "openai", "==1.0", "[", "]", "{", "}", '"', "'", "\n", "\\\n", "#", "=", ":", "-r x",
    '{"cells": [', '{"cell_type": "code", "source": ', '"%%bash\\n"', "gpt-4o", "[project]",
    "dependencies = [", "setup(install_requires=[", "\x00", "\ufeff", "é", "    ",
])


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(NAMES), parts=st.lists(FRAGMENTS, max_size=30))
def test_non_python_analyzers_never_raise(rules, name, parts):
    data = "".join(parts).encode("utf-8")
    source = SourceFile(name, name, KIND_OF.get(name, "manifest"), size=len(data))  # type: ignore[arg-type]
    facts = analyze_file(source, data, rules, full=True)
    assert facts.path == name
    assert all(d.path == name for d in facts.diagnostics)


def test_a_workflow_secret_reference_reports_the_variable_name(scan_tree):
    result = scan_tree({".github/workflows/ci.yml":
                        "env:\n  KEY: ${{ secrets.ANTHROPIC_PROD_KEY || 'x' }}\n"})
    assert [(f.rule, f.subject, f.column, f.message) for f in result.findings] == [
        ("anthropic.env-var-name", "ANTHROPIC_PROD_KEY", 20,
         "names an Anthropic setting `ANTHROPIC_PROD_KEY` for the environment")]
