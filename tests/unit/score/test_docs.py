"""docs/scoring.md states the constants the score ships with."""

from __future__ import annotations

from lockscan.score import calibration as cal
from tests.support.repos import ROOT

DOC = (ROOT / "docs" / "scoring.md").read_text("utf-8")


def test_the_doc_states_the_grade_bands_and_the_index_curve():
    lower = 0
    for upper, grade in cal.GRADE_BANDS:
        assert f"| {grade} | {lower}–{upper} |" in DOC
        lower = upper + 1
    assert f"| {cal.WORST_GRADE} | more than {cal.GRADE_BANDS[-1][0]} |" in DOC
    assert f"round(100 × (1 − 2^(−lines / {cal.HALF_LINES:g})))" in DOC


def test_the_doc_states_the_role_shares_and_the_other_shares():
    for role, share in cal.ROLE_SHARE.items():
        assert f"| {role} | {share:g} |" in DOC, role
    assert f"`PORTABLE_SHARE` ({cal.PORTABLE_SHARE:g})" in DOC
    assert f"`SUPPORTED_SHARE` ({cal.SUPPORTED_SHARE:g})" in DOC
    assert f"`RIDE_ALONG` ({cal.RIDE_ALONG:g})" in DOC
    assert f"`MOST_PER_SITE` ({cal.MOST_PER_SITE:g})" in DOC


def test_the_doc_holds_the_measured_tables():
    for marker in ("validation", "grades"):
        rest = DOC.split(f"<!-- {marker}:start -->", 1)[1]
        table = rest.split(f"<!-- {marker}:end -->", 1)[0]
        assert table.count("\n|") >= 5, marker
