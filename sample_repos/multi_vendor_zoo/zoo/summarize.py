"""Summaries and embeddings with Gemini (google-genai)."""
from __future__ import annotations

from google import genai
from google.genai import types

from zoo.config import SETTINGS, api_keys

client = genai.Client(api_key=api_keys()["gemini"])

SAFETY = [
    types.SafetySetting(category="HARM_CATEGORY_DANGEROUS_CONTENT", threshold="BLOCK_ONLY_HIGH"),
]


def summarize(paper: str) -> str:
    config = types.GenerateContentConfig(
        system_instruction="Summarise the paper in five bullet points.",
        safety_settings=SAFETY,
        thinking_config=types.ThinkingConfig(thinking_budget=0),
        max_output_tokens=512,
    )
    response = client.models.generate_content(model=SETTINGS.gemini_model, contents=paper, config=config)
    candidate = response.candidates[0]
    if candidate.finish_reason == "SAFETY":
        return "(blocked)"
    return response.text


def embed(texts: list[str]) -> list[list[float]]:
    result = client.models.embed_content(model=SETTINGS.embed_model, contents=texts)
    return [e.values for e in result.embeddings]


def lookup_tool() -> dict:
    return {
        "function_declarations": [
            {
                "name": "find_paper",
                "description": "Find a saved paper by title",
                "parameters": {"type": "OBJECT", "properties": {"title": {"type": "STRING"}}},
            }
        ]
    }


def tool_reply(name: str, result: dict) -> dict:
    return {"role": "user", "parts": [{"function_response": {"name": name, "response": result}}]}
