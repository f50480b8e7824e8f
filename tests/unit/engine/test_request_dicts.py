"""Request options a vendor call gets without writing them as its keywords: entries of
a dict spread into it (``**params``) or of its ``extra_body``, reported where the entry
is written (``lockscan.engine.python.request_dicts``)."""

from __future__ import annotations

from tests.support.repos import pairs


def features(result):
    return {(f.line, f.rule) for f in result.findings if f.kind == "vendor_feature"}


def test_entries_written_in_any_form_are_the_calls_keywords(scan_tree):
    result = scan_tree({"m.py": """
        import copy
        from openai import OpenAI

        client = OpenAI()

        def ask(messages, dims, fmt):
            params = {"messages": messages, "seed": 1}
            params["logit_bias"] = {}
            params.update({"store": False}, n=2)
            params.setdefault("service_tier", "flex")
            sent = copy.deepcopy(params)
            sent["reasoning"] = {"effort": "low"}
            sent["reasoning"]["summary"] = "auto"
            client.chat.completions.create(model="m", **sent)
            embed = dict(input=["a"], dimensions=dims)
            return client.embeddings.create(**embed)
    """})
    assert features(result) == {
        (7, "openai.seed"), (8, "openai.logit-bias"), (9, "openai.chat-store"),
        (10, "openai.request-options"),
        (12, "openai.reasoning-effort"), (13, "openai.reasoning-effort"),
        (15, "openai.embedding-options")}


def test_a_dict_never_sent_or_rebound_to_an_unknown_value_says_nothing(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        client = OpenAI()

        def ask(messages, build):
            unsent = {"seed": 1, "logprobs": True}
            params = {"seed": 1}
            params = build(messages)
            client.chat.completions.create(model="m", **params)
            local = {"seed": 2}
            return local, unsent
    """})
    assert features(result) == set()


def test_a_dict_from_a_method_or_an_attribute_of_the_same_class(scan_tree):
    result = scan_tree({"m.py": """
        from cohere import ClientV2
        from huggingface_hub import InferenceClient

        class Model:
            def __init__(self, org):
                self.client_kwargs = {"model": "m", "bill_to": org}

            def request_params(self, fmt):
                built = {}
                built["strict_tools"] = True
                return built

            def client(self):
                return InferenceClient(**self.client_kwargs)

            def ask(self, messages):
                kwargs = self.request_params(None)
                return ClientV2().chat(messages=messages, **kwargs)
    """})
    assert features(result) == {(6, "huggingface.provider-routing"),
                                (10, "cohere.request-options")}


def test_extra_body_entries_and_a_helper_handed_the_vendor_method(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        client = OpenAI()

        def ask(messages, retry, models):
            client.chat.completions.create(messages=messages, extra_body={"thinking": {"type": "enabled"}})
            options = {}
            options["extra_body"] = {"models": models}
            options["extra_body"]["thinking_budget"] = 10
            options["top_logprobs"] = 2
            return retry(client.chat.completions.create, messages=messages, **options)
    """})
    assert features(result) == {(6, "deepseek.thinking-body"), (8, "openrouter.routing-body"),
                                (9, "dashscope.thinking-body"), (10, "openai.logprobs")}


def test_one_dict_spread_into_two_calls_is_reported_once(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        client = OpenAI()

        def ask(messages, stream):
            params = {"messages": messages}
            params["seed"] = 3
            if stream:
                return client.chat.completions.create(stream=True, **params)
            return client.chat.completions.create(**params)
    """})
    assert [(f.line, f.rule) for f in result.findings if f.kind == "vendor_feature"] \
        == [(7, "openai.seed")]


def test_a_client_imported_from_another_module_is_linked(scan_tree):
    result = scan_tree({
        "app/llm.py": """
            from openai import OpenAI

            client = OpenAI()
        """,
        "app/chat.py": """
            from app.llm import client

            def ask(messages):
                params = {"messages": messages}
                params["seed"] = 3
                params["reasoning_effort"] = "low"
                if messages:
                    return client.chat.completions.create(stream=True, **params)
                return client.chat.completions.create(**params)
        """,
    })
    # One finding a line: the dict rule has said `reasoning_effort` already, and the
    # second call adds nothing.
    assert sorted((f.path, f.line, f.rule) for f in result.findings
                  if f.kind == "vendor_feature") \
        == [("app/chat.py", 5, "openai.seed"), ("app/chat.py", 6, "openai.options-dict")]
    assert (8, "openai.chat-completion") in pairs(result)


def test_a_filtered_copy_through_two_helpers_still_carries_the_entries(scan_tree):
    result = scan_tree({"m.py": """
        from ollama import Client

        class Model:
            def request_params(self):
                base = {"format": self.format, "keep_alive": self.keep_alive}
                return {k: v for k, v in base.items() if v is not None}

            def invoke_kwargs(self, schema):
                kwargs = self.request_params()
                kwargs["options"] = {"num_ctx": 8192}
                return kwargs

            def invoke(self, messages):
                return Client().chat(messages=messages, **self.invoke_kwargs(None))
    """})
    # One finding for the line that sets two Ollama options.
    assert features(result) == {(5, "ollama.format"), (10, "ollama.options")}


def test_an_extra_body_built_for_a_call_in_another_file_is_still_for_the_openai_sdk(scan_tree):
    result = scan_tree({"m.py": """
        from os import getenv
        from base import OpenAILike

        class Reasoner(OpenAILike):
            api_key = getenv("DEEPSEEK_API_KEY")

            def request_params(self, **kwargs):
                params = super().request_params(**kwargs)
                extra_body = params.get("extra_body") or {}
                extra_body.setdefault("thinking", {"type": "enabled"})
                params["extra_body"] = extra_body
                params["extra_body"]["thinking_budget"] = 512
                options = {"seed": 1}
                return params, options
    """})
    assert {(f.line, f.rule, f.confidence) for f in result.findings
            if f.kind == "vendor_feature"} == {
        (10, "deepseek.thinking-body", "medium"), (12, "dashscope.thinking-body", "medium")}
