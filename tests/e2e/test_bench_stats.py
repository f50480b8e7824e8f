"""The rank correlation bench/validate_scoring.py reports (no scipy)."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.support.repos import ROOT

spec = importlib.util.spec_from_file_location("validate_scoring",
                                              ROOT / "bench" / "validate_scoring.py")
assert spec is not None and spec.loader is not None
validate = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = validate  # dataclasses look their module up by name
spec.loader.exec_module(validate)


def test_ranks_share_the_mean_position_on_ties():
    assert validate.ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]


def test_spearman():
    assert validate.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert validate.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert validate.spearman([1, 2, 2, 3], [1, 3, 2, 4]) == pytest.approx(4.5 / 22.5 ** 0.5)
    assert validate.spearman([1, 1, 1], [1, 2, 3]) == 0.0
