"""The README shows real output: every code block after a ``<!-- readme-example -->``
comment starts with a ``$ lockscan ...`` command, which is run on a copy of the sample
repos and must print what the block shows.

``<!-- readme-example: lines 1..2, 20..27 -->`` shows only those lines of the output
(1-based, both ends included; negative numbers count from the end, ``-1`` is the last
line), with ``...`` where lines are left out; ``"text"+12`` is the 12 lines from the next
line holding ``text``, which stays put when lines above it come and go. Trailing spaces are
not compared.

When a change alters the output on purpose, rewrite the blocks from real output with
``LOCKSCAN_UPDATE_README=1 .venv/bin/python -m pytest tests/e2e/test_readme.py`` (or
``make readme``), then read the diff: the line ranges may need moving.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from lockscan.cli import cli
from tests.support.repos import ROOT, SAMPLE_REPOS, is_git_ignored

README = ROOT / "README.md"
EXAMPLE = re.compile(r"<!-- readme-example(?:: lines (?P<lines>(?:[-\d., ]|\"[^\"]+\"\+\d+)+))? -->\n"
                     r"```(?P<lang>[a-z]*)\n(?P<body>.*?)\n```", re.S)
SKIPPED = "..."


@dataclass(frozen=True)
class Example:
    start: int  # of the block's body in the README
    end: int
    ranges: tuple[Range, ...]  # empty: the whole output
    body: str

    @property
    def command(self) -> list[str]:
        """The ``$ ...`` line and its backslash-continued lines, as typed."""
        lines = self.body.splitlines()
        taken = [lines[0]]
        while taken[-1].endswith("\\"):
            taken.append(lines[len(taken)])
        return taken

    def argv(self) -> list[str]:
        words = shlex.split(" ".join(line.rstrip("\\") for line in self.command)[2:])
        assert words[0] == "lockscan", f"README example is not a lockscan command: {words}"
        return words[1:]


Range = tuple[int, int] | tuple[str, int]  # (first, last) line numbers, or (text, lines)
_PART = re.compile(r'\s*(?:"(?P<text>[^"]+)"\+(?P<count>\d+)|(?P<first>-?\d+)(?:\.\.(?P<last>-?\d+))?)\s*')


def examples(text: str) -> list[Example]:
    found = []
    for match in EXAMPLE.finditer(text):
        spec = match.group("lines")
        ranges = tuple(parse_range(part) for part in _parts(spec)) if spec else ()
        found.append(Example(match.start("body"), match.end("body"), ranges, match.group("body")))
    return found


def _parts(spec: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r'\s*"[^"]+"\+\d+|[^,]+', spec) if m.group(0).strip()]


def parse_range(text: str) -> Range:
    match = _PART.fullmatch(text)
    assert match is not None, f"not a line range: {text!r}"
    if match.group("text"):
        return match.group("text"), int(match.group("count"))
    first = int(match.group("first"))
    return first, int(match.group("last") or first)


def excerpt(output: list[str], ranges: tuple[Range, ...]) -> list[str]:
    """The chosen lines of ``output``, ``...`` wherever lines are left out."""
    if not ranges:
        return output
    count = len(output)
    shown: list[str] = []
    upto = 0  # lines of output accounted for
    for first, last in ranges:
        if isinstance(first, str):
            at = next((i for i in range(upto, count) if first in output[i]), None)
            assert at is not None, f"no line holding {first!r} after line {upto}"
            start, stop = at, min(at + last, count)
        else:
            start = first - 1 if first > 0 else count + first
            stop = last if last > 0 else count + last + 1
        assert 0 <= upto <= start < stop <= count, f"lines {first}..{last} of {count} lines"
        if start > upto:
            shown.append(SKIPPED)
        shown.extend(output[start:stop])
        upto = stop
    if upto < count:
        shown.append(SKIPPED)
    return shown


def block(example: Example, output: str) -> str:
    lines = [line.rstrip() for line in output.splitlines()]
    return "\n".join([*example.command, *excerpt(lines, example.ranges)])


def test_excerpt_marks_what_it_leaves_out():
    lines = [f"l{i}" for i in range(1, 11)]
    assert excerpt(lines, ((1, 2), (5, 6))) == ["l1", "l2", SKIPPED, "l5", "l6", SKIPPED]
    assert excerpt(lines, ((-3, -1),)) == [SKIPPED, "l8", "l9", "l10"]
    assert excerpt(lines, ()) == lines
    assert excerpt(lines, ((1, 1), ("l5", 2), (-1, -1))) == ["l1", SKIPPED, "l5", "l6", SKIPPED, "l10"]
    assert [parse_range(p) for p in _parts('1..2, "a, b"+3, -4')] == [(1, 2), ("a, b", 3), (-4, -4)]
    with pytest.raises(AssertionError):
        excerpt(lines, ((5, 6), (1, 2)))


def test_readme_examples_show_real_output(tmp_path, monkeypatch):
    text = README.read_text(encoding="utf-8")
    found = examples(text)
    assert len(found) >= 2, "no <!-- readme-example --> blocks found in README.md"
    shutil.copytree(SAMPLE_REPOS, tmp_path / "sample_repos",
                    ignore=shutil.ignore_patterns(".lockscan"))
    monkeypatch.chdir(tmp_path)  # the commands name sample_repos/... as a reader types them
    expected = []
    for example in found:
        result = CliRunner().invoke(cli, example.argv(), catch_exceptions=False)
        assert result.exit_code in (0, 1), result.stderr
        expected.append(block(example, result.stdout))
    if os.environ.get("LOCKSCAN_UPDATE_README"):
        for example, new in sorted(zip(found, expected, strict=True), key=lambda p: -p[0].start):
            text = text[:example.start] + new + text[example.end:]
        README.write_text(text, encoding="utf-8")
        return
    assert [e.body for e in found] == expected, (
        "README examples differ from real output; if the change is intended, run "
        "`make readme` (LOCKSCAN_UPDATE_README=1) and review the diff")


DOC_PATH = re.compile(r"(?<![\w./<>*-])"
                      r"((?:lockscan|tests|bench|scripts|rules|docs|sample_repos)/[\w./-]*[\w/])")
NOT_FILES = {"lockscan/bundled_rules",  # where rules/ is installed, not a source folder
             "lockscan/v1"}  # a SARIF fingerprint name


def test_every_path_the_docs_name_exists():
    """A file moved (tests regrouped, the analyzer into engine/) leaves no stale path in
    the README or docs/ (docs/rules.md is generated)."""
    missing = []
    for doc in [README, *sorted((ROOT / "docs").glob("*.md"))]:
        if doc.name == "rules.md":
            continue
        for match in DOC_PATH.finditer(doc.read_text(encoding="utf-8")):
            path = match.group(1)
            if path not in NOT_FILES and not (ROOT / path).exists() and not is_git_ignored(path):
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert missing == []
