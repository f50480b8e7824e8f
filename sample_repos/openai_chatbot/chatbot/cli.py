"""Command-line tools for support staff."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chatbot import llm
from chatbot.conversation import run_conversation
from chatbot.embeddings import FaqIndex
from chatbot.legacy_summarizer import summarize_transcript


def _cmd_chat(_: argparse.Namespace) -> int:
    history: list[dict[str, str]] = []
    for line in map(str.strip, sys.stdin):
        answer = run_conversation(history, line)
        history += [{"role": "user", "content": line}, {"role": "assistant", "content": answer}]
        print(answer)
    return 0


def _cmd_summarize(args: argparse.Namespace) -> int:
    print(summarize_transcript(Path(args.transcript).read_text()))
    return 0


def _cmd_faq(args: argparse.Namespace) -> int:
    faqs = json.loads(Path(args.faq_file).read_text())
    index = FaqIndex(llm.client, faqs)
    print(index.best_answer(args.question) or "(no good match)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="acme-chatbot")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("chat").set_defaults(func=_cmd_chat)
    p_sum = sub.add_parser("summarize")
    p_sum.add_argument("transcript")
    p_sum.set_defaults(func=_cmd_summarize)
    p_faq = sub.add_parser("faq")
    p_faq.add_argument("faq_file")
    p_faq.add_argument("question")
    p_faq.set_defaults(func=_cmd_faq)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
