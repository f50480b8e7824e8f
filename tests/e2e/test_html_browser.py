"""The HTML report as its reader sees it: rendered by headless Chromium (Debian's
``chromium`` package, driven over the DevTools pipe: tests/support/browser.py).

Skipped, saying how to get it, where Chromium is missing; ``.ci/run`` installs it and sets
LOCKSCAN_REQUIRE_BROWSER=1, so there a missing browser fails instead. With
LOCKSCAN_UPDATE_SCREENSHOT=1 the test also rewrites the README's screenshot
(docs/html-report.png).
"""

from __future__ import annotations

import os
import struct
from collections import Counter
from pathlib import Path

import pytest

from lockscan import __version__, app
from lockscan.report import ReportOptions, render
from tests.support.browser import INSTALL_HINT, Chromium, find_chromium
from tests.support.repos import ROOT, SAMPLE_REPOS

pytestmark = pytest.mark.browser
SCREENSHOT = ROOT / "docs" / "html-report.png"
SCREENSHOT_SCALE = 0.7  # GitHub shows README images under 900 px wide anyway
MAX_SCREENSHOT_BYTES = 300_000


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        if os.environ.get("LOCKSCAN_REQUIRE_BROWSER"):
            pytest.fail(INSTALL_HINT)
        pytest.skip(INSTALL_HINT)
    with Chromium(executable) as chromium:
        yield chromium


def _report(repo: str, folder: Path, monkeypatch: pytest.MonkeyPatch):
    """The report of a sample repo, written to ``folder``; it names the repo as
    ``sample_repos/<repo>``, as a reader in the checkout would type it."""
    monkeypatch.chdir(SAMPLE_REPOS.parent)
    path = Path(SAMPLE_REPOS.name) / repo
    settings = app.settings_for(path)
    rules = app.rules_for(settings)
    result, view = app.scan_with_view(path, settings, rules)
    page = folder / f"{repo}.html"
    page.write_text(render("scan", "html", result, ReportOptions(rules=rules, graph=view)),
                    encoding="utf-8")
    return page, result, view


def _count(browser: Chromium, selector: str) -> int:
    return int(browser.evaluate(f"document.querySelectorAll({selector!r}).length"))


def _choose(browser: Chromium, control: str, value: str) -> None:
    """Set a filter as a reader does: the value, then the event the control fires."""
    event = "input" if control == "path" else "change"
    browser.evaluate(f"(function () {{ var c = document.getElementById('filter-{control}');"
                     f"c.value = {value!r}; c.dispatchEvent(new Event('{event}')); }})()")


def test_the_report_renders_its_charts_graph_and_table(browser, tmp_path, monkeypatch):
    page, result, view = _report("multi_vendor_zoo", tmp_path, monkeypatch)
    browser.open(page.as_uri())
    assert browser.errors() == []
    assert browser.requests() == [page.as_uri()]  # nothing fetched: it opens offline
    assert _count(browser, "#targets-chart rect.bar") == len(result.switch_cost)
    assert _count(browser, "#summary .card") == 8
    assert _count(browser, "#leave-list li") == len(result.leave)
    # the treemap of the dearest target: a box per file with a share of its lines
    worst = min(result.switch_cost.values(), key=lambda c: (-c.lines, c.target))
    assert browser.evaluate("document.getElementById('where-target').value") == worst.target
    files = {c.path for c in worst.contributors}
    assert _count(browser, "#treemap rect.cell:not(.rest)") == len(files)
    assert _count(browser, "#graph-svg g.node") == len(view.nodes)
    assert _count(browser, "#graph-svg g.node.vendor") == len(result.summary.by_vendor)
    assert _count(browser, "#graph-svg path.edge") == len(view.edges)
    assert _count(browser, "#graph .legend .key") == 8
    assert _count(browser, "#findings-table tbody tr") == len(result.findings)
    # every rule link leads to its page in the file
    links = browser.evaluate("Array.from(document.querySelectorAll('#findings-table a'))"
                             ".map(function (a) { return a.getAttribute('href'); })")
    assert len(links) == len(result.findings)
    assert browser.evaluate("Array.from(document.querySelectorAll('#findings-table a')).every("
                            "function (a) { return document.getElementById(a.hash.slice(1)); })")


def test_the_findings_table_filters_by_vendor_kind_role_and_path(browser, tmp_path, monkeypatch):
    page, result, _ = _report("multi_vendor_zoo", tmp_path, monkeypatch)
    browser.open(page.as_uri())
    rows = "#findings-table tbody tr"
    by_vendor = Counter(f.vendor for f in result.findings)
    _choose(browser, "vendor", "google")
    assert _count(browser, rows) == by_vendor["google"] > 0
    google = [f for f in result.findings if f.vendor == "google"]
    kind = Counter(f.kind for f in google).most_common(1)[0][0]
    _choose(browser, "kind", kind)
    assert _count(browser, rows) == sum(1 for f in google if f.kind == kind)
    _choose(browser, "kind", "")
    _choose(browser, "path", "ZOO/SUMM")  # part of a path, any case
    expected = sum(1 for f in google if "zoo/summ" in f.path.lower())
    assert _count(browser, rows) == expected > 0
    assert browser.evaluate("document.getElementById('shown-count').textContent").startswith(
        f"{expected} of {len(result.findings)} findings")
    browser.evaluate("document.querySelector('#findings .filters button').click()")
    _choose(browser, "role", "manifest")
    assert _count(browser, rows) == result.summary.by_role["manifest"]
    # a click on a vendor in the graph filters the table by that vendor
    _choose(browser, "role", "")
    browser.evaluate("document.querySelector('#graph-svg g.node.vendor[data-id=\"vendor:cohere\"]')"
                     ".dispatchEvent(new MouseEvent('click'))")
    assert browser.evaluate("document.getElementById('filter-vendor').value") == "cohere"
    assert _count(browser, rows) == by_vendor["cohere"]
    # a click on a bar shows where that target's cost sits
    browser.evaluate("document.querySelector('#targets-chart rect[data-target=\"litellm\"]')"
                     ".dispatchEvent(new MouseEvent('click'))")
    assert browser.evaluate("document.getElementById('where-target').value") == "litellm"
    assert browser.errors() == []


def test_screenshot_of_the_report(browser, tmp_path, monkeypatch):
    """The README's picture: the top of the openai_chatbot report, through its graph."""
    page, result, _ = _report("openai_chatbot", tmp_path, monkeypatch)
    browser.open(page.as_uri())
    bottom = browser.evaluate("Math.ceil(document.getElementById('graph').getBoundingClientRect()"
                              ".bottom + window.scrollY)")
    assert browser.evaluate("document.querySelector('header .muted').textContent") == \
        f"lockscan {__version__} · {result.root}"
    png = browser.screenshot(height=bottom, scale=SCREENSHOT_SCALE)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    # The browser rounds a half pixel up; Python's round() would take it to the even one.
    assert (width, height) == (int(1280 * SCREENSHOT_SCALE + 0.5), int(bottom * SCREENSHOT_SCALE + 0.5))
    assert len(png) <= MAX_SCREENSHOT_BYTES
    if os.environ.get("LOCKSCAN_UPDATE_SCREENSHOT"):
        SCREENSHOT.write_bytes(png)
    assert browser.errors() == []
