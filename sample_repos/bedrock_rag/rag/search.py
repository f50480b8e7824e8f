"""Vector search over pre-computed embeddings: no model calls here."""

import numpy as np


def top_k(query: np.ndarray, matrix: np.ndarray, k: int) -> list[int]:
    scores = matrix @ query
    return list(np.argsort(-scores)[:k])
