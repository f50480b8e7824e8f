"""Fallback chain through litellm: the one module that is easy to move."""
from __future__ import annotations

import litellm

FALLBACKS = ["anthropic/claude-3-5-sonnet-20241022", "gemini/gemini-2.0-flash", "ollama_chat/qwen2.5:7b"]


def complete(prompt: str) -> str:
    for model in FALLBACKS:
        try:
            resp = litellm.completion(model=model, messages=[{"role": "user", "content": prompt}])
        except litellm.exceptions.APIError:
            continue
        return resp.choices[0].message.content
    raise RuntimeError("all providers failed")
