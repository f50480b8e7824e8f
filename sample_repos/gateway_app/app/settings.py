"""Application settings (12-factor: everything comes from the environment)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Settings:
    """Typed view of the environment."""

    llm_provider: str
    llm_timeout_s: float
    max_output_tokens: int
    database_url: str
    search_top_k: int
    debug: bool


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read settings once per process."""
    return Settings(
        llm_provider=os.getenv("LLM_PROVIDER", "openai"),
        llm_timeout_s=float(os.getenv("LLM_TIMEOUT_S", "30")),
        max_output_tokens=int(os.getenv("LLM_MAX_OUTPUT_TOKENS", "512")),
        database_url=os.getenv("DATABASE_URL", "sqlite:///kb.db"),
        search_top_k=int(os.getenv("SEARCH_TOP_K", "5")),
        debug=os.getenv("APP_DEBUG", "0") == "1",
    )
