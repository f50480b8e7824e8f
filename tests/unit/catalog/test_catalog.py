"""The bundled model data's lookups and lifecycle statuses: a pure function of the
records, the date and the window."""

from __future__ import annotations

from datetime import date

import pytest

from lockscan.catalog import Catalog, lifecycle, spellings, version_key

DAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load()


def status(catalog: Catalog, vendor: str, written: str, day: date = DAY, window: int = 90):
    return lifecycle(catalog.find(vendor, written), catalog, vendor, day, window)


def test_router_google_and_ollama_spellings_reach_the_record(catalog):
    assert catalog.find("anthropic", "anthropic/claude-3-5-sonnet-20241022").id == \
        "claude-3-5-sonnet-20241022"
    assert catalog.find("google", "models/gemini-2.0-flash").id == "gemini-2.0-flash"
    assert catalog.find("ollama", "ollama_chat/llama3.1:8b").id == "llama3.1"  # the base tag
    assert spellings("groq:llama-3.1-8b-instant", "groq") == [
        "groq:llama-3.1-8b-instant", "llama-3.1-8b-instant"]
    # an HF repo id keeps its owner: `google/` is not a router prefix
    assert spellings("google/gemma-2-9b-it", "gemma") == ["google/gemma-2-9b-it"]


def test_status_moves_with_the_date_and_the_window(catalog):
    # gpt-4o-2024-11-20 shuts down on 2027-01-14 (OpenAI, per the data)
    assert status(catalog, "openai", "gpt-4o-2024-11-20", date(2026, 6, 1)).status == "deprecated"
    assert status(catalog, "openai", "gpt-4o-2024-11-20", date(2026, 12, 7)).status == "retiring"
    assert status(catalog, "openai", "gpt-4o-2024-11-20", date(2026, 12, 7), window=30).status \
        == "deprecated"
    assert status(catalog, "openai", "gpt-4o-2024-11-20", date(2027, 1, 14)).status == "retired"
    retiring = status(catalog, "openai", "gpt-4o-2024-11-20")
    assert (retiring.shutdown, retiring.basis) == ("2027-01-14", "shuts down on 2027-01-14, in 38 days")


def test_a_retired_id_carries_its_successor_and_sources(catalog):
    life = status(catalog, "anthropic", "claude-3-5-haiku-20241022")
    assert (life.status, life.shutdown, life.successor, life.pinned) == (
        "retired", "2026-02-19", "claude-haiku-4-5-20251001", True)
    assert life.sources and all(url.startswith("https://") for url in life.sources)


def test_platform_dates_that_differ_are_kept_and_the_earliest_decides(catalog):
    life = status(catalog, "google", "gemini-2.5-flash", date(2026, 11, 1))
    assert life.status == "retired"  # Vertex AI on 2026-10-20; the Gemini API later
    assert dict(life.platforms) == {"vertex-ai": "2026-10-20", "gemini-api": "2026-12-01"}


def test_unlisted_ids_say_which_is_more_likely(catalog):
    older = status(catalog, "google", "gemini-1.5-flash-002")
    assert (older.status, older.guess) == ("unlisted", "retired")
    assert "gemini-2.0-flash" in older.basis  # a later id of the same line is retired
    newer = status(catalog, "openai", "gpt-4o-2027-03-01")
    assert (newer.status, newer.guess) == ("unlisted", "newer")
    future = status(catalog, "xai", "grok-9")
    assert (future.status, future.guess) == ("unlisted", "newer")
    unclear = status(catalog, "mistral", "mistral-small-2409")
    assert (unclear.status, unclear.guess) == ("unlisted", None)
    assert status(catalog, "openai_compatible", "my-model").status == "unknown"


def test_version_keys_order_ids_of_one_family():
    assert version_key("claude-opus-4-9") > version_key("claude-opus-4-8")
    assert version_key("gpt-5.10") > version_key("gpt-5.9")
    assert version_key("llama3.1:8b") == ((3, 1), 0)  # parameter counts are not versions
    assert version_key("gpt-audio-mini-2025-10-06") == ((), 20251006)


def test_open_weight_licences_by_any_spelling(catalog):
    llama = catalog.licence_of("meta-llama/Llama-3.1-8B-Instruct")
    assert (llama.key, llama.spdx, llama.family) == ("llama-3.1", None, "llama-3.1")
    assert dict(llama.terms)["user_threshold"].startswith("licensees whose products had more than 700")
    assert catalog.licence_of("ollama_chat/qwen2.5:7b").spdx == "Apache-2.0"
    assert catalog.licence_of("qwen2.5:72b").key == "qwen"  # Qwen's own licence by size
    assert catalog.licence_of("gpt-4o") is None
