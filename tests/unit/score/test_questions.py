"""The two questions on small repos: what leaving a vendor costs, what moving everything
to a target costs; portable layers, existing support, roles and legacy surfaces."""

from __future__ import annotations

import pytest

from lockscan.score import calibration, part_of, score_targets
from tests.support.score_findings import RULES, finding

CALL = "    return client.chat.completions.create(model=m, messages=[{'role': 'user', 'content': q}])\n"


def _module(name: str) -> str:
    return f"from openai import OpenAI\nclient = OpenAI()\ndef {name}(q, m):\n{CALL}"


SCATTERED = {"app/__init__.py": "", "web/__init__.py": "",
             **{f"{pkg}/{name}.py": _module(name)
                for pkg, name in (("app", "chat"), ("app", "tag"), ("web", "summary"), ("web", "faq"))}}
# The same four features behind a gateway: one function that asks the model, which the
# four modules call (what a gateway design is, as opposed to four copies of the call).
GATEWAY = {"app/__init__.py": "", "web/__init__.py": "",
           "app/llm.py": "from openai import OpenAI\nclient = OpenAI()\n"
           "def complete(q, m):\n" + CALL,
           **{f"{pkg}/{name}.py": f"from app.llm import complete\ndef {name}(q, m):\n"
                                  "    return complete(q, m)\n"
              for pkg, name in (("app", "chat"), ("app", "tag"), ("web", "summary"), ("web", "faq"))}}

TOOLS = ("TOOLS = [{'type': 'function', 'function': {'name': 'find', 'description': 'd', "
         "'parameters': {'type': 'object', 'properties': {}}}}]\n")


def _twin(sdk: str, n: int) -> str:
    """One of eight modules that ask a model with OpenAI-format tools and read choices[0]."""
    if sdk == "openai":
        head, call = "from openai import OpenAI\nclient = OpenAI()\n", "client.chat.completions.create"
    else:
        head, call = "import litellm\n", "litellm.completion"
    return (head + TOOLS + f"def ask{n}(question, model):\n"
            f"    resp = {call}(model=model, messages=[{{'role': 'user', 'content': question}}], "
            "tools=TOOLS)\n    return resp.choices[0].message.content\n")


def test_a_gateway_design_costs_less_and_grades_better_than_its_scattered_twin(scan_tree, tmp_path):
    scattered = scan_tree(SCATTERED, targets=("anthropic", "litellm"))
    for path in SCATTERED:
        (tmp_path / path).unlink()
    gateway = scan_tree(GATEWAY, targets=("anthropic", "litellm"))
    assert gateway.graph.gateways == ("app/llm.py",)
    for target in ("anthropic", "litellm"):
        assert gateway.switch_cost[target].lines * 3 < scattered.switch_cost[target].lines
        assert gateway.switch_cost[target].grade < scattered.switch_cost[target].grade
        assert gateway.switch_cost[target].files == 1 < scattered.switch_cost[target].files


def test_a_litellm_twin_costs_at_most_15_percent_of_its_openai_sdk_twin(scan_tree, tmp_path):
    """litellm translates OpenAI-format tools and keeps the response shape: the tool lists
    and `choices[0]` reads beside `litellm.completion` flow into it and are priced as
    portable, so a provider switch is a model-string change."""
    direct = scan_tree({f"svc/m{n}.py": _twin("openai", n) for n in range(8)})
    for n in range(8):
        (tmp_path / f"svc/m{n}.py").unlink()
    portable = scan_tree({f"svc/m{n}.py": _twin("litellm", n) for n in range(8)})
    assert {f.rule for f in portable.findings} >= {"litellm.completion", "openai.tool-schema"}
    for target in ("anthropic", "google", "bedrock"):
        cost = score_targets(portable.findings, None, RULES, [target])[target]
        twin = score_targets(direct.findings, None, RULES, [target])[target]
        assert cost.effort <= 0.15 * twin.effort, target
        assert cost.lines <= 0.15 * twin.lines, target


def test_a_finding_the_engine_marks_as_flowing_into_litellm_is_portable():
    plain = [finding("openai.tool-schema", "a.py"), finding("openai.response-content", "a.py")]
    marked = [finding("openai.tool-schema", "a.py", via="litellm"),
              finding("openai.response-content", "a.py", via="litellm")]
    before = score_targets(plain, None, RULES, ["anthropic"])["anthropic"]
    after = score_targets(marked, None, RULES, ["anthropic"])["anthropic"]
    assert after.effort == pytest.approx(before.effort * calibration.PORTABLE_SHARE, abs=0.02)


