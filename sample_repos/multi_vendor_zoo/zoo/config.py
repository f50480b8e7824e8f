"""Settings read from the environment, with each team's favourite model as default."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    gemini_model: str = os.getenv("ZOO_GEMINI_MODEL", "gemini-2.5-flash")
    embed_model: str = "gemini-embedding-001"
    mistral_model: str = "mistral-small-2409"
    cohere_embed_model: str = "embed-english-v3.0"
    rerank_model: str = "rerank-v3.5"
    local_model: str = "llama3.1:8b"


def api_keys() -> dict[str, str | None]:
    return {
        "gemini": os.environ.get("GEMINI_API_KEY"),
        "mistral": os.environ["MISTRAL_API_KEY"],
        "cohere": os.getenv("CO_API_KEY"),
        "groq": os.getenv("GROQ_API_KEY"),
    }


SETTINGS = Settings()
