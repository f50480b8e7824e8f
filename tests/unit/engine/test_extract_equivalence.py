"""Shortcuts in the extractor give exactly the facts of the straightforward version
(kept here as the reference) on the corpus of ``tests/pycorpus.py``."""

from __future__ import annotations

import lockscan.engine.python.extract as python_analyzer
from lockscan.engine import Analyzer
from lockscan.engine.python import bindings, literals
from lockscan.engine.python.parse import parse
from lockscan.engine.python.positions import Positions
from lockscan.engine.python.symbols import SymbolTable, chain_text, dotted_name
from lockscan.engine.python.walk import walk
from lockscan.model import CallSite
from tests.support.pycorpus import corpus_files

CORPUS = corpus_files()


class EagerCalls(python_analyzer._Extractor):
    """Builds every call site whose callee resolves, as the extractor once did, and
    lets ``emit_site`` decide whether it is matched, deferred or dropped."""

    built = 0

    def visit_Call(self, node):
        func = self.table.resolve_binding(node.func)
        if not isinstance(func, str):
            return super().visit_Call(node)
        if isinstance(node.func, python_analyzer.cst.Attribute) and \
                node.func.attr.value in ("extend", "append"):
            self.history_parts.update(id(arg.value) for arg in node.args)
        self.track_call(node)
        self._visit_chain(node)
        if type(node.func) is python_analyzer.cst.Name and node.func.value == "hasattr":
            self.hasattr_read(node)
        if func in python_analyzer.PARTIAL and node.args and node.args[0].keyword is None:
            self.partial(node)
        if func in python_analyzer.ENV_CALLS and node.args:
            self.env_strings[id(node.args[0].value)] = node
            self.env_constant(node.args[0].value, node)
        keywords = tuple((arg.keyword.value, literals.literal_tokens(arg.value))
                         for arg in node.args if arg.keyword is not None)
        literal, vendor = self.table.call_facts(func, node)
        path = func + (f"({literal})" if literal else "") + (f"@{vendor}" if vendor else "")
        site = CallSite(path, dotted_name(node.func) or chain_text(node.func), keywords,
                        python_analyzer.UNPLACED)
        type(self).built += 1
        before = len(self.facts.hits)
        self.emit_site(site, func, node)
        self.client_env_since(node, before)
        if self.route(func) != (False, None):
            self.spread_options(site.path, func, node, self.route(func))
            if len(self.facts.hits) == before and func.endswith("Param"):
                self._dict_call(node)
        if self.route(func) == (False, None):
            self.wait_if_local(func, node)
            self.record_arguments(func, node)


def eager_extract(source: str, analyzer: Analyzer) -> python_analyzer.PythonFacts:
    """``python_analyzer.extract`` with ``EagerCalls`` in place of the extractor."""
    index = analyzer.index
    tree = parse(source)
    table = SymbolTable(module="pkg.mod", transparent=index.rules.transparent_attributes,
                        endpoints=analyzer.endpoints)
    bindings.bind_module(tree, table, "pkg.mod", "pkg")
    extractor = EagerCalls(table, Positions(tree, source), index, "pkg.mod", "pkg",
                           source.splitlines())
    walk(tree, extractor)
    summaries = extractor.finish()
    facts = extractor.facts
    facts.hits = python_analyzer.unshadowed(facts.hits)
    facts.exports = sorted(dict([*bindings.exports(table, index, extractor.import_values),
                                 *summaries]).items())
    return facts


def test_call_sites_built_only_when_used_give_the_same_facts(rules, monkeypatch):
    analyzer = Analyzer(rules)
    built = []
    real = python_analyzer._Extractor.call_site

    def counting(self, func, node):
        built.append(func)
        return real(self, func, node)

    monkeypatch.setattr(python_analyzer._Extractor, "call_site", counting)
    EagerCalls.built = 0
    for name, source in CORPUS:
        tree = parse(source)
        fast = python_analyzer.extract(tree, "pkg.mod", False, analyzer, source.splitlines(),
                                       "python", source)
        assert fast == eager_extract(source, analyzer), name
    # Both kinds occur: calls whose site is used, and calls skipped without building.
    assert len(built) > 100 and EagerCalls.built - len(built) > 100
