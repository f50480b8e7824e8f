"""The prefilter is a superset: it never rejects a file that a rule matches."""

from __future__ import annotations

import ast
import textwrap

from lockscan.authoring.ruletest import example_files, example_kind
from lockscan.engine import SELF_SCREENED
from lockscan.engine.prefilter import Verdict, compile_prefilter
from lockscan.ruleset import bundled_rules_dir


def test_every_example_line_with_a_finding_passes_the_prefilter(rules):
    prefilter = compile_prefilter(rules)
    for path in example_files([bundled_rules_dir()]):
        kind = example_kind(path)
        if kind is not None and kind[0] in SELF_SCREENED:
            continue  # manifests, notebooks and configs never go through the prefilter
        for line in path.read_text("utf-8").splitlines():
            if "# expect:" in line:
                code = line.split("# expect:")[0]
                # A single line is enough context for all but the resolved-only rules,
                # whose file always contains the vendor import that passes.
                assert prefilter.accepts(code.encode()) or prefilter.accepts(
                    path.read_bytes()), line


def test_plain_code_is_rejected(rules):
    prefilter = compile_prefilter(rules)
    assert not prefilter.accepts(b"import os\n\ndef add(a, b):\n    return a + b\n")
    assert not prefilter.accepts(b"x = {'type': 'object', 'name': 'n'}\n")


def test_vendor_words_pass(rules):
    prefilter = compile_prefilter(rules)
    for text in (b"import openai", b"from anthropic import X", b"os.environ['OPENAI_API_KEY']",
                 b'm = "gpt-4o-mini"', b"if r.finish_reason == 'stop':",
                 b'{"name": "f", "input_schema": {}}', b"resp.choices[0].message.content",
                 b"text = (resp\n  .choices[0]  # first\n  .message\n  .content)"):
        assert prefilter.accepts(text), text


def test_vendor_module_names_count_only_on_import_lines(rules):
    prefilter = compile_prefilter(rules)
    assert not prefilter.accepts(b"# we work together on inference\nteam = 'together'\n")
    for text in (b"import together\n", b"from together import Together\n",
                 b"    from google import genai  # lazy\n", b"\xef\xbb\xbfimport openai\n",
                 b"from google import (\n    genai,\n)\n", b"import os, anthropic\n"):
        assert prefilter.accepts(text), text


def test_string_rules_are_screened_by_one_pattern(rules):
    screen = rules.index.text_screen("python")
    assert screen.search("gpt-4o-mini") and screen.search("claude-3-5-sonnet-latest")
    assert not screen.search("hello world")


def _python_sources() -> list[tuple[str, bytes]]:
    """Every Python example file and sample-repo file, as (name, bytes)."""
    from tests.support.repos import SAMPLE_REPOS

    paths = [p for p in example_files([bundled_rules_dir()])
             if (example_kind(p) or ("",))[0] == "python"]
    paths += sorted(SAMPLE_REPOS.rglob("*.py"))
    return [(str(p), p.read_bytes()) for p in paths]


def _findings(data: bytes, rules) -> tuple:
    from lockscan.engine import analyze_file
    from lockscan.model import SourceFile

    source = SourceFile("m.py", "m.py", "python", "m", len(data))
    return analyze_file(source, data, rules, True).findings


def test_a_line_the_prefilter_rejects_has_no_finding_in_full_analysis(rules):
    """Soundness on every line of every example and sample file: any line that the
    full analyzer reports on, on its own, passes the prefilter on its own."""
    prefilter = compile_prefilter(rules)
    checked = 0
    for name, data in _python_sources():
        for line in data.splitlines():
            if prefilter.accepts(line) or not line.strip():
                continue
            checked += 1
            assert not _findings(line.lstrip(), rules), (name, line)
    assert checked > 500


def test_a_file_the_prefilter_rejects_has_no_finding_in_full_analysis(rules):
    rejected = 0
    for name, data in _python_sources():
        if not compile_prefilter(rules).accepts(data):
            rejected += 1
            assert not _findings(data, rules), name
    assert rejected >= 1


def test_a_rule_with_several_conditions_needs_all_of_them(rules):
    """Standard-library code that shares one word with a vendor shape is not analyzed
    (each was a false positive of the single-anchor prefilter)."""
    prefilter = compile_prefilter(rules)
    for text in (b"parser.add_argument('--x', choices=['a', 'b'])\nx = random.choices(p)\n",
                 b"d = {'type': 'object', 'name': 'n'}\nif kind == 'assistant': pass\n",
                 b"node.arguments = []\n",  # `function.arguments` needs `function` too
                 b"for o1, o2 in pairs: pass\nx = '%o8]'\n",  # `o1` is a model id only quoted
                 b'x = """\nwe work\n  together)\n"""\n'):
        assert not prefilter.accepts(text), text
    for text in (b"m = 'o1'\n", b'm = f"o1"\n', b"m = '''o3-mini'''\n",
                 b"x = tc.function.arguments\n", b"x = function.arguments\n",
                 b"d = dict(type='function', function=dict(name='f'))\n",
                 b"d = {'role': 'user'}, {'role': 'assistant', 'content': 'x'}\n",
                 b"if chunk.type == 'content_block_delta': pass\n"):
        assert prefilter.accepts(text), text


