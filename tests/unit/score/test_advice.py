"""Advice that makes sense: the gateway named is a real one, and the three changes are
ranked by the lines they save."""

from __future__ import annotations

import re

CALL = "    return client.chat.completions.create(model=m, messages=[{'role': 'user', 'content': q}])\n"
SETUP = "from openai import OpenAI\nclient = OpenAI()\n"


def _calls(*names: str) -> str:
    return SETUP + "".join(f"def {n}(q, m):\n{CALL}" for n in names)


def _saved(text: str) -> int:
    found = re.search(r"saves ~(\d+) lines", text)
    assert found, text
    return int(found.group(1))


def _moves(suggestions) -> list[str]:
    return [s for s in suggestions if s.startswith("move ")]


REPO = {
    "app/__init__.py": "",
    "app/llm.py": _calls("chat", "tag", "summary"),  # concentrates the calls, imported below
    "app/chat.py": "from app.llm import chat\n" + _calls("chat2"),
    "app/tag.py": "from app.llm import tag\n" + _calls("tag2"),
    "app/web.py": "from app.llm import summary\nfrom app.errors import Oops\n" + _calls("faq"),
    # Imported by everyone, holds the vendor's exceptions and model ids: not a gateway.
    "app/errors.py": "import openai\nclass Oops(openai.OpenAIError):\n    pass\n"
                     + "def again(q, m):\n" + CALL.replace("return client", "return openai.OpenAI()"),
    "app/constants.py": "MODEL = 'gpt-4o-mini'\nEMBED = 'text-embedding-3-small'\n",
    "app/users.py": "from app.constants import MODEL\nfrom app.errors import Oops\n",
    "tests/test_llm.py": "from app.llm import chat\n" + _calls("a", "b", "c", "d", "e"),
}


def test_the_gateway_is_the_module_that_concentrates_the_calls_and_says_why(scan_tree):
    result = scan_tree(REPO, targets=("anthropic",))
    moves = _moves(result.switch_cost["anthropic"].suggestions)
    assert moves, result.switch_cost["anthropic"].suggestions
    assert "behind app/llm.py (it already holds" in moves[0]
    assert "module" in moves[0] and "import it" in moves[0]
    for bad in ("tests/", "errors.py", "constants.py"):
        assert f"behind {bad}" not in moves[0] and f"behind app/{bad}" not in moves[0]


def test_the_configured_gateway_wins(scan_tree):
    configured = scan_tree(REPO, targets=("anthropic",), allowed_modules=("app/web.py",))
    moves = _moves(configured.switch_cost["anthropic"].suggestions)
    assert moves and "behind app/web.py (your allowed_modules)" in moves[0]


def test_code_already_in_the_configured_gateway_is_not_asked_to_move(scan_tree):
    inside = scan_tree({"app/__init__.py": "", "app/gateway/__init__.py": "",
                        "app/gateway/chat.py": _calls("a", "b"), "app/gateway/tags.py": _calls("c"),
                        "app/main.py": "from app.gateway.chat import a\nfrom app.gateway.tags import c\n"},
                       targets=("anthropic",), allowed_modules=("app/gateway/**",))
    assert inside.switch_cost["anthropic"].suggestions  # reworks are still suggested
    assert _moves(inside.switch_cost["anthropic"].suggestions) == []


def test_a_new_module_is_advised_when_no_module_that_others_import_holds_calls(scan_tree):
    result = scan_tree({f"jobs/j{n}.py": _calls(f"f{n}") for n in range(4)}
                       | {"jobs/models.py": "MODEL = 'gpt-4o'\n"}, targets=("anthropic",))
    moves = _moves(result.switch_cost["anthropic"].suggestions)
    assert len(moves) == 1 and "modules behind jobs/llm_gateway.py (a new module: " in moves[0]


def test_a_module_with_few_of_the_calls_is_not_named_the_gateway(scan_tree):
    spread = {f"app/m{n}.py": _calls(f"f{n}", f"g{n}") for n in range(6)}
    spread["app/small.py"] = _calls("s")  # imported, but holds 2 of the 20 calls and clients
    spread["app/main.py"] = "from app.small import s\n"
    result = scan_tree({"app/__init__.py": ""} | spread, targets=("anthropic",))
    moves = _moves(result.switch_cost["anthropic"].suggestions)
    assert moves and "behind app/llm_gateway.py (a new module" in moves[0]
    assert "behind app/small.py" not in " ".join(moves)


def test_one_file_calling_the_vendor_needs_no_move(scan_tree):
    result = scan_tree({"app/__init__.py": "", "app/only.py": _calls("a", "b")},
                       targets=("anthropic",))
    assert _moves(result.switch_cost["anthropic"].suggestions) == []


def test_the_three_changes_are_ranked_by_lines_saved(scan_tree):
    result = scan_tree(REPO, targets=("anthropic", "google"))
    for cost in result.switch_cost.values():
        saved = [_saved(s) for s in cost.suggestions]
        assert len(saved) == 3
        assert saved == sorted(saved, reverse=True)
        assert all(0 < s <= cost.lines for s in saved)


def test_reworks_count_production_code_only(scan_tree):
    """Ten example scripts with the same calls as two production modules: the advice to
    rework the call names the production findings, not the examples'."""
    repo = {"app/__init__.py": "", "app/chat.py": _calls("chat"), "app/tag.py": _calls("tag"),
            **{f"examples/demo{n}.py": _calls("demo") for n in range(10)}}
    suggestions = scan_tree(repo, targets=("anthropic",)).switch_cost["anthropic"].suggestions
    reworks = [s for s in suggestions if s.startswith("rework the ")]
    assert reworks, suggestions
    assert all("examples/" not in s for s in reworks)
    call = next(s for s in reworks if "`openai.chat-completion`" in s)
    assert call.startswith("rework the 2 `openai.chat-completion` findings in 2 files")
