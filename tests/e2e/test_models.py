"""`lockscan models`, the lifecycle findings of `lockscan scan` and the CycloneDX AI-BOM,
through the command line, on the sample repos. The date is always given (--as-of) or
pinned by the tests' conftest: a status depends on it."""

from __future__ import annotations

import json
import socket
from importlib import resources

import pytest

from tests.support.cli import run
from tests.support.repos import SAMPLE_REPOS, write_tree

REPOS = sorted(p.name for p in SAMPLE_REPOS.iterdir() if (p / "README.md").is_file())
ZOO = str(SAMPLE_REPOS / "multi_vendor_zoo")


def models_json(path: str, *args: str) -> dict:
    code, out, err = run("models", path, "--format", "json", "--no-cache", "-j", "1",
                         "--exclude", "expected.json", *args)
    assert code == 0, err
    return json.loads(out)


def test_models_json_lists_each_id_once_with_status_pin_roles_and_licence():
    data = models_json(ZOO, "--as-of", "2026-12-07")
    assert (data["as_of"], data["data_refreshed"], data["lifecycle_window_days"]) == (
        "2026-12-07", "2026-12-07", 90)
    by_id = {(m["vendor"], m["id"]): m for m in data["models"]}
    claude = by_id[("anthropic", "claude-3-5-sonnet-20241022")]  # via litellm's prefix
    assert (claude["status"], claude["successor"], claude["spellings"]) == (
        "retired", "claude-sonnet-4-6", ["anthropic/claude-3-5-sonnet-20241022"])
    assert claude["sites"] == [{"path": "zoo/router.py", "line": 6, "role": "production",
                                "rule": "litellm.model-anthropic"}]
    mini = by_id[("openai", "gpt-4o-mini")]
    assert (mini["status"], mini["pinned"], mini["shutdown"]) == ("retiring", False, "2027-01-14")
    llama = by_id[("ollama", "llama3.1:8b")]
    assert (llama["licence"]["key"], llama["licence"]["spdx"]) == ("llama-3.1", None)
    assert "700 million" in llama["licence"]["terms"]["user_threshold"]
    statuses = [m["status"] for m in data["models"]]
    assert statuses == sorted(statuses, key=["retired", "retiring", "deprecated", "unlisted",
                                             "current", "unknown"].index)


def test_the_date_decides_the_status_and_is_recorded():
    before = models_json(ZOO, "--as-of", "2026-01-01")
    after = models_json(ZOO, "--as-of", "2027-02-01")
    status = {m["id"]: m["status"] for m in before["models"]}
    assert status["gpt-4o-mini"] == "deprecated" and status["claude-3-5-haiku-20241022"] == "retiring"
    assert {m["id"]: m["status"] for m in after["models"]}["gpt-4o-mini"] == "retired"
    assert (before["as_of"], after["as_of"]) == ("2026-01-01", "2027-02-01")


def test_a_bad_date_is_one_line_and_exit_2():
    code, out, err = run("models", ZOO, "--as-of", "2026-13-01")
    assert code == 2 and out == ""
    assert err == "lockscan: --as-of: cannot read '2026-13-01'; expected a date as YYYY-MM-DD, " \
                  'e.g. "2026-12-07"\n'


def test_models_text_table_prints_the_dates_statuses_and_licence_terms():
    code, out, _ = run("models", ZOO, "--no-cache", "-j", "1", "--exclude", "expected.json",
                       "--as-of", "2026-12-07")
    assert code == 0
    assert "lifecycle as of 2026-12-07 (retiring: within 90 days) · model data refreshed " \
           "2026-12-07 (litellm 1.110.2 and vendor pages)" in out
    assert "retired     claude-3-5-haiku-20241022   anthropic  pinned    2026-02-19" in out
    assert "  gpt-4o-mini (openai): shuts down on 2027-01-14, in 38 days; successor: gpt-6-luna" in out
    assert "Llama 3.1 Community License Agreement (no SPDX id)" in out


def test_scan_reports_lifecycle_findings_with_the_successor_and_the_date(tmp_path):
    write_tree(tmp_path, {"app.py": 'import openai, cohere\nMODEL = "gpt-3.5-turbo-0613"\n'
                                    'OK = "command-r-plus"\n'})
    _, out, _ = run("scan", str(tmp_path), "--format", "json", "--no-cache", "-j", "1",
                       "--as-of", "2026-12-07")
    data = json.loads(out)
    life = [(f["rule"], f["line"], f["vendor"], f["message"]) for f in data["findings"]
            if f["rule"].startswith("models.")]
    assert life == [
        ("models.retired", 2, "openai", "`gpt-3.5-turbo-0613` was shut down on 2024-09-13, so "
                                        "calls to it fail; successor: `gpt-3.5-turbo`"),
        ("models.floating", 3, "cohere", "`command-r-plus` is a floating alias of the command-r family"),
    ]
    assert data["summary"]["by_kind"]["model_id"] == 4  # 2 ids + 2 lifecycle findings
    assert data["models"]["as_of"] == "2026-12-07"
    _, text, _ = run("scan", str(tmp_path), "--no-cache", "-j", "1", "--as-of", "2026-12-07")
    assert "lifecycle as of 2026-12-07" in text and "model data refreshed 2026-12-07" in text


