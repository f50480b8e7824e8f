"""Alias and client tracking a grep or a single-file pattern cannot do (issue 3 list).

Each case is a small repo; the assertions name the exact (line, rule) pairs.
"""

from __future__ import annotations

from tests.support.repos import pairs


def test_import_openai(scan_tree):
    result = scan_tree({"m.py": "import openai\n"})
    assert pairs(result) == {(1, "openai.import")}


def test_import_as_alias_then_call(scan_tree):
    result = scan_tree({"m.py": """
        import openai as oa
        client = oa.OpenAI()
        client.chat.completions.create(model=MODEL, messages=[])
    """})
    assert pairs(result) == {(1, "openai.import"), (2, "openai.client"),
                             (3, "openai.chat-completion")}


def test_from_import_with_alias(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI as C
        C().chat.completions.create(model=MODEL, messages=[])
    """})
    assert pairs(result) == {(1, "openai.import"), (2, "openai.client"),
                             (2, "openai.chat-completion")}


def test_client_variable_then_call(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI
        client = OpenAI()
        def ask():
            return client.chat.completions.create(model=MODEL, messages=[])
    """})
    assert (4, "openai.chat-completion") in pairs(result)


def test_self_client_set_in_init_used_in_other_method(scan_tree):
    result = scan_tree({"m.py": """
        from openai import AsyncOpenAI

        class Bot:
            async def reply(self, messages):
                return await self.client.chat.completions.create(model=MODEL, messages=messages)

            def __init__(self):
                self.client = AsyncOpenAI()
    """})
    assert pairs(result) == {(1, "openai.import"), (5, "openai.chat-completion"),
                             (8, "openai.client")}


def test_parameter_annotations(scan_tree):
    result = scan_tree({"m.py": """
        import anthropic
        from openai import OpenAI

        def one(client: OpenAI):
            client.embeddings.create(model=MODEL, input=["x"])

        def two(client: anthropic.Anthropic | None = None):
            client.messages.create(model=MODEL, max_tokens=5, messages=[])

        def three(client: "OpenAI"):
            client.moderations.create(input="x")
    """})
    found = pairs(result)
    assert {(5, "openai.embeddings"), (8, "anthropic.messages"),
            (11, "openai.moderations")} <= found


def test_factory_return_annotation(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        def make() -> Anthropic:
            return Anthropic()

        make().messages.create(model=MODEL, max_tokens=5, messages=[])
    """})
    # In the factory's own module its calls are uses, not new client sites.
    assert pairs(result) == {(1, "anthropic.import"), (4, "anthropic.client"),
                             (6, "anthropic.messages")}


def test_with_statement_binds_client(scan_tree):
    result = scan_tree({"m.py": """
        import anthropic
        with anthropic.Anthropic() as c:
            c.messages.create(model=MODEL, max_tokens=5, messages=[])
    """})
    assert pairs(result) == {(1, "anthropic.import"), (2, "anthropic.client"),
                             (3, "anthropic.messages")}


def test_with_raw_response_is_transparent(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI
        client = OpenAI()
        client.chat.completions.with_raw_response.create(model=MODEL, messages=[])
    """})
    assert (3, "openai.chat-completion") in pairs(result)


