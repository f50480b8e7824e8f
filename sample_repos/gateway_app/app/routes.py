"""HTTP API."""
from __future__ import annotations

from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel

from app.classify import classify
from app.llm_gateway import LLMError
from app.search import SearchIndex
from app.settings import get_settings
from app.summarize import summarize

router = APIRouter()
INDEX = SearchIndex()


class Article(BaseModel):
    id: str
    title: str
    body: str


@router.post("/articles")
def ingest(article: Article) -> dict[str, object]:
    try:
        summary = summarize(article.body)
        tags = classify(article.body)
    except LLMError as exc:
        raise HTTPException(status_code=503, detail=f"language model unavailable: {exc}") from exc
    INDEX.add({article.id: f"{article.title}\n{summary}"})
    return {"id": article.id, "summary": summary, "tags": tags}


@router.get("/search")
def search(q: str) -> list[dict[str, object]]:
    return [{"id": hit.doc_id, "score": round(hit.score, 3)} for hit in INDEX.query(q)]


def create_app() -> FastAPI:
    app = FastAPI(title="kb-assistant", debug=get_settings().debug)
    app.include_router(router)
    return app
