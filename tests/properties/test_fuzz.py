"""Property tests: the analyzer never raises, and findings do not depend on file order
or worker count. Derandomized with small example counts so CI stays fast and stable."""

from __future__ import annotations

import random
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockscan.engine import Analyzer, analyze_file
from lockscan.engine.findings import with_fingerprints
from lockscan.engine.python import analyze_python_source
from lockscan.engine.suppressions import apply_suppressions
from lockscan.model import FileFacts, SourceFile
from lockscan.model.config import ScanConfig
from lockscan.pipeline.analysis import Direct, analyze_all
from lockscan.pipeline.discover import discover
from lockscan.pipeline.link import link
from lockscan.pipeline.scan import scan
from lockscan.ruleset import RuleSet, load_rules

# hypothesmith compiles what it generates; Python's warnings about that are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")
RULES: RuleSet = load_rules()
ANALYZER = Analyzer(RULES)
FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])
SOURCE = SourceFile("fuzz/mod.py", "fuzz/mod.py", "python", "fuzz.mod")


def analyzed(data: bytes) -> FileFacts:
    facts = analyze_file(SOURCE, data, ANALYZER, True)
    assert isinstance(facts, FileFacts)
    assert all(d.code != "analyzer-error" for d in facts.diagnostics), facts.diagnostics
    return facts


@FUZZ
@given(hypothesmith.from_grammar())
def test_generated_programs_give_facts_or_a_diagnostic(source: str):
    facts = analyzed(source.encode("utf-8", "surrogatepass"))
    assert facts == analyzed(source.encode("utf-8", "surrogatepass"))  # deterministic


@settings(FUZZ, max_examples=4)
@given(hypothesmith.from_node())
def test_generated_syntax_trees_give_facts_or_a_diagnostic(source: str):
    analyzed(source.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_facts_or_a_diagnostic(data: bytes):
    analyzed(data)
    facts = analyze_python_source(SOURCE, data, ANALYZER, False)  # the prefilter-miss path
    assert all(d.code != "analyzer-error" for d in facts.diagnostics)


# Lines that exercise aliases, cross-module links, schemas and model ids, mixed freely.
VENDOR_LINES = [
    "import openai", "import anthropic", "from openai import OpenAI as O",
    "from anthropic import Anthropic", "import litellm",
    "client = openai.OpenAI()", "client = O()", "claude = Anthropic()",
    "from pkg.m0 import client", "from pkg.m1 import claude", "from pkg import m2",
    'r = client.chat.completions.create(model="gpt-4o", messages=[])',
    'm = claude.messages.create(model="claude-3-5-sonnet-20240620", max_tokens=1)',
    "text = r.choices[0].message.content", 'done = m.stop_reason == "tool_use"',
    'tool = {"type": "function", "function": {"name": "f", "parameters": {}}}',
    'schema = {"name": "f", "input_schema": {"type": "object"}}',
    'key = os.environ["OPENAI_API_KEY"]', "import os",
    'out = litellm.completion(model="gpt-4o-mini", messages=[])',
    "x = m2.client.embeddings.create(input='a', model='text-embedding-3-small')",
    "def f(c: openai.OpenAI):\n    return c.chat.completions.create(model='o1')",
    "class A:\n    def __init__(self):\n        self.c = Anthropic()\n    def go(self):\n"
    "        return self.c.messages.create(model='claude-3-opus-20240229')",
    "pass  # lockscan: ignore[openai.chat-completion]",
]

repos = st.lists(st.lists(st.sampled_from(VENDOR_LINES), max_size=8), min_size=1, max_size=5)


def write_repo(root: Path, modules: list[list[str]]) -> None:
    (root / "pkg").mkdir(parents=True, exist_ok=True)
    (root / "pkg" / "__init__.py").write_text("")
    for index, lines in enumerate(modules):
        (root / "pkg" / f"m{index}.py").write_text("\n".join(lines) + "\n")


def findings_in_order(root: Path, order: list[int]) -> list:
    found = discover(root, kinds=("python",))
    files = [found.files[i] for i in order]
    facts = link(analyze_all(files, Direct(ANALYZER, 1))[0], RULES)
    return with_fingerprints(apply_suppressions(facts))


@settings(FUZZ, max_examples=25)
@given(modules=repos, seed=st.integers(0, 2**16))
def test_findings_do_not_depend_on_file_order(tmp_path_factory, modules, seed):
    root = tmp_path_factory.mktemp("order")
    write_repo(root, modules)
    count = len(modules) + 1
    shuffled = list(range(count))
    random.Random(seed).shuffle(shuffled)
    assert findings_in_order(root, list(range(count))) == findings_in_order(root, shuffled)


def test_findings_do_not_depend_on_worker_count(tmp_path):
    """Enough files for the process pool (POOL_THRESHOLD) to be used with two workers."""
    rng = random.Random(8)
    write_repo(tmp_path, [rng.choices(VENDOR_LINES, k=6) for _ in range(80)])
    one = scan(tmp_path, ScanConfig(jobs=1), RULES)
    two = scan(tmp_path, ScanConfig(jobs=2), RULES)
    assert one.findings and one == two
