"""Rough edges a first-time user hits: a notebook of plots skipped as too large, `explain`
that cannot guess a near miss, lists model families as targets or shows a lookalike twice,
and `rules` printing a raw `{match}`."""

from __future__ import annotations

import base64
import json
import random

from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan


def _notebook(code_cells: list[str], plot_bytes: int) -> str:
    plot = base64.b64encode(random.Random(7).randbytes(plot_bytes)).decode()
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# Results\n"]}]
    for number, code in enumerate(code_cells, start=1):
        cells.append({"cell_type": "code", "metadata": {}, "execution_count": number,
                      "source": code.splitlines(keepends=True),
                      "outputs": [{"output_type": "display_data", "metadata": {},
                                   "data": {"image/png": plot, "text/plain": ["<Figure>"]}}]})
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells})


CELLS = ["from openai import OpenAI\nclient = OpenAI()\n",
         "reply = client.chat.completions.create(model=MODEL, messages=[])\n"]


def test_a_notebook_of_plots_is_sized_by_its_code_and_scanned(tmp_path, rules):
    path = tmp_path / "analysis.ipynb"
    path.write_text(_notebook(CELLS, 1_500_000), encoding="utf-8")  # two plots: ~4 MB
    assert path.stat().st_size > 4_000_000
    result = scan(tmp_path, ScanConfig(jobs=1), rules)
    assert result.diagnostics == ()
    assert {(f.cell, f.rule) for f in result.findings} >= {
        (1, "openai.import"), (1, "openai.client"), (2, "openai.chat-completion")}


def test_a_notebook_whose_code_is_over_the_limit_is_skipped_saying_so(tmp_path, rules):
    (tmp_path / "huge.ipynb").write_text(_notebook(CELLS, 1_000), encoding="utf-8")
    code = sum(len(c) for c in CELLS)
    result = scan(tmp_path, ScanConfig(jobs=1, max_file_size=code - 1), rules)
    assert result.findings == ()
    (diagnostic,) = result.diagnostics
    assert (diagnostic.path, diagnostic.code) == ("huge.ipynb", "too-large")
    assert diagnostic.message.startswith(f"code cells hold {code} characters, over max_file_size")
    result = scan(tmp_path, ScanConfig(jobs=1, max_file_size=code), rules)
    assert result.findings and result.diagnostics == ()


def test_a_python_file_over_the_limit_is_still_skipped_by_its_bytes(tmp_path, rules):
    (tmp_path / "big.py").write_text("import openai\n" + "x = 1\n" * 100, encoding="utf-8")
    result = scan(tmp_path, ScanConfig(jobs=1, max_file_size=100), rules)
    assert [(d.path, d.code) for d in result.diagnostics] == [("big.py", "too-large")]
