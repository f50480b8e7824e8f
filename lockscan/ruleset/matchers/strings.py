"""``match.strings``: regexes (or an exact-string table) searched in string literals,
config values and prompt files: model ids, chat-template tokens, vendor self-references.

``table`` maps exact strings to a datum the message can show as ``{data}`` (a retirement
date, say). ``files`` says which file kinds a rule reads: ``python`` (notebook code
cells too), ``notebook``, ``prompt`` (whole prompt and template files), ``config``
(values in YAML, TOML, JSON, dotenv templates). Model-id and credential rules read
config values by default: a model id in ``config.yaml`` is the same coupling as in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lockscan.model import PromptFact, Span, StringFact, TextValueFact
from lockscan.ruleset.candidates import Candidates, build_candidates, widened
from lockscan.ruleset.matchers.base import NO_TERMS, Group, Hit, Matcher, Terms
from lockscan.ruleset.regex import Regex, search_fragment, searchable, syntax_characters
from lockscan.ruleset.spec import SpecContext, SpecError, optional_regex, regex, str_list, table

if TYPE_CHECKING:
    from lockscan.ruleset.index import RuleIndex
    from lockscan.ruleset.model import Rule

FILE_KINDS = frozenset({"python", "notebook", "prompt", "config"})
CONFIG_STRING_KINDS = frozenset({"model_id", "credential"})  # read config values by default
MAX_HITS_PER_RULE = 200  # per prompt file: a generated file must not flood the report


@dataclass(frozen=True, slots=True)
class StringMatcher(Matcher):
    regexes: tuple[Regex, ...]  # RE2: linear-time matching (lockscan.ruleset.regex)
    table: tuple[tuple[str, str], ...]
    files: tuple[str, ...]
    exclude: Regex | None

    name: ClassVar[str] = "strings"
    facts: ClassVar[tuple[type, ...]] = (StringFact, TextValueFact, PromptFact)

    @classmethod
    def parse(cls, spec: Any, context: SpecContext) -> StringMatcher:
        fields = table(spec, {"regex", "table", "files", "exclude"})
        regexes = tuple(regex(r, "`regex`", context.trusted)
                        for r in str_list(fields.get("regex", []), "`regex`", optional=True))
        data = fields.get("table", {})
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise SpecError("`table` must map exact strings to strings")
        if not regexes and not data:
            raise SpecError("give `regex` or `table`")
        default = ["python", "config"] if context.kind in CONFIG_STRING_KINDS else ["python"]
        files = tuple(str_list(fields.get("files", default), "`files`"))
        unknown = set(files) - FILE_KINDS
        if unknown:
            raise SpecError(f"`files` has unknown kinds {sorted(unknown)}")
        return cls(regexes=regexes, table=tuple(sorted(data.items())), files=files,
                   exclude=optional_regex(fields, "exclude", context.trusted))

    def applies_to(self, file_kind: str) -> bool:
        """Notebook code cells are Python: they match rules for ``python`` or ``notebook``."""
        return file_kind in self.files or (file_kind == "notebook" and "python" in self.files)

    def terms(self, file_kind: str) -> Terms:
        if file_kind not in self.files:
            return NO_TERMS
        return Terms(fragments=tuple(self.fragments(file_kind)))

    def fragments(self, file_kind: str) -> list[str]:
        """The regexes as searches over raw source. In Python a rule anchored at both
        ends matches a whole literal's value, so it must sit between quotes (prefixes
        such as ``f`` or ``r`` and triple quotes keep a quote adjacent)."""
        if file_kind != "python":
            return ([search_fragment(r.pattern) for r in self.regexes]
                    + [re.escape(key) for key, _ in self.table])
        fragments = []
        for pattern in (r.pattern for r in self.regexes):
            fragment = search_fragment(pattern)
            if _anchored_both(pattern):
                fragment = rf"[\"'](?:{search_fragment(pattern[1:-1])})[\"']"
            fragments.append(fragment)
        fragments.extend(rf"[\"']{re.escape(key)}[\"']" for key, _ in self.table)
        return fragments

    def locate(self, value: str) -> tuple[int, int, str] | None:
        """Where in ``value`` the rule matches (start, end) and its datum."""
        value = searchable(value)
        if self.exclude is not None and self.exclude.search(value):
            return None
        for key, data in self.table:
            if value == key:
                return 0, len(value), data
        for pattern in self.regexes:
            found = pattern.search(value)
            if found:
                # A group named `name` is the part reported (`X` of `${{ secrets.X }}`).
                group = pattern.groupindex.get("name", 0)
                return found.start(group), found.end(group), ""
        return None

    def screen_patterns(self) -> list[str] | None:
        """RE2 patterns one of which matches every value the rule matches: its own
        regexes, or, for bundled ones that fell back to Python's ``re``, widened ones."""
        patterns = [p.pattern if not isinstance(p, re.Pattern) else widened(p.pattern)
                    for p in self.regexes]
        return None if None in patterns else [p for p in patterns if p is not None]


