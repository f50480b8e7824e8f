"""On a valid file, the fast import path (a lexer over the text) yields exactly what
one ``ast.parse`` of the file yields, or steps aside; never different facts. On an
invalid one it may give the import statements it finds instead of the syntax error.

bench/imports_fastpath.py runs the same comparison over whole corpora."""

from __future__ import annotations

import sys

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lockscan.engine.python import imports
from lockscan.model import ImportRef
from tests.support.repos import ROOT

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning",
                                        "ignore::DeprecationWarning")

FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


def outcome(function, text: str, module: str = "pkg.mod", is_package: bool = False) -> object:
    try:
        return function(text, module, is_package)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return type(exc).__name__, exc.args


def assert_same(text: str, module: str = "pkg.mod", is_package: bool = False) -> None:
    """Same facts on a valid file; on an invalid one the same error or no error."""
    reference = outcome(imports.extract_imports_ast, text, module, is_package)
    fast = outcome(imports.extract_imports, text, module, is_package)
    if is_error(reference) and not is_error(fast):
        return
    assert fast == reference


def is_error(outcome: object) -> bool:
    return isinstance(outcome, tuple) and isinstance(outcome[0], str)


def assert_fast(text: str, module: str = "pkg.mod", is_package: bool = False) -> object:
    """Same facts, and from the fast path itself (not a fallback)."""
    assert imports.fast_statements(text) is not None
    assert_same(text, module, is_package)
    return imports.extract_imports(text, module, is_package)


HANDLED = {
    "plain": "import os\nimport a.b as c, d\n",
    "from": "from . import x\nfrom ..pkg import (y as z,  # a comment (with parens)\n  w)\n",
    "module-names-holding-the-keyword": "import zipimport\nfrom zipimport import zipimporter\n"
                                        "from locking_import import ToBeUnpickled\n",
    "nested": "def f():\n    from a import b\n    if x: import c\n"
              "try:\n    import d\nexcept ImportError:\n    d = None\n",
    "semicolons": "import a; import b\nx = 1; import c\n",
    "continuations": "from a \\\n  .b import \\\n  c\nimport e, \\\n  f\n",
    "inside-strings-and-comments": "s = 'import fake'\nt = \"\"\"\nimport fake2\n\"\"\"\n"
                                   "# import fake3\nu = r'\\' import fake4'\nimport real\n",
    "string-prefixes": "x = rb'import a' + Rb\"import b\" + f'{y}import c' + u'''\\'''\n"
                       "import'''\nif'import d': import e\n",
    "crlf": "import a\r\nfrom b import c\r\nx = '''\r\nimport d'''\r\nimport e\n",
    "unicode": "import ﬁle\nfrom é import ñ as ü\n",
    "star": "from a import *\nfrom . import *\n",
    "no-imports": "x = 1\n",
    "keyword-only-in-names": "important = my_import = 1\nfrom_ = 2\n",
    "yield-from": "def g():\n    yield from x\nimport a\n",
    "late-future": "import a\nfrom __future__ import annotations\n",  # ast accepts it
}


@pytest.mark.parametrize("name", sorted(HANDLED))
def test_fast_path_yields_the_ast_facts(name: str) -> None:
    assert_fast(HANDLED[name], "pkg", True)


def test_fast_path_facts_in_detail() -> None:
    refs, exports = assert_fast(HANDLED["from"] + HANDLED["nested"], "pkg.sub", True)
    assert refs == [ImportRef("pkg.sub", 1, ("x",)), ImportRef("pkg.pkg", 2, ("y", "w")),
                    ImportRef("a", 5, ("b",)), ImportRef("c", 6), ImportRef("d", 8)]
    assert exports == [("w", "pkg.pkg.w"), ("x", "pkg.sub.x"), ("z", "pkg.pkg.y")]


FALLBACKS = {
    "unterminated": "x = '''\nimport a\n",
    "after-semicolon": "x = 1; from a import b\n",
    "inline-suite": "if x: from a import b\n",
    "form-feed": "\x0cfrom a import b\n",
    "comment-ending-in-backslash": "# from x \\\nimport y\n",  # not a from-import
    "null": "import a\x00\n",
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_what_the_lexer_cannot_vouch_for_goes_to_ast(name: str) -> None:
    assert imports.fast_statements(FALLBACKS[name]) is None
    assert_same(FALLBACKS[name])


@pytest.mark.parametrize(("text", "facts"), [
    ("import a\nprint 'x'\n", ([ImportRef("a", 1)], [])),  # Python 2
    ("from b import c\ndef f(:\n", ([ImportRef("b", 1, ("c",))], [("c", "b.c")])),
    ("import e\nx = '''\n", ([ImportRef("e", 1)], [])),  # unterminated after the last import
    ("x = " + "-" * 100_000 + "1\nimport d\n", ([ImportRef("d", 2)], [])),  # too deep for ast
])
def test_invalid_files_give_the_import_statements_found(text: str, facts: tuple) -> None:
    assert is_error(outcome(imports.extract_imports_ast, text))
    assert imports.extract_imports(text, "pkg.mod", False) == facts


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 701 f-strings")
@pytest.mark.parametrize("text", [
    'x = f"{d["import a"]}"\nimport b\n',
    "x = f'{\n1}'\nimport b\n",
    'x = f"{"#"} import c"\n',
])
def test_nested_fstrings_fall_back(text: str) -> None:
    assert imports.fast_statements(text) is None
    assert_same(text)


def test_every_fixture_and_sample_file() -> None:
    paths = sorted([*ROOT.glob("sample_repos/**/*.py"), *ROOT.glob("tests/**/*.py"),
                    *ROOT.glob("rules/**/*.py"), *ROOT.glob("lockscan/**/*.py")])
    assert len(paths) > 50
    for path in paths:
        assert_same(path.read_text(encoding="utf-8"), "pkg.mod", path.name == "__init__.py")


IMPORTS = st.sampled_from([
    "import os", "import a.b as c, d", "from . import x", "from ..p import (y,\n z)",
    "from q import *", "if t: import u", "x = 1; import v", "from w \\\n import k",
    "s = 'import no'  # import no", "def f():\n    from m import n",
])


@FUZZ
@given(hypothesmith.from_grammar(), st.lists(IMPORTS, max_size=4), st.booleans())
def test_generated_programs(program: str, lines: list[str], before: bool) -> None:
    block = "\n".join(lines) + "\n"
    assert_same(block + program if before else program + "\n" + block)
