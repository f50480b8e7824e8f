"""Client construction and model choices for the research agent."""
from __future__ import annotations

import os

from anthropic import Anthropic

#: Main model for the tool loop (dated snapshot, so behaviour is reproducible).
DEFAULT_MODEL = "claude-sonnet-4-20250514"
MAX_TOKENS = 4096


def make_client() -> Anthropic:
    """Build a client with an explicit key and a more patient retry policy."""
    return Anthropic(
        api_key=os.environ["ANTHROPIC_API_KEY"],
        max_retries=4,
        timeout=90.0,
    )
