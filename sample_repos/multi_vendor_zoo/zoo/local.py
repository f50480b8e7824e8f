"""Offline extraction with a local model served by Ollama."""
from __future__ import annotations

import json

import ollama

from zoo.config import SETTINGS


def extract_keywords(text: str) -> list[str]:
    resp = ollama.chat(
        model=SETTINGS.local_model,
        messages=[{"role": "user", "content": f"Keywords as a JSON list: {text}"}],
        format="json",
        options={"num_ctx": 8192, "temperature": 0},
        keep_alive="30m",
    )
    return json.loads(resp["message"]["content"])
