"""Title generator kept from the 2023 prototype (Text Completions API)."""
from __future__ import annotations

from anthropic import HUMAN_PROMPT, AI_PROMPT, Anthropic


def generate_title(client: Anthropic, document: str) -> str:
    """Suggest a short title for a saved research note."""
    completion = client.completions.create(
        model="claude-2.1",
        max_tokens_to_sample=300,
        prompt=f"{HUMAN_PROMPT} Suggest a short title (max 8 words) for this note:\n\n{document}{AI_PROMPT}",
    )
    return completion.completion.strip().strip('"')