PROVIDERS = {
    "agent/providers/__init__.py": "",
    "agent/providers/openai.py": "from openai import OpenAI\nclient = OpenAI()\n"
    "def complete(q, m):\n" + CALL + "def text(r):\n    return r.choices[0].message.content\n",
    "agent/run.py": "from agent.providers import openai\n",
}
ANTHROPIC_ADAPTER = ("import anthropic\nclient = anthropic.Anthropic()\n"
                     "def complete(q, m):\n    return client.messages.create(model=m, max_tokens=9, "
                     "messages=[{'role': 'user', 'content': q}])\n")


def test_an_already_supported_target_costs_less_and_says_where(scan_tree, tmp_path):
    alone = scan_tree(PROVIDERS, targets=("anthropic",))
    both = scan_tree({**PROVIDERS, "agent/providers/anthropic.py": ANTHROPIC_ADAPTER})
    before = part_of(alone.switch_cost["anthropic"], "openai")
    after = part_of(both.switch_cost["anthropic"], "openai")
    assert 0 < after.lines < before.lines
    assert both.switch_cost["anthropic"].supported_by == ("agent/providers/anthropic.py",)
    assert alone.switch_cost["anthropic"].supported_by == ()
    # Leaving OpenAI goes to the alternative the code already supports.
    assert both.leave["openai"].target == "anthropic"
    assert both.leave["openai"].supported_by == ("agent/providers/anthropic.py",)
    assert both.leave["openai"].lines == after.lines
    assert alone.leave["openai"].supported_by == ()


def test_leaving_an_only_vendor_goes_to_the_cheapest_alternative(scan_tree):
    result = scan_tree(SCATTERED)
    leave = result.leave["openai"]
    every = score_targets(result.findings, None, RULES,
                          [t for t in ("anthropic", "google", "groq", "together", "mistral")])
    assert leave.lines == min(part_of(c, "openai").lines for c in every.values())
    assert leave.target not in ("openai", "litellm")


def test_default_targets_are_the_vendors_in_use_litellm_and_the_three_cheapest(scan_tree):
    result = scan_tree({**PROVIDERS, "agent/providers/anthropic.py": ANTHROPIC_ADAPTER})
    shown = set(result.switch_cost)
    assert {"openai", "anthropic", "litellm"} <= shown and len(shown) == 6
    chosen = scan_tree({}, targets=("google", "bedrock"))
    assert list(chosen.switch_cost) == ["google", "bedrock"]


def test_roles_price_tests_and_examples_at_their_fraction_and_config_ids_once(scan_tree, tmp_path):
    anthropic = {"targets": ("anthropic",)}
    code = scan_tree({"app/chat.py": _module("chat")}, **anthropic).switch_cost["anthropic"]
    (tmp_path / "app/chat.py").unlink()
    as_test = scan_tree({"tests/test_chat.py": _module("chat")}, **anthropic).switch_cost["anthropic"]
    assert as_test.effort == pytest.approx(code.effort * calibration.ROLE_SHARE["test"], abs=0.02)
    (tmp_path / "tests/test_chat.py").unlink()
    reach = {"requirements.txt": "openai\n"}  # the ids are sent: the code reaches OpenAI
    once = scan_tree({"config/models.yaml": "chat: gpt-4o-mini\n", **reach},
                     **anthropic).switch_cost["anthropic"]
    many = scan_tree({"config/models.yaml": "chat: gpt-4o-mini\n" + "".join(
        f"task{n}: gpt-4o-mini\n" for n in range(20)), **reach}, **anthropic).switch_cost["anthropic"]
    alone = scan_tree({"config/models.yaml": "chat: gpt-4o-mini\n", "requirements.txt": ""},
                      **anthropic).switch_cost["anthropic"]
    assert once.effort == many.effort > alone.effort


