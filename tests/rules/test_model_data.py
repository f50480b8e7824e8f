"""The bundled model data (rules/models/*.json) is well-formed and its regexes run under RE2.

The data is built by scripts/build_model_data.py; these checks need neither the network
nor the litellm wheel, only the committed files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import re2

from tests.support.repos import ROOT
MODELS = ROOT / "rules" / "models"
LOOKAROUND = re.compile(r"\(\?<?[=!]|\(\?P=|\\[1-9]")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def lifecycle() -> dict:
    return json.loads((MODELS / "lifecycle.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def licences() -> dict:
    return json.loads((MODELS / "licences.json").read_text(encoding="utf-8"))


def family_of(lifecycle: dict, vendor: str, ident: str) -> str | None:
    for row in lifecycle["families"]:
        if row["vendor"] == vendor and re.fullmatch(row["pattern"], ident):
            return row["family"]
    return None


def all_patterns(lifecycle: dict, licences: dict) -> list[str]:
    patterns = [row["pattern"] for row in lifecycle["families"]]
    return patterns + [p for family in licences["families"] for p in family["patterns"]]


def test_the_only_toml_under_models_is_its_rules_file() -> None:
    # The rules loader reads every *.toml under rules/ as a rules file: the data's
    # hand-kept facts live in scripts/model_facts.toml, the lifecycle rules here.
    assert [p.name for p in MODELS.rglob("*.toml")] == ["rules.toml"]


def test_patterns_compile_under_re_and_re2(lifecycle: dict, licences: dict) -> None:
    for pattern in all_patterns(lifecycle, licences):
        assert not LOOKAROUND.search(pattern), pattern
        re.compile(pattern)
        re2.compile(pattern)


def test_every_model_matches_its_family(lifecycle: dict) -> None:
    for model in lifecycle["models"]:
        if "family" in model:
            assert family_of(lifecycle, model["vendor"], model["id"]) == model["family"], model["id"]


def test_models_are_sorted_and_unique(lifecycle: dict) -> None:
    keys = [(m["vendor"], m.get("platform", ""), m["id"]) for m in lifecycle["models"]]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_fields_are_well_formed(lifecycle: dict) -> None:
    sources = lifecycle["sources"]
    for model in lifecycle["models"]:
        assert isinstance(model["pinned"], bool), model["id"]
        for name in ("deprecated", "shutdown", "shutdown_not_before"):
            if name in model:
                assert DATE.match(model[name]), (model["id"], name)
        for name, source in model["sources"].items():
            assert source in sources, (model["id"], name, source)
        for item in model.get("disagreements", []):
            assert item["source"] in sources


@pytest.mark.parametrize(
    ("vendor", "ident", "family"),
    [
        ("openai", "gpt-5.9-sol", "gpt-5"),
        ("openai", "gpt-7-nova-2031-01-01", "gpt-next"),
        ("openai", "o7-mini", "o-series"),
        ("anthropic", "claude-opus-6-1", "claude-opus"),
        ("anthropic", "claude-aurora-2", "claude"),
        ("google", "gemini-4.5-pro", "gemini"),
        ("google", "gemini-3.9-flash-lite", "gemini-3"),
        ("bedrock", "eu.anthropic.claude-sonnet-7-v1:0", "claude"),
        ("xai", "grok-9.1-fast", "grok"),
        ("mistral", "mistral-large-2705", "mistral-large"),
    ],
)
def test_families_cover_newer_ids(lifecycle: dict, vendor: str, ident: str, family: str) -> None:
    assert family_of(lifecycle, vendor, ident) == family


def test_known_facts(lifecycle: dict) -> None:
    index = {(m["vendor"], m.get("platform"), m["id"]): m for m in lifecycle["models"]}
    sonnet = index[("anthropic", None, "claude-3-5-sonnet-20241022")]
    assert (sonnet["pinned"], sonnet["shutdown"]) == (True, "2025-10-28")
    assert index[("openai", None, "gpt-4o")]["pinned"] is False
    assert index[("openai", None, "gpt-4o-2024-08-06")]["snapshot"] == "2024-08-06"


def test_licence_families(licences: dict) -> None:
    keys = set(licences["licences"])
    for family in licences["families"]:
        assert family["licence"] in keys
        assert family["source"] in licences["sources"]
    for licence in licences["licences"].values():
        assert licence["source"] in licences["sources"]
        assert "name" in licence and "url" in licence


@pytest.mark.parametrize(
    ("ident", "family"),
    [
        ("meta-llama/Llama-3.1-8B-Instruct", "llama-3.1"),
        ("llama3.1:8b", "llama-3.1"),
        ("us.meta.llama3-3-70b-instruct-v1:0", "llama-3.3"),
        ("Qwen/Qwen2.5-72B-Instruct", "qwen2.5-72b"),
        ("Qwen/Qwen2.5-3B-Instruct", "qwen2.5-3b"),
        ("qwen2.5:7b", "qwen2.5-apache"),
        ("mistralai/Mistral-Large-Instruct-2411", "mistral-large-2"),
        ("open-mixtral-8x22b", "mixtral"),
        ("deepseek-ai/DeepSeek-V2.5", "deepseek-v2"),
        ("deepseek-ai/DeepSeek-R1", "deepseek-r1"),
        ("gpt-oss:20b", "gpt-oss"),
    ],
)
def test_licence_patterns_name_one_family(licences: dict, ident: str, family: str) -> None:
    hits = [f["family"] for f in licences["families"] if any(re.search(p, ident) for p in f["patterns"])]
    assert hits == [family]