def test_lifecycle_is_computed_after_the_cache(tmp_path):
    """The same cached facts give each date's status: the date is not a file fact."""
    write_tree(tmp_path, {"app.py": 'import openai\nMODEL = "gpt-4o-2024-11-20"\n'})
    cache = tmp_path / "cache"

    def rules_at(day: str) -> list[str]:
        _, out, _ = run("scan", str(tmp_path), "--format", "json", "-j", "1",
                           "--cache-dir", str(cache), "--as-of", day)
        return sorted(f["rule"] for f in json.loads(out)["findings"] if f["kind"] == "model_id")

    assert rules_at("2026-12-07") == ["models.retiring", "openai.model-id"]
    assert rules_at("2027-02-01") == ["models.retired", "openai.model-id"]
    assert rules_at("2026-01-01") == ["openai.model-id"]


def test_ignoring_the_models_vendor_drops_the_lifecycle_findings_not_the_inventory(tmp_path):
    write_tree(tmp_path, {"app.py": 'import openai\nMODEL = "gpt-3.5-turbo-0613"\n'})
    _, out, _ = run("scan", str(tmp_path), "--format", "json", "--no-cache", "--ignore", "models")
    data = json.loads(out)
    assert [f["rule"] for f in data["findings"]] == ["openai.import", "openai.model-id"]
    assert [m["status"] for m in data["models"]["models"]] == ["retired"]


# --------------------------------------------------------------------------- CycloneDX


def bom_of(repo: str) -> str:
    code, out, err = run("scan", str(SAMPLE_REPOS / repo), "--format", "cyclonedx", "--no-cache",
                         "-j", "1", "--exclude", "expected.json", "--as-of", "2026-12-07")
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def validator():
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.V1_6)


@pytest.mark.parametrize("repo", REPOS)
def test_every_sample_repo_bom_passes_the_strict_cyclonedx_validator(repo, validator):
    text = bom_of(repo)
    assert validator.validate_str(text) is None
    assert bom_of(repo) == text  # same input, same bytes


def test_the_validator_works_offline_from_schemas_in_its_wheel(validator, monkeypatch):
    schemas = resources.files("cyclonedx.schema") / "_res"
    assert (schemas / "bom-1.6.SNAPSHOT.schema.json").is_file()

    def no_network(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    text = bom_of("gateway_app")
    assert validator.validate_str(text) is None
    broken = json.loads(text)
    broken["components"][0]["type"] = "not-a-type"
    assert validator.validate_str(json.dumps(broken)) is not None  # it does check


def test_bom_lists_sdks_models_services_dependencies_and_evidence():
    bom = json.loads(bom_of("multi_vendor_zoo"))
    assert bom["specVersion"] == "1.6" and bom["serialNumber"].startswith("urn:uuid:")
    assert "timestamp" not in bom["metadata"]
    props = {p["name"]: p["value"] for p in bom["metadata"]["properties"]}
    assert props["lockscan:models:as_of"] == "2026-12-07"
    components = {c["bom-ref"]: c for c in bom["components"]}
    legacy = components["library:google-generativeai"]
    assert (legacy["version"], legacy["purl"]) == ("0.8.5", "pkg:pypi/google-generativeai@0.8.5")
    assert legacy["evidence"]["occurrences"] == [{"location": "requirements.txt", "line": 2}]
    model = components["model:anthropic/claude-3-5-haiku-20241022"]
    assert (model["type"], model["supplier"], model["version"]) == (
        "machine-learning-model", {"name": "Anthropic"}, "2024-10-22")
    lifecycle = {p["name"]: p["value"] for p in model["properties"]}
    assert (lifecycle["lockscan:lifecycle:status"], lifecycle["lockscan:lifecycle:shutdown"]) == (
        "retired", "2026-02-19")
    assert model["evidence"]["occurrences"] == [{"location": "zoo/agents.py", "line": 9}]
    llama = components["model:ollama/llama3.1:8b"]
    assert llama["licenses"][0]["license"]["name"] == "Llama 3.1 Community License Agreement"
    qwen = components["model:ollama/qwen2.5:7b"]
    assert qwen["licenses"][0]["license"]["id"] == "Apache-2.0"
    services = {s["bom-ref"]: s for s in bom["services"]}
    assert "https://api.openai.com" in services["service:openai"]["endpoints"]
    assert services["service:openai"]["provider"]["name"] == "OpenAI"
    depends = {d["ref"]: d["dependsOn"] for d in bom["dependencies"]}
    assert set(depends["application"]) == set(components) | set(services)
    assert depends["model:anthropic/claude-3-5-haiku-20241022"] == ["service:anthropic"]


def test_a_model_family_prefix_is_a_finding_but_names_no_model(tmp_path):
    # `meta.llama3` is how Bedrock code picks a request body, not a model id: the model
    # data would read it as an unlisted id, guessed retired.
    write_tree(tmp_path, {"llm.py": """
        import boto3
        client = boto3.client("bedrock-runtime")
        def body_for(model_id):
            return "llama" if model_id.startswith("meta.llama3") else "converse"
        MODEL = "meta.llama3-1-70b-instruct-v1:0"
    """})
    code, out, err = run("scan", str(tmp_path), "--format", "json", "--no-cache",
                         "--as-of", "2026-12-07")
    assert code == 0, err
    at_line_4 = sorted(f["rule"] for f in json.loads(out)["findings"] if f["line"] == 4)
    assert at_line_4 == ["bedrock.model-family-prefix"]
    ids = [m["id"] for m in models_json(str(tmp_path), "--as-of", "2026-12-07")["models"]]
    assert ids == ["meta.llama3-1-70b-instruct-v1:0"]
