"""Note titles, still on the 2024 google-generativeai code path."""
from __future__ import annotations

import os

import google.generativeai as genai

genai.configure(api_key=os.environ["GOOGLE_API_KEY"])
_model = genai.GenerativeModel("gemini-1.5-flash-002")


def title_for(note: str) -> str:
    chat = _model.start_chat()
    reply = chat.send_message(f"Suggest a title for: {note}")
    return reply.text.strip()