def test_messages_stream_context_manager(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic
        client = Anthropic()
        with client.messages.stream(model=MODEL, max_tokens=5, messages=[]) as stream:
            for text in stream.text_stream:
                print(text)
    """})
    assert {(3, "anthropic.messages"), (4, "anthropic.response-content")} <= pairs(result)


def test_module_level_client_imported_elsewhere(scan_tree):
    """The link stage: the client is built in app/llm.py and called in app/chat.py."""
    result = scan_tree({
        "app/__init__.py": "",
        "app/llm.py": """
            from openai import OpenAI
            client = OpenAI()
        """,
        "app/chat.py": """
            from app.llm import client

            def ask(prompt):
                resp = client.chat.completions.create(model=MODEL, messages=[])
                return resp.choices[0].message.content
        """,
    })
    assert pairs(result, "app/chat.py") == {(4, "openai.chat-completion"),
                                            (5, "openai.response-content")}
    linked = [f for f in result.findings if f.path == "app/chat.py"]
    assert all(f.confidence == "high" for f in linked)


def test_relative_import_and_factory_across_modules(scan_tree):
    result = scan_tree({
        "pkg/__init__.py": "",
        "pkg/clients.py": """
            import anthropic
            def make() -> anthropic.Anthropic:
                return anthropic.Anthropic()
        """,
        "pkg/use.py": """
            from .clients import make
            make().messages.create(model=MODEL, max_tokens=5, messages=[])
        """,
    })
    # `make` is no client getter by name: its calls are uses (see test_value_flow).
    assert pairs(result, "pkg/use.py") == {(2, "anthropic.messages")}


def test_only_client_getters_returning_a_client_create_one(scan_tree):
    result = scan_tree({
        "pkg/__init__.py": "",
        "pkg/ask.py": """
            import openai
            def ask_client(prompt):
                return openai.OpenAI().chat.completions.create(model=M, messages=[])
            def patch(client) -> openai.OpenAI:
                return client
        """,
        "pkg/use.py": """
            from pkg.ask import ask_client, patch
            answer = ask_client("hi")
            patched = patch(x)
        """,
    })
    assert not [f for f in result.findings if f.kind == "client" and f.path == "pkg/use.py"]


def test_reexport_through_package_init(scan_tree):
    result = scan_tree({
        "app/__init__.py": "from app.llm import client\n",
        "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n",
        "app/views.py": "from app import client\nclient.embeddings.create(model=M, input=[])\n",
    })
    assert pairs(result, "app/views.py") == {(2, "openai.embeddings")}


def test_legacy_module_api(scan_tree):
    result = scan_tree({"m.py": """
        import openai
        openai.api_key = KEY
        openai.ChatCompletion.create(model=MODEL, messages=[])
        openai.Completion.create(model=MODEL, prompt="x")
    """})
    assert pairs(result) == {(1, "openai.import"), (2, "openai.legacy-global-config"),
                             (3, "openai.legacy-api"), (4, "openai.legacy-api")}


# ----------------------------------------------------------------- must NOT be reported


def test_comments_and_docstrings_are_not_coupling(scan_tree):
    result = scan_tree({"m.py": '''
        """Talks to openai and anthropic (but not here): gpt-4o, claude-3-5-sonnet-latest."""
        # import openai
        def f():
            """We used openai.ChatCompletion.create before; see OPENAI_API_KEY."""
            return 1
    '''})
    assert pairs(result) == set()


def test_unrelated_names_called_openai_or_client(scan_tree):
    result = scan_tree({"m.py": """
        import requests

        class Config:
            openai = None

        def run(config, client):
            openai = config.openai
            openai.api_key = "not a vendor"
            client.chat.completions.create(model="x")
            session = requests.Session()
            session.chat(messages=[])
            self_client = Config()
            self_client.openai.chat.completions.create()
    """})
    assert pairs(result) == set()


def test_repo_module_named_like_a_vendor(scan_tree):
    result = scan_tree({
        "my_openai_utils.py": "def helper():\n    return 1\n",
        "main.py": "import my_openai_utils\nfrom my_openai_utils import helper\nhelper()\n",
    })
    assert pairs(result) == set()


def test_local_class_named_openai(scan_tree):
    result = scan_tree({"m.py": """
        class OpenAI:
            def chat(self):
                return None
        client = OpenAI()
        client.chat.completions.create(model="x")
    """})
    assert pairs(result) == set()


def test_type_checking_block_yields_imports_only(scan_tree):
    result = scan_tree({"m.py": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            import openai
            from anthropic.types import Message
            openai.OpenAI().chat.completions.create(model=MODEL, messages=[])
    """})
    assert pairs(result) == {(3, "openai.import"), (4, "anthropic.import")}


def test_reassigned_name_is_forgotten(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI
        def f(make_other):
            client = OpenAI()
            client = make_other()
            client.chat.completions.create(model=MODEL, messages=[])
    """})
    assert (5, "openai.chat-completion") not in pairs(result)


def test_syntax_error_is_a_diagnostic_and_scan_goes_on(scan_tree):
    result = scan_tree({
        "py2.py": "print 'hello'\nimport openai\n",
        "half.py": "from openai import OpenAI\ndef broken(:\n",
        "ok.py": "import anthropic\n",
    })
    assert pairs(result) == {(1, "anthropic.import")}
    codes = {(d.path, d.code) for d in result.diagnostics}
    assert codes == {("py2.py", "parse-error"), ("half.py", "parse-error")}


def test_undecodable_file_is_a_diagnostic(scan_tree, tmp_path):
    (tmp_path / "bad.py").write_bytes(b"import openai\nx = '\xff\xfe'\n")
    result = scan_tree({"good.py": "import openai\n"})
    assert pairs(result) == {(1, "openai.import")}
    assert [(d.path, d.code) for d in result.diagnostics] == [("bad.py", "decode-error")]
