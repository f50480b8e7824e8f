"""Every rule's annotated examples: exact (line, rule) sets, and coverage of each rule."""

from __future__ import annotations

import pytest

from lockscan.authoring.ruletest import check_example, coverage_gaps, example_files
from lockscan.ruleset import bundled_rules_dir

EXAMPLES = example_files([bundled_rules_dir()])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(bundled_rules_dir())))
def test_example_file_matches_its_markers(path, rules):
    report = check_example(path, rules)
    assert report.problems() == []


def test_every_rule_has_expect_and_ok_examples(rules):
    assert coverage_gaps(rules, EXAMPLES) == []


def test_examples_exist():
    assert len(EXAMPLES) >= 3
