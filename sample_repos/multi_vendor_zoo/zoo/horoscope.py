"""Lookalikes that must not be reported: a fun feature unrelated to any model vendor."""
from __future__ import annotations

import argparse


class Client:
    """A local HTTP client for the horoscope feed (not an SDK)."""

    def __init__(self, base: str) -> None:
        self.base = base

    def generate_content(self, sign: str) -> dict:
        return {"sign": sign, "text": f"Good day for {sign}."}


SIGNS = ["Aries", "Taurus", "Gemini", "Cancer"]
BLURB = "Gemini season starts in May; as Claude Monet said, colour is my obsession."
TOOLISH = {"name": "horoscope", "parameters": ["sign"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["today", "week"])
    args = parser.parse_args()
    feed = Client("https://example.invalid")
    print(feed.generate_content("Gemini")["text"], args.command)