def _anchored_both(pattern: str) -> bool:
    """``^...$`` with no top-level alternation and no escaped final ``$``."""
    if not (pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith(r"\$")):
        return False
    return not any(char in "|^$" and depth == 0
                   for _, char, depth in syntax_characters(pattern[1:-1]))


Member = tuple["Rule", StringMatcher]


class StringGroup(Group[StringMatcher]):
    def __init__(self, members: Sequence[tuple[Rule, StringMatcher]], index: RuleIndex) -> None:
        super().__init__(members, index)
        self.by_kind: dict[str, Candidates[Member]] = {}

    def candidates(self, file_kind: str) -> Candidates[Member]:
        """The rules that apply to ``file_kind``, screened together (built on first use:
        a rescan served from the cache matches nothing)."""
        found = self.by_kind.get(file_kind)
        if found is None:
            found = self.by_kind[file_kind] = build_candidates(
                (m for m in self.members if m[1].applies_to(file_kind)),
                lambda member: member[1].screen_patterns(),
                lambda member: (key for key, _ in member[1].table))
        return found

    def match(self, fact: StringFact | TextValueFact | PromptFact) -> list[Hit]:
        if isinstance(fact, PromptFact):
            return list(self._prompt_hits(fact.text))
        hits = []
        for rule, matcher in self.candidates(fact.file_kind).of(fact.value):
            found = matcher.locate(fact.value)
            if found is None:
                continue
            start, end, data = found
            span = fact.span
            if isinstance(fact, TextValueFact):  # the part of the value that matched
                span = Span(span.line, span.column + start, span.line, span.column + end)
            hits.append(Hit(rule, span, fact.value[start:end], rule.confidence, data))
        return hits

    def text_screen(self, file_kind: str) -> list[str]:
        fragments = []
        for _, matcher in self.members:
            if matcher.applies_to(file_kind):
                fragments.extend(search_fragment(r.pattern) for r in matcher.regexes)
                fragments.extend(re.escape(key) for key, _ in matcher.table)
        return fragments

    def _prompt_hits(self, text: str) -> Iterator[Hit]:
        """Whole-file searches of a prompt or template file: a token may span lines
        (``\\n\\nHuman:``)."""
        starts = _line_starts(text)
        lines = text.splitlines()
        for rule, matcher in self.members:
            if not matcher.applies_to("prompt"):
                continue
            count = 0
            for pattern in matcher.regexes:
                for found in pattern.finditer(text):
                    if count >= MAX_HITS_PER_RULE:
                        break
                    matched = found.group(0)
                    if not matched.strip():
                        continue
                    # Where the visible token starts (`Human:`, not the newlines before it).
                    start = found.start() + len(matched) - len(matched.lstrip())
                    end = found.end() - (len(matched) - len(matched.rstrip()))
                    line, column = _position(starts, start)
                    end_line, end_column = _position(starts, end)
                    if matcher.exclude is not None and matcher.exclude.search(lines[line - 1]):
                        continue
                    count += 1
                    yield Hit(rule, Span(line, column, end_line, end_column), matched.strip(),
                              rule.confidence)
            for number, line_text in enumerate(lines, start=1):
                for key, datum in matcher.table:
                    if line_text.strip() == key:
                        column = line_text.index(key) + 1
                        yield Hit(rule, Span(number, column, number, column + len(key)), key,
                                  rule.confidence, datum)


StringMatcher.group = StringGroup


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


def _position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low + 1, offset - starts[low] + 1
