"""Runtime configuration for the support chatbot.

Values come from the environment so the same image runs in staging and prod.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

#: Cheap floating alias used for small talk and intent routing.
CHAT_MODEL = "gpt-4o-mini"

SYSTEM_PROMPT = (
    "You are ChatGPT, a helpful assistant for Acme Outdoor Gear. "
    "Answer questions about orders, returns and products. "
    "If you are not sure, say so and offer to open a support ticket."
)


@dataclass(frozen=True)
class Settings:
    """Process-wide settings."""

    api_key: str
    organization: str | None
    max_history: int = 20
    temperature: float = 0.3


def load_settings() -> Settings:
    """Read settings from the process environment."""
    return Settings(
        api_key=os.environ["OPENAI_API_KEY"],
        organization=os.getenv("OPENAI_ORG_ID"),
        max_history=int(os.getenv("CHATBOT_MAX_HISTORY", "20")),
    )
