"""The switch cost in words (text report): notes a reader weighs, each said once."""

from __future__ import annotations

from lockscan.model import SourceCost, SwitchCost
from lockscan.report import render
from lockscan.report.switch_text import data_lines, listed, source_sentence, target_note


def _cost(target: str, data: tuple[str, ...] = (), supported: tuple[str, ...] = (),
          parts: tuple[SourceCost, ...] = ()) -> SwitchCost:
    return SwitchCost(target, 1.0, 1, "A", lines=sum(p.lines for p in parts),
                      by_source=parts, supported_by=supported, data_migrations=data)


def test_the_same_stored_data_note_is_said_once_for_every_target_it_applies_to():
    costs = {"anthropic": _cost("anthropic", ("a.py", "b.py")),
             "google": _cost("google", ("a.py",)),
             "litellm": _cost("litellm"),
             "openai": _cost("openai", ("a.py", "b.py"))}
    assert data_lines(costs) == [
        "anthropic, openai: + stored data to rebuild (re-embed, retrain) in 2 files",
        "google: + stored data to rebuild (re-embed, retrain) in 1 file"]


def test_support_is_named_only_when_other_vendors_code_moves():
    moving = _cost("anthropic", supported=("providers/anthropic.py",),
                   parts=(SourceCost("openai", 3.0, 18, 2),))
    assert target_note(moving) == "already supports anthropic (providers/anthropic.py)"
    upgrade_only = _cost("anthropic", supported=("providers/anthropic.py",),
                         parts=(SourceCost("anthropic", 2.0, 12, 1),))
    assert target_note(upgrade_only) == "the upgrade of your own legacy code"


def test_where_a_target_comes_from_is_said_when_it_mixes_an_upgrade_and_other_code():
    cost = _cost("anthropic", parts=(SourceCost("openai", 2.0, 12, 1),
                                     SourceCost("anthropic", 6.0, 40, 2)))
    assert source_sentence(cost, {"openai": "OpenAI", "anthropic": "Anthropic"}) == (
        "to anthropic: 40 lines from upgrading your legacy Anthropic calls, 12 from your "
        "OpenAI code")
    assert source_sentence(_cost("anthropic", parts=(SourceCost("openai", 2.0, 12, 1),))) == ""


def test_a_long_list_of_paths_names_a_few_and_counts_the_rest():
    paths = tuple(f"cookbook/{n}.py" for n in range(26))
    assert listed(paths, 3) == "cookbook/0.py, cookbook/1.py, cookbook/2.py, +23 more"
    assert listed(paths[:3], 3) == "cookbook/0.py, cookbook/1.py, cookbook/2.py"
    assert listed(()) == ""


def test_the_text_reports_gateway_line_names_a_few_leaks(scan_tree):
    """A gateway with five modules calling the SDK past it: the line names three and
    counts the rest (a framework's leaks ran to 26 files on one line)."""
    gateway = ("from openai import OpenAI\nclient = OpenAI()\n" + "".join(
        f"def ask{n}(q):\n    return client.chat.completions.create(model='gpt-4o', "
        "messages=q).choices[0].message.content\n" for n in range(6)))
    files = {"app/__init__.py": "", "app/llm.py": gateway,
             "app/main.py": "from app import llm\n" + "".join(
                 f"from app import leak{n}\n" for n in range(5))}
    files.update({f"app/leak{n}.py": "import openai\n" for n in range(5)})
    result = scan_tree(files)
    assert result.graph.gateways == ("app/llm.py",) and len(result.graph.leaks) == 5
    text = render("scan", "text", result)
    assert ("gateways: app/llm.py · leaks past them: app/leak0.py, app/leak1.py, "
            "app/leak2.py, +2 more\n") in text
