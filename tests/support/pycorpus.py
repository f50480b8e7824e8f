"""Python sources the walker and position tests compare against LibCST: every Python
file of the sample repos, the rule examples and the test fixtures, plus a few
hand-written files with constructs that are easy to get wrong."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, settings

from tests.support.repos import ROOT

# Decorators, nested f-strings, non-ASCII names and strings, tabs, line continuations,
# match, walrus, lambda defaults, multi-line and implicitly concatenated strings,
# imports with dotted names, keyword arguments, docstrings, TYPE_CHECKING blocks.
ODD = {
    "decorators.py": (
        "import functools, os.path as p\n"
        "from . import x\nfrom ..a.b import (c as d,\n    e)\n"
        "@functools.lru_cache(maxsize=None)\n@p.join\nclass K(Base, metaclass=M):\n"
        "    '''Doc.'''\n    a: 'openai.OpenAI' = {'k': 'v'}\n"
        "    @staticmethod\n    async def f(x=lambda q=[1]: q['a'], *, y: dict = {}) -> X.Y:\n"
        "        return await x.y(z=1)[0].w\n"
    ),
    "fstrings.py": (
        'a = f"{x.y} and {x.y} and {f\'{x.y!r:>{w.v}}\'}"\n'
        "b = f'{d[\"k\"]}' f\"{c.d()=}\" 'plain' \"\"\"tri\n ple\"\"\"\n"
        "c = (f'{x.y}'\n     'tail')\n"
        "print(f'{x.y}', x.y, {'a': f'{x.y}'})\n"
    ),
    "unicode.py": (
        "# -*- coding: utf-8 -*-\nnaïve = 'héllo wörld'.upper()\n"
        "café = {'clé': naïve.lower(), '日本': '語'}\n"
        "x = 'ü' + café['clé'] + \"\\u00e9\"; y = 'ü'.x\n"
        "if naïve == 'ø' and café.get('x') != 'ü': pass\n"
    ),
    "tabs.py": "if True:\n\tx = a.b(\n\t\t1)\n\ty = {\t'a':\tc.d}\n",
    "continuation.py": (
        "x = a.b \\\n    .c(1, \\\n  2)\n"
        "assert x == 'y', \\\n    'msg'\n"
        "s = 'abc' \\\n    'def'\n"
    ),
    "match.py": (
        "match cmd.kind:\n    case {'type': 'x', **rest} if rest.get('a') == 'b':\n"
        "        pass\n    case Point(x=0, y=q.r):\n        print(q.r)\n"
        "    case [1, *others] | ('a' | 'b'):\n        pass\n"
    ),
    "walrus.py": (
        "if (n := len(a.b)) > 10 and (m := c['d']) == 'e':\n    print(n, m)\n"
        "[y for x in z.w if (y := f(x))]\n"
        "g = lambda a=b.c, *d, e={'f': 1}, **h: a.i(d)\n"
    ),
    "strings.py": (
        '"""Module docstring\nspanning lines."""\n'
        "x = ('a'\n     'b' 'c')\n"
        "y = '''one\ntwo''' + r'raw\\n' + b'bytes'.decode()\n"
        "z = [\"\"\"\n  \"\"\", 'x']\n"
        "def f():\n    'function doc'\n    return {'a': 'b'}['a']\n"
    ),
    "typing.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import openai\n"
        "    x: openai.OpenAI\nif TYPE_CHECKING: import anthropic\n"
        "x: int = 1\ny: 'a.b'\nz: list[int] = []\nself.a: int = 3\n"
        "del a.b, c['d']\nglobal g\nraise X.Y('z') from e.f\n"
        "with open('f') as (a, b), c.d as e.f: pass\n"
        "try:\n    pass\nexcept (A.B, C) as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n"
        "for a.b in c.d: pass\nelse: pass\nwhile x.y: break\n"
        "t = a if b.c else d['e']\ns = {a.b, *c.d}\nq = {**a.b, 'c': 1}\n"
        "u = x[1:2, ::3, a.b:]\nv = not a.b < c.d <= e.f\nw = -a.b ** 2\n"
        "k = (yield a.b)\nl = [*a.b]\nm = {k: v.w for k in a.b if k.c}\n"
    ),
    "crlf.py": "import os\r\nx = os.environ['A']\r\ny = {'a': os.getenv('B')}\r\n",
}


def corpus_files() -> list[tuple[str, str]]:
    """(name, source text) of every corpus file, in a stable order."""
    files = sorted(
        {*ROOT.glob("sample_repos/**/*.py"), *ROOT.glob("rules/*/examples*.py"),
         *ROOT.glob("tests/fixtures/**/*.py")}
    )
    found = [(str(p.relative_to(ROOT)), p.read_bytes().decode("utf-8")) for p in files]
    return found + sorted(ODD.items())


# Generated programs: the same examples on every run and machine, no example database,
# no deadline (LibCST's first parse is slow); each test sets max_examples.
GENERATED = settings(deadline=None, derandomize=True, database=None,
                     suppress_health_check=list(HealthCheck))


def parses(source: str) -> bool:
    """Whether this Python's ``ast`` takes ``source`` (generated programs may not)."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True
