"""Vendor and portable-layer paths are told by a bounded prefix walk: the same answers as
testing every segment boundary of the path."""

from __future__ import annotations

import random

from lockscan.ruleset import load_rules
from lockscan.ruleset.index import SEGMENT_END


def every_boundary(path: str, modules: frozenset[str]) -> bool:
    return path in modules or any(path[:end.start()] in modules
                                  for end in SEGMENT_END.finditer(path))


def test_random_paths_get_the_answers_of_every_boundary():
    index = load_rules().index
    modules = sorted(index.vendor_module_set)
    words = [w for m in modules for w in m.split(".")] + ["x", "OpenAI()", "create(a)", "[0]"]
    rng = random.Random(3)
    for _ in range(20000):
        path = rng.choice(modules + words)
        for _ in range(rng.randint(1, 7)):
            path += rng.choice([".", ".", "(", "[", "()."]) + rng.choice(words)
        root_known = SEGMENT_END.split(path, 1)[0] in index.vendor_roots
        assert index.is_vendor_path(path) == (root_known
                                               and every_boundary(path, index.vendor_module_set))
        assert index.is_portable_path(path) == every_boundary(path, index.portable_modules)


def test_examples():
    index = load_rules().index
    assert index.is_vendor_path("google.genai.Client().models")
    assert not index.is_vendor_path("google.cloud.storage.Client")
    assert index.is_vendor_path("openai(x)") and not index.is_vendor_path("openaix.y")
    assert index.is_portable_path("litellm.completion(model)")
    assert not index.is_portable_path("openai.OpenAI().chat")