LEGACY = {
    "openai": "import openai\ndef ask(q):\n"
              "    return openai.ChatCompletion.create(model=M, messages=[])['choices'][0]\n",
    "anthropic": "import httpx\ndef ask(q):\n    return httpx.post('https://api.anthropic.com/v1/complete', "
                 "json={'prompt': q, 'max_tokens_to_sample': 9})\n",
    "bedrock": "import boto3, json\nrt = boto3.client('bedrock-runtime')\ndef ask(q):\n"
               "    return rt.invoke_model(modelId=M, body=json.dumps({'inputText': q}))\n",
    "google": "import google.generativeai as genai\ndef ask(q):\n"
              "    return genai.GenerativeModel('gemini-pro').generate_content(q).text\n",
    "mistral": "from mistralai.client import MistralClient\nc = MistralClient()\ndef ask(m):\n"
               "    return c.chat(model=M, messages=m)\n",
    "cohere": "import cohere\nco = cohere.Client()\ndef ask(q):\n    return co.chat(message=q).text\n",
}


@pytest.mark.parametrize("vendor", sorted(LEGACY))
def test_legacy_surfaces_are_priced_as_the_vendors_upgrade(scan_tree, vendor):
    result = scan_tree({"legacy.py": LEGACY[vendor]}, targets=(vendor,))
    upgrade = part_of(result.switch_cost[vendor], vendor)
    assert upgrade.lines > 0 and upgrade.effort > 0, [f.rule for f in result.findings]


def test_vertexai_generative_models_are_an_upgrade_too(scan_tree):
    source = ("from vertexai.generative_models import GenerativeModel\ndef ask(q):\n"
              "    return GenerativeModel('gemini-pro').generate_content(q)\n")
    result = scan_tree({"v.py": source}, targets=("google",))
    assert part_of(result.switch_cost["google"], "google").lines > 0


def test_by_source_splits_a_row_and_its_own_vendor_part_is_the_upgrade(scan_tree):
    result = scan_tree({"old.py": LEGACY["anthropic"], "chat.py": _module("chat")},
                       targets=("anthropic",))
    cost = result.switch_cost["anthropic"]
    assert {p.vendor for p in cost.by_source} == {"openai", "anthropic"}
    assert sum(p.lines for p in cost.by_source) == cost.lines
    only_legacy = score_targets([f for f in result.findings if f.vendor == "anthropic"], None,
                                RULES, ["anthropic"])["anthropic"]
    assert part_of(cost, "anthropic").effort == only_legacy.effort


def test_legacy_reads_count_where_legacy_responses_travel(scan_tree):
    result = scan_tree({
        "old.py": LEGACY["openai"],
        "uses_old.py": "import old\ndef f(resp):\n    return resp.choices[0].message.content\n",
        "new.py": "from openai import OpenAI\ndef g(q):\n    reply = OpenAI().chat.completions.create("
                  "model=M, messages=[])\n    return reply.choices[0].message.content\n",
    }, targets=("openai",))
    reads = sorted(c.path for c in result.switch_cost["openai"].contributors
                   if c.rule == "openai.response-content")
    assert reads == ["uses_old.py"]


COHERE_EMBEDDER = ("import cohere\nco = cohere.ClientV2()\n"
                   "def vectors(texts):\n    return co.embed(texts=texts, model='embed-v4.0', "
                   "input_type='search_document', embedding_types=['float'])\n")


def test_an_embeddings_adapter_does_not_support_a_move_of_chat_code(scan_tree, tmp_path):
    """OpenAI chat code beside a Cohere embedder: Cohere is not an alternative the code
    already supports for that chat code; with a chat adapter of Anthropic too, leaving
    OpenAI goes there, and the adapter named is the chat one."""
    embed_only = scan_tree({**PROVIDERS, "agent/embed/cohere.py": COHERE_EMBEDDER},
                           targets=("cohere",))
    assert embed_only.switch_cost["cohere"].supported_by == ("agent/embed/cohere.py",)
    assert embed_only.leave["openai"].supported_by == ()
    both = scan_tree({**PROVIDERS, "agent/embed/cohere.py": COHERE_EMBEDDER,
                      "agent/providers/anthropic.py": ANTHROPIC_ADAPTER})
    assert both.leave["openai"].target == "anthropic"
    assert both.leave["openai"].supported_by == ("agent/providers/anthropic.py",)


