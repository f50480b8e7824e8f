"""Notes and numbers from the 2023 pre-labelling experiment.

We compared GPT-style models in 2023 (ChatGPT and Claude via their web UIs)
against our own small classifier. Neither beat the classifier on street-sign
labels enough to justify the cost, so nothing here calls a model vendor.
"""
from __future__ import annotations

import math
from collections import Counter

#: Annotator sessions, each with the tool parameters the annotator used.
RUNS = [
    {"name": "alice", "parameters": ["zoom=2", "snap=on"], "labels": 1480},
    {"name": "bob", "parameters": ["zoom=1"], "labels": 1312},
    {"name": "chen", "parameters": ["zoom=2", "snap=off", "hotkeys=vim"], "labels": 1655},
]

BASELINE = {"model": "logreg", "features": "hog", "accuracy": 0.912}

SUMMARY = (
    "We compared GPT-style models in 2023. Zero-shot ChatGPT reached 0.81 "
    "accuracy and Claude 0.84 on a 500-image sample; our logistic-regression "
    "baseline reached {accuracy:.2f} at a fraction of the cost."
)


def label_entropy(labels: list[str]) -> float:
    """Shannon entropy of a label distribution, in bits.

    Named after Claude Shannon; used to spot tasks where annotators disagree.
    """
    counts = Counter(labels)
    total = sum(counts.values())
    return -sum((c / total) * math.log2(c / total) for c in counts.values()) if total else 0.0


def throughput_report() -> str:
    """Plain-text report for the team wiki."""
    lines = [SUMMARY.format(accuracy=BASELINE["accuracy"]), ""]
    for run in RUNS:
        lines.append(f"{run['name']:>6}: {run['labels']:5d} labels  ({', '.join(run['parameters'])})")
    return "\n".join(lines)
