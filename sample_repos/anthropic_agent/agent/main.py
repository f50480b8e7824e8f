"""Command-line entry point: ``python -m agent.main {run,plan,ask,title} TEXT``."""
from __future__ import annotations

import argparse
import logging

import anthropic

from agent.legacy import generate_title
from agent.loop import plan, run_agent
from agent.streaming import fits_in_context, quick_answer, stream_answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="research-agent")
    parser.add_argument("command", choices=["run", "plan", "ask", "stream", "title"])
    parser.add_argument("text")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)

    client = anthropic.Anthropic()
    if not fits_in_context(client, args.text):
        parser.error("input is too long for the model's context window")

    if args.command == "run":
        print(run_agent(client, args.text))
    elif args.command == "plan":
        thinking, steps = plan(client, args.text)
        if args.verbose:
            print(thinking, end="\n\n")
        print(steps)
    elif args.command == "ask":
        print(quick_answer(args.text))
    elif args.command == "stream":
        stream_answer(client, args.text)
    else:
        print(generate_title(client, args.text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