def test_support_names_the_adapters_that_generate_before_the_embedders(scan_tree):
    """`agent/embed/...` sorts before `agent/providers/...`; the chat adapter is named first."""
    embedder = ("from openai import AzureOpenAI\n"
                "client = AzureOpenAI()\ndef vectors(texts):\n"
                "    return client.embeddings.create(model='m', input=texts)\n")
    chat = ("from openai import AzureOpenAI\nclient = AzureOpenAI()\n"
            "def complete(q, m):\n" + CALL)
    result = scan_tree({**PROVIDERS, "agent/embed/azure.py": embedder,
                        "agent/providers/azure.py": chat}, targets=("azure_openai",))
    assert result.switch_cost["azure_openai"].supported_by == (
        "agent/providers/azure.py", "agent/embed/azure.py")


def test_support_names_the_adapter_with_the_most_calls_first(scan_tree):
    """`agent/a_defaults.py` only builds a client; the adapter that calls is named first."""
    chat = ("from openai import AzureOpenAI\nclient = AzureOpenAI()\n"
            "def complete(q, m):\n" + CALL)
    result = scan_tree({**PROVIDERS, "agent/providers/azure.py": chat,
                        "agent/a_defaults.py": "from openai import AzureOpenAI\n"
                                               "DEFAULT = AzureOpenAI()\n"},
                       targets=("azure_openai",))
    assert result.switch_cost["azure_openai"].supported_by == (
        "agent/providers/azure.py", "agent/a_defaults.py")


@pytest.mark.parametrize("rule_id, served", [
    ("openai.embeddings", "embeddings"), ("cohere.embed", "embeddings"),
    ("cohere.embed-v1", "embeddings"), ("google.embeddings", "embeddings"),
    ("langchain.embeddings-openai", "embeddings"), ("litellm.embedding", "embeddings"),
    ("openai.chat-completion", "generation"), ("anthropic.messages", "generation"),
    ("langchain.chat-openai", "generation")])
def test_capability_tells_embeddings_from_generation(rule_id, served):
    from lockscan.score.flow import capability
    assert capability(RULES.by_id[rule_id]) == served


def test_prompts_tuned_to_a_model_cost_nothing_towards_a_portable_layer():
    """litellm reaches the same model, so its chat template still fits; another vendor's
    model does not use it."""
    found = [finding("prompts.mistral-instruct-template", "app/chat.py"),
             finding("openai.chat-completion", "app/chat.py")]
    costs = score_targets(found, None, RULES, ["litellm", "anthropic"])
    assert "prompts.mistral-instruct-template" not in {
        c.rule for c in costs["litellm"].contributors}
    assert "prompts.mistral-instruct-template" in {
        c.rule for c in costs["anthropic"].contributors}


def test_a_chat_adapter_still_supports_leaving_a_vendor_that_also_embeds(scan_tree):
    """OpenAI chat and embeddings beside an Anthropic chat adapter: no target serves both,
    and the one that takes over the chat code is the alternative already supported."""
    embedder = ("from openai import OpenAI\nclient = OpenAI()\n"
                "def vectors(texts):\n    return client.embeddings.create(model='m', input=texts)\n")
    result = scan_tree({**PROVIDERS, "agent/embed.py": embedder,
                        "agent/providers/anthropic.py": ANTHROPIC_ADAPTER})
    assert result.leave["openai"].target == "anthropic"
    assert result.leave["openai"].supported_by == ("agent/providers/anthropic.py",)


def test_an_embeddings_adapter_supports_leaving_a_vendor_used_only_to_embed(scan_tree):
    """The OpenAI client of an embedder says nothing by itself, as it does for an adapter:
    its code only embeds, which the Cohere embedder already does."""
    embedder = ("from openai import OpenAI\nclient = OpenAI()\n"
                "def vectors(texts):\n    return client.embeddings.create(model='m', input=texts)\n")
    result = scan_tree({"agent/__init__.py": "", "agent/embed/__init__.py": "",
                        "agent/embed/openai.py": embedder,
                        "agent/embed/cohere.py": COHERE_EMBEDDER})
    assert result.leave["openai"].target == "cohere"
    assert result.leave["openai"].supported_by == ("agent/embed/cohere.py",)


