"""``labelkit`` command line."""
from __future__ import annotations

import argparse

from no_vendor.config import load_config, server_settings
from no_vendor.experiments import throughput_report
from no_vendor.llm import OpenAI, nudge_stale_tasks, promote_reviewed
from no_vendor.my_openai_utils import cohen_kappa, load_export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="labelkit")
    parser.add_argument("command", choices=["nudge", "promote", "kappa", "report"])
    parser.add_argument("--config", default="labelkit.toml")
    parser.add_argument("--export", help="JSON-lines export for 'kappa'")
    args = parser.parse_args(argv)

    if args.command == "report":
        print(throughput_report())
        return 0
    if args.command == "kappa":
        rows = load_export(args.export)
        a = [r["label"] for r in rows if r["annotator"] == "alice"]
        b = [r["label"] for r in rows if r["annotator"] == "bob"]
        print(f"kappa = {cohen_kappa(a, b):.3f}")
        return 0

    settings = server_settings(load_config(args.config))
    if args.command == "promote":
        print(promote_reviewed(settings))
    else:
        client = OpenAI(settings.url, settings.token)
        print(nudge_stale_tasks(client, "annotate"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
