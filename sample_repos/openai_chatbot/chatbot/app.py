"""FastAPI entry point: REST chat, ticket intake and a websocket chat."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from pydantic import BaseModel

from chatbot.async_agent import AsyncChatAgent
from chatbot.diagnostics import probe
from chatbot.handlers import handle_message, handle_ticket

app = FastAPI(title="Acme support chatbot")


class ChatRequest(BaseModel):
    history: list[dict[str, Any]] = []
    message: str


@app.post("/chat")
def chat(req: ChatRequest) -> dict[str, Any]:
    return handle_message(req.history, req.message)


@app.post("/tickets")
def create_ticket(email_body: str) -> dict[str, Any]:
    return handle_ticket(email_body)


@app.get("/healthz")
def healthz() -> dict[str, Any]:
    result = probe()
    return {"ok": result.ok, "latency_ms": result.latency_ms, "remaining": result.remaining_requests}


@app.websocket("/ws/{session_id}")
async def ws_chat(websocket: WebSocket, session_id: str) -> None:
    await websocket.accept()
    agent = AsyncChatAgent(session_id)
    try:
        while True:
            text = await websocket.receive_text()
            await websocket.send_text(await agent.reply(text))
    except WebSocketDisconnect:
        return
