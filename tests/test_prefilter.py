"""The prefilter is a superset: it never rejects a file that a rule matches."""

from __future__ import annotations

from lockscan.analyze import SELF_SCREENED
from lockscan.prefilter import needs_analysis, prefilter_for
from lockscan.rules import bundled_rules_dir
from lockscan.ruletest import example_files, example_kind


def test_every_example_line_with_a_finding_passes_the_prefilter(rules):
    prefilter = prefilter_for(rules)
    for path in example_files([bundled_rules_dir()]):
        kind = example_kind(path)
        if kind is not None and kind[0] in SELF_SCREENED:
            continue  # manifests, notebooks and configs never go through the prefilter
        for line in path.read_text("utf-8").splitlines():
            if "# expect:" in line:
                code = line.split("# expect:")[0]
                # A single line is enough context for all but the resolved-only rules,
                # whose file always contains the vendor import that passes.
                assert needs_analysis(code.encode(), prefilter) or needs_analysis(
                    path.read_bytes(), prefilter), line


def test_plain_code_is_rejected(rules):
    prefilter = prefilter_for(rules)
    assert not needs_analysis(b"import os\n\ndef add(a, b):\n    return a + b\n", prefilter)
    assert not needs_analysis(b"x = {'type': 'object', 'name': 'n'}\n", prefilter)


def test_vendor_words_pass(rules):
    prefilter = prefilter_for(rules)
    for text in (b"import openai", b"from anthropic import X", b"os.environ['OPENAI_API_KEY']",
                 b'm = "gpt-4o-mini"', b"if r.finish_reason == 'stop':",
                 b'{"input_schema": {}}', b"resp.choices[0]"):
        assert needs_analysis(text, prefilter), text


def test_vendor_module_names_count_only_on_import_lines(rules):
    prefilter = prefilter_for(rules)
    assert not needs_analysis(b"# we work together on inference\nteam = 'together'\n", prefilter)
    for text in (b"import together\n", b"from together import Together\n",
                 b"    from google import genai  # lazy\n", b"\xef\xbb\xbfimport openai\n",
                 b"from google import (\n    genai,\n)\n", b"import os, anthropic\n"):
        assert needs_analysis(text, prefilter), text


def test_string_rules_are_screened_by_one_pattern(rules):
    from lockscan.match import index_rules

    screen = index_rules(rules).string_screen("python")
    assert screen.search("gpt-4o-mini") and screen.search("claude-3-5-sonnet-latest")
    assert not screen.search("hello world")
