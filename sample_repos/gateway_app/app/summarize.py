"""Article summaries (map-reduce over chunks for long articles)."""
from __future__ import annotations

from app.llm_gateway import complete

SUMMARY_SYSTEM = "You write concise, neutral summaries of internal knowledge-base articles."
CHUNK_CHARS = 6000


def chunk_text(text: str, max_chars: int = CHUNK_CHARS) -> list[str]:
    """Split on paragraph boundaries into chunks of at most ``max_chars``."""
    chunks: list[str] = []
    current = ""
    for para in text.split("\n\n"):
        if current and len(current) + len(para) > max_chars:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{para}" if current else para
    if current:
        chunks.append(current)
    return chunks


def summarize(text: str, max_words: int = 120) -> str:
    """Summarize an article of any length."""
    partials = [
        complete(f"Summarize in at most {max_words} words:\n\n{chunk}", system=SUMMARY_SYSTEM)
        for chunk in chunk_text(text)
    ]
    if len(partials) <= 1:
        return partials[0] if partials else ""
    joined = "\n- ".join(partials)
    return complete(
        f"Merge these partial summaries into one of at most {max_words} words:\n- {joined}",
        system=SUMMARY_SYSTEM,
    )