def test_the_tests_of_a_vendors_adapter_go_with_it_when_another_adapter_takes_over(
        scan_tree, tmp_path):
    """Leaving OpenAI for the Anthropic adapter the code already has: a test named for
    OpenAI tests OpenAI's adapter and goes with it (the supported share); a test of the
    code that uses a model keeps its full price."""
    the_test = "from openai import OpenAI\nclient = OpenAI()\ndef test_chat(m):\n" + CALL
    both = {**PROVIDERS, "agent/providers/anthropic.py": ANTHROPIC_ADAPTER}
    base = scan_tree(both).leave["openai"]
    named = scan_tree({**both, "tests/providers/test_openai.py": the_test}).leave["openai"]
    (tmp_path / "tests/providers/test_openai.py").unlink()
    generic = scan_tree({**both, "tests/test_chat.py": the_test}).leave["openai"]
    assert base.target == named.target == generic.target == "anthropic"
    named_part, generic_part = named.effort - base.effort, generic.effort - base.effort
    assert named_part == pytest.approx(generic_part * calibration.SUPPORTED_SHARE, abs=0.02)
    assert named_part > 0


def test_a_test_that_names_one_model_many_times_changes_it_once(scan_tree, tmp_path):
    anthropic = {"targets": ("anthropic",)}
    head = "from openai import OpenAI\nclient = OpenAI()\n"
    once = scan_tree({"tests/test_chat.py": head + "def test_a():\n    assert M == 'gpt-4o'\n"},
                     **anthropic).switch_cost["anthropic"]
    (tmp_path / "tests/test_chat.py").unlink()
    many = scan_tree({"tests/test_chat.py": head + "".join(
        f"def test_{n}():\n    assert M == 'gpt-4o'\n" for n in range(12))},
        **anthropic).switch_cost["anthropic"]
    assert once.effort == many.effort > 0


def test_an_adapter_already_there_takes_over_the_vendors_features_but_not_its_data(
        scan_tree, tmp_path):
    """Prompt caching in the OpenAI adapter's folder, beside an Anthropic adapter: leaving
    OpenAI drops it for the Anthropic adapter (the supported share), where without that
    adapter it must be rewritten. A fine-tuned model is data: rebuilt either way."""
    cached = ("from openai import OpenAI\nclient = OpenAI()\ndef ask(q, m):\n"
              "    return client.chat.completions.create(model=m, messages=q, "
              "prompt_cache_key='session')\n")
    tuned = "TUNED = 'ft:gpt-4o-mini-2024-07-18:acme::abc123'\n"
    for extra, share in ((cached, calibration.SUPPORTED_SHARE), (tuned, 1.0)):
        alone = scan_tree({**PROVIDERS, "agent/providers/cached.py": extra},
                          targets=("anthropic",))
        both = scan_tree({**PROVIDERS, "agent/providers/cached.py": extra,
                          "agent/providers/anthropic.py": ANTHROPIC_ADAPTER})
        by_rule = {c.rule: c.effort for c in alone.switch_cost["anthropic"].contributors
                   if c.path == "agent/providers/cached.py"}
        moved = {c.rule: c.effort for c in both.leave["openai"].contributors
                 if c.path == "agent/providers/cached.py"}
        rule = "openai.request-options" if extra is cached else "openai.fine-tuned-model"
        assert rule in by_rule
        assert moved[rule] == pytest.approx(by_rule[rule] * share, abs=0.02)
        for path in ("agent/providers/cached.py", "agent/providers/anthropic.py"):
            (tmp_path / path).unlink(missing_ok=True)


def test_a_test_named_for_the_vendor_is_discounted_only_towards_a_target_with_an_adapter(
        scan_tree):
    """Targets whose price reads the same points share one priced part unless a file of
    the source sits beside one of their adapters: the vendor-named test must count there,
    or a target without an adapter (google) gets the discount of one with it."""
    test = "from openai import OpenAI\nclient = OpenAI()\ndef test_chat(m):\n" + CALL
    result = scan_tree({"app/__init__.py": "", "app/chat.py": _module("chat"),
                        "agent/providers/anthropic.py": ANTHROPIC_ADAPTER,
                        "tests/test_openai.py": test}, targets=("anthropic", "google"))

    def tested(target: str) -> float:
        return next(c.effort for c in result.switch_cost[target].contributors
                    if (c.path, c.rule) == ("tests/test_openai.py", "openai.chat-completion"))

    full = 3 * calibration.ROLE_SHARE["test"]
    assert tested("google") == pytest.approx(full, abs=0.02)
    assert tested("anthropic") == pytest.approx(full * calibration.SUPPORTED_SHARE, abs=0.02)
