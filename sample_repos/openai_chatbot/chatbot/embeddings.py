"""Embedding helpers for the FAQ retriever."""
from __future__ import annotations

import math
from typing import Sequence

from openai import OpenAI


def embed_texts(client: OpenAI, texts: Sequence[str], batch_size: int = 128) -> list[list[float]]:
    """Embed ``texts`` in batches and return one vector per text."""
    vectors: list[list[float]] = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start:start + batch_size])
        resp = client.embeddings.create(model="text-embedding-3-small", input=batch)
        vectors.extend(item.embedding for item in resp.data)
    return vectors


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two equal-length vectors."""
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


class FaqIndex:
    """Tiny in-memory nearest-neighbour index over FAQ questions."""

    def __init__(self, client: OpenAI, faqs: dict[str, str]) -> None:
        self.client = client
        self.questions = list(faqs)
        self.answers = [faqs[q] for q in self.questions]
        self.vectors = embed_texts(client, self.questions)

    def best_answer(self, query: str, threshold: float = 0.82) -> str | None:
        """Return the closest FAQ answer, or None if nothing is close enough."""
        [qvec] = embed_texts(self.client, [query])
        scored = [(cosine(qvec, v), i) for i, v in enumerate(self.vectors)]
        score, idx = max(scored, default=(0.0, -1))
        return self.answers[idx] if score >= threshold else None
