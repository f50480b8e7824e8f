"""Semantic search over saved papers with Cohere embeddings and rerank."""
from __future__ import annotations

import cohere

from zoo.config import SETTINGS, api_keys

co = cohere.ClientV2(api_key=api_keys()["cohere"])
legacy = cohere.Client(api_key=api_keys()["cohere"])


def embed_papers(texts: list[str]) -> list[list[float]]:
    resp = co.embed(model=SETTINGS.cohere_embed_model, texts=texts, input_type="search_document",
                    embedding_types=["float"])
    return resp.embeddings.float_


def rerank(query: str, docs: list[str]) -> list[int]:
    resp = co.rerank(model=SETTINGS.rerank_model, query=query, documents=docs, top_n=5)
    return [r.index for r in resp.results]


def web_answer(question: str) -> str:
    resp = legacy.chat(
        model="command-r-plus-08-2024",
        message=question,
        preamble="Answer with citations.",
        connectors=[{"id": "web-search"}],
    )
    return resp.text
