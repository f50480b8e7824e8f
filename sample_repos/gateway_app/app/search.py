"""In-memory semantic search over article summaries."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.llm_gateway import embed
from app.settings import get_settings


@dataclass
class Hit:
    doc_id: str
    score: float


@dataclass
class SearchIndex:
    """Brute-force cosine index; good enough for a few thousand articles."""

    ids: list[str] = field(default_factory=list)
    vectors: list[list[float]] = field(default_factory=list)

    def add(self, docs: dict[str, str]) -> None:
        self.ids.extend(docs)
        self.vectors.extend(embed(list(docs.values())))

    def query(self, text: str, top_k: int | None = None) -> list[Hit]:
        [qvec] = embed([text])
        scored = [Hit(doc_id, _cosine(qvec, vec)) for doc_id, vec in zip(self.ids, self.vectors)]
        scored.sort(key=lambda h: h.score, reverse=True)
        return scored[: top_k or get_settings().search_top_k]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    norm = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return dot / norm if norm else 0.0
