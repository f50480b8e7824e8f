"""Helpers for Open Annotation Interface export files.

Named after the server, long before anyone asked us whether this was about
ChatGPT. It is not.
"""
from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Iterable


def load_export(path: str | Path) -> list[dict]:
    """Read a JSON-lines export (one annotation per line)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Agreement between two annotators beyond chance."""
    if len(a) != len(b) or not a:
        raise ValueError("need two equally long, non-empty label lists")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def to_csv(rows: Iterable[dict], path: str | Path, fields: tuple[str, ...] = ("task_id", "annotator", "label")) -> int:
    """Write selected fields to CSV; returns the number of rows written."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count