def test_prompt_files_are_screened_by_prompt_string_rules_only(rules):
    prefilter = compile_prefilter(rules, "prompt")
    assert prefilter.accepts(b"<|im_start|>system\nYou are helpful<|im_end|>\n")
    assert not prefilter.accepts(b"import openai\nresp.choices[0].message.content\n")


def test_every_alternative_of_a_chain_pattern_gets_its_own_anchor():
    from lockscan.ruleset.matchers.access import access_clauses
    from lockscan.ruleset.matchers.base import Atom
    from lockscan.ruleset.matchers.words import expand

    assert expand("a.{b,c.d}[]") == ["a.b[]", "a.c.d[]"]
    assert access_clauses("message.{tool_plan,citations}") == [
        ((Atom("member", "tool_plan"),), (Atom("word", "message"),)),
        ((Atom("member", "citations"),), (Atom("word", "message"),)),
    ]


# --------------------------------------------------------------------------- stage 3


def _through_prefilter(data: bytes, rules) -> tuple:
    """Findings the way a scan gets them: the verdict decides how deep to go."""
    from lockscan.engine import analyze_file
    from lockscan.model import SourceFile

    verdict = compile_prefilter(rules).verdict(data)
    source = SourceFile("m.py", "m.py", "python", "m", len(data))
    return analyze_file(source, data, rules, verdict is not Verdict.SKIP,
                        shapes_only=verdict is Verdict.SHAPES).findings


def _snippets(data: bytes) -> list[bytes]:
    """Each line and each statement, at any depth and with its decorators, that parses
    alone (dedented)."""
    lines = data.splitlines(keepends=True)
    found = [line.lstrip() for line in lines]
    try:
        tree = ast.parse(data)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            block = b"".join(lines[first - 1:node.end_lineno]).decode("utf-8")
            found.append(textwrap.dedent(block).encode("utf-8"))
    return [s for s in dict.fromkeys(found) if s.strip() and _parses(s)]


def _parses(snippet: bytes) -> bool:
    try:
        ast.parse(snippet)
    except (SyntaxError, ValueError):
        return False
    return True


def test_the_syntax_tree_screen_keeps_every_finding(rules):
    """Soundness of stage 3 on every line and top-level statement of every example and
    sample file that only multi-condition rules could match: the findings through the
    screen are exactly those of full analysis. Many such snippets are ruled out."""
    prefilter = compile_prefilter(rules)
    screened, ruled_out = 0, 0
    for name, data in _python_sources():
        for snippet in _snippets(data):
            if prefilter.verdict(snippet) is not Verdict.SHAPES:
                continue
            screened += 1
            ruled_out += not prefilter.shapes_in_tree(ast.parse(snippet))
            assert _through_prefilter(snippet, rules) == _findings(snippet, rules), (name, snippet)
    assert screened > 150 and ruled_out >= 5, (screened, ruled_out)


def test_all_conditions_of_a_shape_must_hold_in_one_expression(rules):
    prefilter = compile_prefilter(rules)
    for text in (
        # argparse's `choices` keyword and a `.text` elsewhere (CPython's calendar.py)
        b"parser.add_argument('-t', default='text', choices=('text', 'html'))\nw.text = 1\n",
        b"c = tc.function\nx = c.arguments\n",  # a chain split over two statements
        b"a = {'type': 'function'}\nb = {'function': {'name': 'f'}}\n",  # keys of two dicts
        b"names = {'function', 'name', 'type'}\nd = {'function': 1, 'name': 2}\nt = {'type': 3}\n",
        b"if r.finish_reason:\n    pass\nx = 'stop'\n",  # attribute and value apart
    ):
        assert prefilter.verdict(text) is Verdict.SHAPES, text
        assert not prefilter.shapes_in_tree(ast.parse(text)), text
        assert _through_prefilter(text, rules) == ()
    for text in (
        b"x = resp.choices[0].text\n",
        b"@cache(key=lambda r: r.choices[0]\n        .message.content)\ndef f(): pass\n",
        b"def f(x=tc.function.arguments): pass\n",
        b"tools = [{'type': 'function', 'function': {'name': 'f'}}]\n",
        b"try:\n    pass\nexcept E if r.finish_reason == 'stop' else F:\n    pass\n",
        b"match x:\n    case _ if r.finish_reason == 'stop':\n        pass\n",
    ):
        assert prefilter.shapes_in_tree(ast.parse(text)), text
        assert _through_prefilter(text, rules) == _findings(text, rules) != (), text
