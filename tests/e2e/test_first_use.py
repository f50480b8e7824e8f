"""Rough edges a first-time user hits: a notebook of plots skipped as too large, `explain`
that cannot guess a near miss, lists model families as targets or shows a lookalike twice,
and `rules` printing a raw `{match}`."""

from __future__ import annotations

import base64
import json
import random

import pytest

from lockscan.authoring.ruledocs import bracket_balance, closest_ids, rule_doc
from lockscan.model.config import ScanConfig
from lockscan.pipeline.scan import scan
from lockscan.score import known_targets
from tests.support.cli import run


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


@pytest.mark.parametrize(("typed", "first"), [
    ("anthropic.assitant-prefil", "anthropic.assistant-prefill"),  # a typo
    ("OpenAI.Tool-Schema", "openai.tool-schema"),  # the wrong case
    ("prefill", "anthropic.prefill-open"),  # part of a name
    ("tool-schema", "anthropic.tool-schema"),  # the name without its vendor
])
def test_explain_suggests_the_closest_rule_ids(typed, first):
    code, out, err = run("explain", typed)
    assert code == 2 and out == ""
    assert err.startswith(f"lockscan: unknown rule `{typed}`; did you mean `{first}`")
    assert err.count("\n") == 1


def test_closest_ids_lists_every_vendor_for_a_bare_rule_name(rules):
    found = closest_ids("chat-completion", list(rules.by_id))
    assert {"openai.chat-completion", "groq.chat-completion", "azure_openai.chat-completion"} <= set(found)
    assert all(rule_id.endswith(".chat-completion") for rule_id in found)
    assert closest_ids("zzzzqqq", list(rules.by_id)) == []


def test_explain_prices_real_targets_only(rules):
    code, out, _ = run("explain", "openai.tool-schema")
    assert code == 0
    table = out.split("### Effort to switch (points per finding)\n", 1)[1]
    rows = [line.split(" | ")[0].strip("| ") for line in table.splitlines()[2:]]
    assert rows == known_targets(rules)
    assert "llama" not in rows and "litellm" in rows


def test_no_rule_page_shows_a_line_as_both_example_and_lookalike(rules):
    for rule in rules.rules:
        doc = rule_doc(rule, rules)
        reported = {line.strip() for snippet in doc.examples for line in snippet.splitlines()}
        for snippet in doc.lookalikes:
            assert {line.strip() for line in snippet.splitlines()} - reported, (rule.id, snippet)
        assert len(set(doc.lookalikes)) == len(doc.lookalikes), rule.id


def test_the_prefill_page_ends_its_example_where_the_statement_ends():
    code, out, _ = run("explain", "anthropic.assistant-prefill")
    assert code == 0
    example = out.split("### Example\n```python\n", 1)[1].split("```", 1)[0]
    assert example.count("\n") == 1  # one call; its `"{"` content opens no bracket
    assert "lone = [" in out.split("Not reported (lookalikes):", 1)[1]


@pytest.mark.parametrize(("code", "balance"), [
    ('x = ["{"]', 0), ('call(a, """(""", b', 1), ('f("\\"(", (', 2), ("g(  # (", 1),
    ("d = {'a': '}'", 1), ("])", -2),
])
def test_bracket_balance_skips_strings_and_comments(code, balance):
    assert bracket_balance(code) == balance


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rules_never_show_a_raw_placeholder(fmt):
    code, out, _ = run("rules", "--format", fmt)
    assert code == 0 and out.count("\n") > 100
    if fmt == "json":
        out = "\n".join(row["message"] for row in json.loads(out))
    assert "{match}" not in out and "{data}" not in out
    assert "imports the OpenAI SDK (`…`)" in out
