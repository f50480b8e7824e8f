"""The link prefilter's vendor-bound names: worked out once per exported value, the same
names as resolving every name on its own."""

from __future__ import annotations

import itertools
import random

from lockscan.engine.summaries import FACTORY, MAX_HOPS
from lockscan.pipeline.link import _vendor_bound, resolve_path
from lockscan.ruleset import load_rules


def reference(exports: dict[str, str], index) -> set[str]:
    """Every name resolved on its own (what the prefilter did before sharing values)."""
    return {
        name for name in exports if resolve_path(name, exports, index) is not None
        or (exports[name].startswith(FACTORY)
            and resolve_path(exports[name][len(FACTORY):], exports, index) is not None)
    }


def test_aliases_chains_and_factories_bind_as_when_each_name_is_resolved():
    index = load_rules().index
    exports = {
        "app.llm.client": "openai.OpenAI()",
        "backend.app.llm.client": "openai.OpenAI()",  # a nested-root alias
        "app.chat.client": "app.llm.client",  # re-exported
        "app.chat.make": f"{FACTORY}anthropic.Anthropic()",
        "app.util.helper": "app.util.other",
        "app.util.other": "app.util.helper",  # a cycle binds nothing
        "app.self.loop": "app.self.loop",
        "openai": "openai",
    }
    bound = _vendor_bound(exports, index)
    assert bound == reference(exports, index)
    assert {"app.llm.client", "backend.app.llm.client", "app.chat.client", "app.chat.make",
            "openai"} == bound


def test_a_chain_as_long_as_the_hop_limit_binds_the_same_either_way():
    index = load_rules().index
    for length in (MAX_HOPS - 2, MAX_HOPS - 1, MAX_HOPS, MAX_HOPS + 1):
        names = [f"pkg.m{i}.x" for i in range(length)]
        exports = dict(zip(names, [*names[1:], "openai.OpenAI()"], strict=True))
        assert _vendor_bound(exports, index) == reference(exports, index), length


def test_random_tables_bind_the_same_names():
    index = load_rules().index
    rng = random.Random(7)
    targets = ["openai.OpenAI()", "litellm.completion", "os.getenv", "json.loads"]
    for _ in range(50):
        names = [f"m{i}.{n}" for i, n in itertools.product(range(4), "abc")]
        exports = {}
        for name in names:
            pick = rng.random()
            value = rng.choice(names + targets)
            exports[name] = f"{FACTORY}{value}" if pick < 0.2 else value
        assert _vendor_bound(exports, index) == reference(exports, index)
