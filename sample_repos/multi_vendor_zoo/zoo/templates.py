"""Raw prompt templates for self-hosted models, and token budgeting."""
from __future__ import annotations

from pathlib import Path

import tiktoken

LLAMA3 = (
    "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n{system}<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\n{question}<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n"
)
CHATML = "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n"
GEMMA = "<start_of_turn>user\n{question}<end_of_turn>\n<start_of_turn>model\n"
SYSTEM = "You are Claude, a careful research assistant."

_encoding = tiktoken.get_encoding("cl100k_base")


def render(family: str, question: str) -> str:
    template = {"llama": LLAMA3, "qwen": CHATML, "gemma": GEMMA}[family]
    return template.format(system=SYSTEM, question=question)


def fits(prompt: str, budget: int = 8000) -> bool:
    return len(_encoding.encode(prompt)) <= budget


def load_prompt(name: str) -> str:
    return (Path(__file__).parent.parent / "prompts" / name).read_text(encoding="utf-8")
