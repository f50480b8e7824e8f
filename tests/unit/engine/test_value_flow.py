"""Value flow: vendor objects and responses followed through names, returns, properties,
bound methods and dict-style reads (issue 14). Each form is a small repo written for the
test; the assertions name the exact (line, rule) pairs, and confidence where it matters.
"""

from __future__ import annotations

from tests.support.repos import pairs


def found(result, path=None):
    """(line, rule, confidence) of every finding."""
    return {(f.line, f.rule, f.confidence) for f in result.findings
            if path is None or f.path == path}


# ----------------------------------------------------------------- bound methods and aliases


def test_bound_method_alias_is_the_call_where_named_and_where_called(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        class Bot:
            def __init__(self):
                self._client = Anthropic()

            def run(self, params):
                create = self._client.messages.create
                return create(**params)
    """})
    assert pairs(result) == {(1, "anthropic.import"), (5, "anthropic.client"),
                             (8, "anthropic.messages"), (9, "anthropic.messages")}


def test_module_function_alias_and_attribute_alias(scan_tree):
    result = scan_tree({"m.py": """
        import litellm

        completion = litellm.completion

        class Model:
            def __init__(self):
                self.client = litellm.completion

            def ask(self, messages):
                completion(model=MODEL, messages=messages)
                return self.client(model=MODEL, messages=messages)
    """})
    assert pairs(result) == {(1, "litellm.import"), (3, "litellm.completion"),
                             (7, "litellm.completion"), (10, "litellm.completion"),
                             (11, "litellm.completion")}


def test_method_passed_as_a_callable(scan_tree):
    result = scan_tree({"m.py": """
        from mistralai import Mistral
        from openai import OpenAI

        client = OpenAI()

        def retry(fn, *args, **kwargs):
            return fn(*args, **kwargs)

        class Model:
            def __init__(self):
                self.client = Mistral(api_key=KEY)

            def run(self, messages):
                retry(client.embeddings.create, model=MODEL, input=["x"])
                return self._call(self.client.chat.complete, messages)
    """})
    assert {(14, "openai.embeddings"), (15, "mistral.chat")} <= pairs(result)


def test_partial_of_a_vendor_method_carries_its_keywords(scan_tree):
    result = scan_tree({"m.py": """
        import functools
        from openai import OpenAI

        client = OpenAI()
        ask = functools.partial(client.chat.completions.create,
                                response_format={"type": "json_object"})
        ask(messages=[])
    """})
    assert pairs(result) == {(2, "openai.import"), (4, "openai.client"),
                             (5, "openai.chat-completion"), (5, "openai.json-mode"),
                             (6, "openai.json-mode-dict"), (7, "openai.chat-completion")}


def test_a_vendor_class_named_in_isinstance_or_a_method_replaced_is_no_call(scan_tree):
    result = scan_tree({"m.py": """
        import openai
        from anthropic import Anthropic

        def check(client, wrapper):
            if isinstance(client, Anthropic):
                return True
            openai.OpenAI.chat = wrapper
            del client.messages.create
    """})
    assert pairs(result) == {(1, "openai.import"), (2, "anthropic.import")}


# ----------------------------------------------------------------- where clients come from


def test_client_from_a_cached_property_defined_below_its_use(scan_tree):
    result = scan_tree({"m.py": """
        import functools

        import boto3

        class Bedrock:
            def ask(self, messages):
                return self.client.converse(modelId=MODEL, messages=messages)

            @functools.cached_property
            def client(self):
                return boto3.client("bedrock-runtime")
    """})
    assert pairs(result) == {(3, "bedrock.import"), (7, "bedrock.converse"), (11, "bedrock.client")}
    assert all(f.confidence == "high" for f in result.findings)


def test_client_from_a_property_and_from_a_method_defined_above(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        class Model:
            @property
            def client(self):
                return OpenAI()

            def _make(self):
                return OpenAI()

            def ask(self):
                self.client.embeddings.create(model=MODEL, input=["x"])
                self._make().moderations.create(input="x")
    """})
    assert {(12, "openai.embeddings"), (13, "openai.moderations")} <= pairs(result)


def test_client_from_a_factory_in_another_module(scan_tree):
    result = scan_tree({
        "app/__init__.py": "",
        "app/clients.py": """
            import anthropic

            def make_client():
                return anthropic.Anthropic()
        """,
        "app/use.py": """
            from app.clients import make_client

            def run():
                client = make_client()
                return client.messages.create(model=MODEL, max_tokens=5, messages=[])
        """,
    })
    assert found(result, "app/use.py") == {(4, "anthropic.client", "medium"),
                                           (5, "anthropic.messages", "high")}


def test_a_boto3_session_from_another_module_keeps_its_service(scan_tree):
    """`session.client("bedrock-runtime")` on a session from another module's factory: the
    service argument rides along to the link stage, which finds the boto3 session; an S3
    client from the same session stays nobody's."""
    result = scan_tree({
        "pkg/__init__.py": "",
        "pkg/aws.py": """
            import boto3

            def get_aws_session(region=None):
                return boto3.Session(region_name=region)
        """,
        "pkg/chat.py": """
            import json

            from pkg.aws import get_aws_session


            class Generator:
                def __init__(self, region):
                    session = get_aws_session(region)
                    self.client = session.client("bedrock-runtime")
                    self.files = session.client("s3")

                def run(self, body, model):
                    self.files.list_buckets()
                    response = self.client.invoke_model(body=json.dumps(body), modelId=model)
                    return json.loads(response["body"].read())
        """,
    })
    assert pairs(result) == {(9, "bedrock.client"), (14, "bedrock.invoke-model"),
                             (15, "bedrock.response-content")}


def test_a_getter_whose_return_names_the_service_wins_over_its_annotation(scan_tree):
    """`-> AwsClient` says boto3.client(), a client of no known service; what the getter
    returns says bedrock-runtime, so its callers' calls are Bedrock's."""
    result = scan_tree({"m.py": """
        from dataclasses import dataclass
        from typing import Optional

        from boto3 import client as AwsClient


        @dataclass
        class Model:
            client: Optional[AwsClient] = None

            def get_client(self) -> AwsClient:
                if self.client is not None:
                    return self.client
                self.client = AwsClient(service_name="bedrock-runtime")
                return self.client

            def ask(self, messages):
                return self.get_client().converse(modelId=MODEL, messages=messages)
    """})
    assert pairs(result) == {(4, "bedrock.import"), (14, "bedrock.client"),
                             (18, "bedrock.converse")}


def test_client_held_by_a_class_in_another_module(scan_tree):
    result = scan_tree({
        "app/__init__.py": "",
        "app/llm.py": """
            from openai import OpenAI

            class Llm:
                def __init__(self):
                    self.client = OpenAI()
        """,
        "app/use.py": """
            from app.llm import Llm

            def run(llm: Llm):
                return llm.client.embeddings.create(model=MODEL, input=["x"])
        """,
    })
    assert pairs(result, "app/use.py") == {(4, "openai.embeddings")}


# ----------------------------------------------------------------- responses as values


def test_function_returning_a_response_makes_its_callers_reads_vendor_reads(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        client = OpenAI()

        def main():
            reply = ask("hi")
            return reply.choices[0].message.content

        def ask(prompt):
            return client.chat.completions.create(model=MODEL, messages=[])
    """})
    assert (7, "openai.response-content", "high") in found(result)


def test_response_returned_through_two_modules(scan_tree):
    """``top`` imports ``ask`` from ``mid``, which only imports the repo's client: the
    summaries resolve over rounds of the full pass."""
    result = scan_tree({
        "app/__init__.py": "",
        "app/llm.py": "from openai import OpenAI\n\nclient = OpenAI()\n",
        "app/mid.py": """
            from app.llm import client

            def ask(prompt):
                return client.chat.completions.create(model=MODEL, messages=[])
        """,
        "app/top.py": """
            from app.mid import ask

            def main():
                msg = ask("hi").choices[0].message
                return msg.tool_calls
        """,
    })
    assert found(result, "app/mid.py") == {(4, "openai.chat-completion", "high")}
    assert found(result, "app/top.py") == {(4, "openai.choice-message", "high"),
                                           (5, "openai.tool-calls-access", "high")}


def test_method_returning_a_response_read_in_another_module(scan_tree):
    result = scan_tree({
        "app/__init__.py": "",
        "app/bot.py": """
            from anthropic import Anthropic

            class Bot:
                client = Anthropic()

                def reply(self, messages):
                    return self.client.messages.create(model=MODEL, max_tokens=5,
                                                       messages=messages)
        """,
        "app/use.py": """
            from app.bot import Bot

            def run():
                message = Bot().reply([])
                return message.content[0].text
        """,
    })
    assert found(result, "app/use.py") == {(5, "anthropic.response-content", "high")}


def test_generator_of_stream_chunks(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        def chunks(client: OpenAI):
            stream = client.chat.completions.create(model=MODEL, messages=[], stream=True)
            for chunk in stream:
                yield chunk

        async def main(client: OpenAI):
            for chunk in chunks(client):
                print(chunk.choices[0].delta.content)
    """})
    assert (10, "openai.response-content", "high") in found(result)


def test_stream_context_manager_events(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import AsyncAnthropic

        async def main(client: AsyncAnthropic):
            async with client.messages.stream(model=MODEL, max_tokens=5, messages=[]) as s:
                async for event in s:
                    if event.type == "content_block_delta":
                        print(event.delta)
    """})
    assert (6, "anthropic.stream-events", "high") in found(result)


def test_model_dump_and_dict_reads_of_a_response(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        def main(client: OpenAI):
            data = client.chat.completions.create(model=MODEL, messages=[]).model_dump()
            first = data["choices"][0]
            print(first["message"]["content"])
            calls = first.get("message").get("tool_calls")
            usage = getattr(data.get("usage"), "prompt_tokens")
    """})
    assert {(6, "openai.response-content", "high"),
            (7, "openai.tool-calls-access", "high"),
            (8, "openai.usage-tokens", "high")} <= found(result)


def test_bedrock_body_parsed_from_json_is_the_response(scan_tree):
    result = scan_tree({"m.py": """
        import json

        import boto3

        runtime = boto3.client("bedrock-runtime")
        response = runtime.converse(modelId=MODEL, messages=[])
        body = json.loads(response["body"].read())
        output = response["output"]
        print(output["message"]["content"][0]["text"])
    """})
    assert (9, "bedrock.response-content", "high") in found(result)


def test_json_parsed_from_a_text_field_is_new_data(scan_tree):
    result = scan_tree({"m.py": """
        import json

        from anthropic import Anthropic

        def main(client: Anthropic):
            response = client.messages.create(model=MODEL, max_tokens=5, messages=[])
            verdict = json.loads(response.content[0].text)
            return verdict.items(), verdict["explanation"]
    """})
    assert {line for line, _ in pairs(result)} == {3, 6, 7}


def test_isinstance_narrows_a_value_to_a_vendor_type(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic.types import Message

        def text_of(completion):
            if isinstance(completion, Message):
                return completion.content[0].text
            return completion.content[0].text
    """})
    assert found(result) == {(1, "anthropic.import", "high"),
                             (4, "anthropic.response-field", "high"),  # the type check
                             (5, "anthropic.response-content", "high")}


def test_isinstance_on_a_local_class_hides_a_lookalike_shape(scan_tree):
    result = scan_tree({"m.py": """
        from app.types import Selection

        def arguments(tool_call):
            if isinstance(tool_call, Selection):
                return tool_call.function.arguments
            return tool_call.function.arguments
    """})
    assert found(result) == {(6, "openai.tool-calls-access", "medium")}


# ----------------------------------------------------------------- unresolved values keep their shape


def test_sub_object_bound_to_a_variable_keeps_the_response_shape(scan_tree):
    result = scan_tree({"m.py": """
        def handle(resp):
            msg = resp.choices[0].message
            if msg.tool_calls:
                for tool_call in msg.tool_calls:
                    print(tool_call.function.name)
            for part in resp.candidates[0].content.parts:
                print(part.text)
    """})
    assert found(result) == {(2, "openai.choice-message", "medium"),
                             (3, "openai.tool-calls-access", "medium"),
                             (4, "openai.tool-calls-access", "medium"),
                             (5, "openai.tool-calls-access", "medium"),
                             (6, "google.candidates", "medium"),
                             (7, "google.candidates", "medium")}


def test_dict_style_reads_of_raw_responses(scan_tree):
    result = scan_tree({"m.py": """
        def handle(r, chunk):
            text = r["choices"][0]["message"]["content"]
            delta = chunk.get("choices")[0].get("delta")
            print(delta.get("content"))
            for tool_call in r["choices"][0]["message"].get("tool_calls", []):
                print(tool_call["function"]["arguments"])
            if hasattr(r, "usage"):
                print(getattr(r["usage"], "prompt_tokens"))
    """})
    assert pairs(result) == {(2, "openai.response-content"), (3, "openai.choice-message"),
                             (4, "openai.response-content"),
                             (5, "openai.tool-calls-access"), (6, "openai.tool-calls-access"),
                             (8, "openai.usage-tokens")}


def test_names_that_merely_look_like_fields_stay_quiet(scan_tree):
    result = scan_tree({"m.py": """
        def build(parser, config):
            options = parser.add_argument("--mode", choices=["a", "b"])
            message = config.get("message")
            content = message.get("content")
            usage = config.usage
            return options, content, usage.total
    """})
    assert pairs(result) == set()


# ----------------------------------------------------------------- parameters and helpers


def test_response_passed_to_a_parsing_method(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        class Llm:
            def __init__(self, client):
                self.client = client

            def generate(self, messages):
                response = self.client.messages.create(model=MODEL, max_tokens=5,
                                                       messages=messages)
                return self._parse(response)

            def _parse(self, response):
                for block in response.content:
                    return block.text

        llm = Llm(Anthropic())
    """})
    assert found(result) == {(1, "anthropic.import", "high"),
                             (8, "anthropic.messages", "high"),
                             (13, "anthropic.response-field", "high"),
                             (14, "anthropic.response-content", "high"),
                             (16, "anthropic.client", "high")}


def test_sub_object_passed_on_through_two_helpers(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI

        def first(resp):
            return second(resp.choices[0])

        def second(choice):
            return choice.message.tool_calls

        first(OpenAI().chat.completions.create(model=MODEL, messages=[]))
    """})
    assert (7, "openai.tool-calls-access", "high") in found(result)


def test_helper_calling_what_it_is_given_returns_the_vendor_response(scan_tree):
    """A retry helper (here a third-party ``Retrying`` object and the file's own
    function) and ``asyncio.to_thread`` return what the vendor method returns; the call
    is reported where the method is handed over, not inside the helper."""
    result = scan_tree({"m.py": """
        import asyncio

        from openai import OpenAI
        from tenacity import Retrying

        def with_retry(fn, *args, **kwargs):
            return fn(*args, **kwargs)

        class Model:
            def __init__(self):
                self.client = OpenAI()
                self.retryer = Retrying()

            async def run(self):
                one = self.retryer(self.client.chat.completions.create, model=MODEL)
                two = with_retry(self.client.chat.completions.create, model=MODEL)
                three = await asyncio.to_thread(self.client.chat.completions.create)
                return one.choices[0].message.content, two.choices[0].message.tool_calls, \\
                    three.choices[0].message.content
    """})
    assert pairs(result) == {(3, "openai.import"), (11, "openai.client"),
                             (15, "openai.chat-completion"), (16, "openai.chat-completion"),
                             (17, "openai.chat-completion"), (18, "openai.response-content"),
                             (18, "openai.tool-calls-access"), (19, "openai.response-content")}
    assert all(f.confidence == "high" for f in result.findings if f.line in (18, 19))


def test_stream_passed_through_an_async_generator(scan_tree):
    result = scan_tree({"m.py": """
        from openai import AsyncOpenAI

        async def relay(stream):
            async for chunk in stream:
                yield chunk

        async def main(client: AsyncOpenAI):
            stream = await client.chat.completions.create(model=MODEL, messages=[], stream=True)
            async for chunk in relay(stream):
                print(chunk.choices[0].delta.tool_calls)
    """})
    assert (10, "openai.tool-calls-access", "high") in found(result)


def test_a_helpers_result_is_read_where_the_helper_reads_it(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        def text_of(response):
            return response.content[0].text

        def main(client: Anthropic):
            return text_of(client.messages.create(model=MODEL, max_tokens=5, messages=[]))
    """})
    assert pairs(result) == {(1, "anthropic.import"), (4, "anthropic.response-content"),
                             (7, "anthropic.messages")}


def test_cast_filtered_lists_and_next(scan_tree):
    result = scan_tree({"m.py": """
        from typing import Any, cast

        from anthropic.types import Message
        from openai.types.chat import ChatCompletionChunk

        def main(raw: Any, message: Message):
            chunk = cast(ChatCompletionChunk, raw)
            print(chunk.choices[0].delta.content)
            texts = [b for b in message.content if b.type == "text"]
            tool = next(b for b in message.content if b.type == "tool_use")
            return texts[0].text, tool.input
    """})
    assert {(8, "openai.response-content", "high"),
            (11, "anthropic.response-content", "high")} <= found(result)


def test_client_imported_inside_the_constructor(scan_tree):
    result = scan_tree({"m.py": """
        class Model:
            def __init__(self):
                from litellm import completion
                self.client = completion

            def run(self, messages):
                return self.client(model=MODEL, messages=messages)
    """})
    assert pairs(result) == {(3, "litellm.import"), (4, "litellm.completion"),
                             (7, "litellm.completion")}


def test_a_shape_read_on_a_value_typed_as_another_vendor_still_counts(scan_tree):
    """A value typed ``ChatCompletion`` read the Gemini way: the annotation does not hide
    the written shape (medium); an OpenAI-shaped read of a litellm response is no
    finding (litellm is portable)."""
    result = scan_tree({"m.py": """
        import litellm
        from openai.types.chat import ChatCompletion

        def parse(completion: ChatCompletion):
            return completion.candidates[0].content.parts

        def ask():
            return litellm.completion(model=MODEL, messages=[]).choices[0].message.content
    """})
    assert found(result) == {(1, "litellm.import", "high"), (2, "openai.import", "high"),
                             (5, "google.candidates", "medium"),
                             (8, "litellm.completion", "high")}


# ----------------------------------------------------------------- any field of a response


def test_any_field_of_a_vendor_response_is_a_shape_read(scan_tree):
    """A field no named rule lists, read on what a vendor call returns (through a
    stream and a loop), is the vendor's response-field read; the client's own
    attributes and a method called on the response are not."""
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        def main(client: Anthropic):
            reply = client.messages.create(model=MODEL, max_tokens=5, messages=[])
            print(reply.id)
            with client.messages.stream(model=MODEL, max_tokens=5, messages=[]) as events:
                for event in events:
                    print(event.delta.text)
            print(client.base_url)
            return reply.to_json()
    """})
    assert found(result) == {(1, "anthropic.import", "high"), (4, "anthropic.messages", "high"),
                             (5, "anthropic.response-field", "high"),
                             (6, "anthropic.messages", "high"),
                             (8, "anthropic.response-field", "high")}


def test_a_named_shape_rule_on_the_line_wins_over_the_field_read(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        def main(client: Anthropic):
            reply = client.messages.create(model=MODEL, max_tokens=5, messages=[])
            if reply.stop_reason == "end_turn":
                return reply.content[0].text
            first = reply.content[0] if reply.content else None
            return first
    """})
    assert found(result) == {(1, "anthropic.import", "high"), (4, "anthropic.messages", "high"),
                             (5, "anthropic.stop-reason", "high"),
                             (6, "anthropic.response-content", "high"),
                             (7, "anthropic.response-field", "high")}


def test_fields_of_a_vendor_response_type_and_not_of_a_request_type(scan_tree):
    result = scan_tree({"m.py": """
        from google.genai import types

        def safety(rating: types.SafetyRating):
            config = types.GenerateContentConfig(temperature=0)
            print(config.temperature)
            return rating.probability.name
    """})
    assert (6, "google.response-field", "high") in found(result)
    assert not {f for f in found(result) if f[0] == 5}


def test_a_field_read_on_a_response_from_another_module(scan_tree):
    result = scan_tree({
        "app/__init__.py": "",
        "app/llm.py": """
            from google import genai

            def ask(prompt):
                return genai.Client().models.generate_content(model=MODEL, contents=prompt)
        """,
        "app/use.py": """
            from app.llm import ask

            def run():
                reply = ask("hi")
                return reply.candidates[0].finish_reason.name
        """,
    })
    assert found(result, "app/use.py") == {(5, "google.response-field", "high")}


def test_loop_over_parts_or_an_empty_list(scan_tree):
    """``for part in x.parts or []`` iterates ``x.parts``; ``a if c else b`` is either."""
    result = scan_tree({"m.py": """
        from google import genai

        def main(client: genai.Client):
            for chunk in client.models.generate_content_stream(model=MODEL, contents="x"):
                parts = chunk.candidates[0].content.parts if chunk.candidates else []
                for part in parts or []:
                    print(part.text)
    """})
    assert (7, "google.candidates", "high") in found(result)


def test_a_comprehension_element_reads_its_own_loop_names(scan_tree):
    """The element is written before its ``for`` but reads the loop's names: ``chunk``
    below is a tuple item, not the stream chunk bound before."""
    result = scan_tree({"m.py": """
        from openai import OpenAI

        def main(client: OpenAI, pending, ids):
            for chunk in client.chat.completions.create(model=MODEL, messages=[], stream=True):
                print(chunk.id)
            return [chunk.name for chunk, tool_id in zip(pending, ids)]
    """})
    assert found(result) == {(1, "openai.import", "high"), (4, "openai.chat-completion", "high"),
                             (5, "openai.response-field", "high")}


def test_a_value_read_earlier_and_used_here_is_no_new_field_read(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        def main(client: Anthropic):
            reply = client.messages.create(model=MODEL, max_tokens=5, messages=[])
            blocks = reply.content
            return blocks[0], reply.model_dump()
    """})
    assert found(result) == {(1, "anthropic.import", "high"), (4, "anthropic.messages", "high"),
                             (5, "anthropic.response-field", "high")}


def test_a_vendor_module_imported_by_name_at_run_time(scan_tree):
    result = scan_tree({"m.py": """
        import importlib


        def ask(messages, model):
            llm = importlib.import_module("litellm")
            return llm.completion(model=model, messages=messages)


        def legacy():
            openai = __import__("openai")
            return openai.OpenAI()


        def unrelated():
            return importlib.import_module("json").dumps({})
    """})
    assert pairs(result) == {(5, "litellm.import"), (6, "litellm.completion"),
                             (10, "openai.import"), (11, "openai.client")}


def test_getattr_of_a_vendor_module_with_a_literal_name(scan_tree):
    result = scan_tree({"m.py": """
        import litellm
        import openai


        def ask(messages, model, name):
            completion = getattr(litellm, "completion")
            completion(model=model, messages=messages)
            client = getattr(openai, "OpenAI")()
            getattr(litellm, name)(model=model, messages=messages)
            return client.chat.completions.create(model=model, messages=messages)
    """})
    assert pairs(result) == {(1, "litellm.import"), (2, "openai.import"),
                             (7, "litellm.completion"), (8, "openai.client"),
                             (10, "openai.chat-completion")}


def test_a_lazy_module_wrapper_stands_for_its_module(scan_tree):
    """An object whose ``__getattr__`` imports the SDK on first use, known by the
    wrapper's name; the file has no import statement of the vendor at all."""
    result = scan_tree({"m.py": """
        from utils.lazy import LazyLoader, lazy_import

        openai = LazyLoader("openai", globals(), "openai")
        anthropic = lazy_import(name="anthropic")
        numpy = LazyLoader("numpy", globals(), "numpy")
        cache = lazy_cache("openai.json")


        def ask(q):
            numpy.zeros(3)
            anthropic.Anthropic().messages.create(model=M, max_tokens=5, messages=q)
            return openai.OpenAI().chat.completions.create(model=M, messages=q)
    """})
    assert pairs(result) == {(3, "openai.import"), (4, "anthropic.import"),
                             (11, "anthropic.client"), (11, "anthropic.messages"),
                             (12, "openai.client"), (12, "openai.chat-completion")}


def test_clients_kept_in_a_registry_dict_under_literal_keys(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic
        from openai import OpenAI

        CLIENTS = {"openai": OpenAI(), "anthropic": Anthropic()}
        SETTINGS = {"model": "x", "retries": 3}


        def ask(q):
            r = CLIENTS["openai"].chat.completions.create(model=M, messages=[])
            return r.choices[0].message.content


        def ask2(q):
            return CLIENTS.get("anthropic").messages.create(model=M, max_tokens=5, messages=[])


        def plain():
            return SETTINGS["model"].upper()
    """})
    assert pairs(result) == {(1, "anthropic.import"), (2, "openai.import"),
                             (4, "openai.client"), (4, "anthropic.client"),
                             (9, "openai.chat-completion"), (10, "openai.response-content"),
                             (14, "anthropic.messages")}


# ----------------------------------------------------------------- classes of one module


def test_a_base_class_attribute_is_made_by_the_subclass_factory(scan_tree):
    result = scan_tree({"m.py": """
        import litellm
        from anthropic import Anthropic

        class Base:
            def __init__(self, client=None):
                self.client = client or self.make_client()

            def make_client(self):
                raise NotImplementedError

            def ask(self, **kw):
                return self.client.respond(**kw)

        class Claude(Base):
            def make_client(self):
                return Anthropic()

            def ask(self, **kw):
                return self.run(self.client.messages.create, **kw)

        class Lite(Base):
            def make_client(self):
                return litellm

            def ask(self, **kw):
                return self.client.completion(**kw)
    """})
    assert pairs(result) == {(1, "litellm.import"), (2, "anthropic.import"),
                             (16, "anthropic.client"), (19, "anthropic.messages"),
                             (26, "litellm.completion")}


def test_a_session_opened_in_a_method_and_a_function_attached_to_a_class(scan_tree):
    result = scan_tree({"m.py": """
        from google import genai

        client = genai.Client()

        class Loop:
            def __init__(self):
                self.session = None
                self.model = genai.Client().models

            async def run(self):
                async with client.aio.live.connect(model="m") as session:
                    self.session = session

            async def send(self, text):
                await self.session.send_realtime_input(text=text)

            @classmethod
            def add_method(cls, func):
                setattr(cls, func.__name__, func)

        @Loop.add_method
        def ask(self, prompt):
            return self.model.generate_content(model="m", contents=prompt)

        def unrelated(self, prompt):
            return self.model.generate_content(model="m", contents=prompt)
    """})
    assert {(line, rule) for line, rule in pairs(result) if line > 11} == {
        (15, "google.platform-call"), (23, "google.generate-content")}


def test_an_attribute_made_from_another_attribute_of_self(scan_tree):
    result = scan_tree({"m.py": """
        import google.generativeai as genai

        class Bot:
            def __init__(self):
                self.model = genai.GenerativeModel("gemini-1.5-flash")
                self.chat = self.model.start_chat(history=[])
                self.name = self.label()

            def label(self):
                return "bot"

            def ask(self, question):
                return self.chat.send_message(question), self.name.upper()
    """})
    assert {(line, rule) for line, rule in pairs(result) if line > 6} == {
        (13, "google.legacy-generate")}


def test_an_annotated_property_is_the_value_it_returns(scan_tree):
    result = scan_tree({"m.py": """
        from cohere import AsyncClientV2

        class Model:
            @property
            def client(self) -> AsyncClientV2:
                return self._provider.client

            async def ask(self, messages):
                return await self.client.chat(model="command-r", messages=messages)
    """})
    assert (9, "cohere.chat-v2") in pairs(result)


# ----------------------------------------------------------------- the project's own types


def test_fields_of_the_projects_own_class_are_its_own_shape(scan_tree):
    result = scan_tree({"pkg/__init__.py": "", "pkg/types.py": """
        from dataclasses import dataclass

        @dataclass
        class Call:
            name: str
            arguments: str

        @dataclass
        class Reply:
            tool_calls: list[Call]
            function: Call

            def describe(self):
                return self.function.arguments
    """, "pkg/agent.py": """
        import openai
        from pkg.types import Reply

        def run(message: Reply, raw):
            for call in message.tool_calls:
                print(call.arguments)
            print(message.function.arguments, raw.function.arguments)
    """})
    # Only the untyped `raw` may be OpenAI's tool call.
    assert pairs(result) == {(1, "openai.import"), (7, "openai.tool-calls-access")}


def test_a_method_of_the_projects_class_may_return_a_vendor_response(scan_tree):
    result = scan_tree({"pkg/__init__.py": "", "pkg/model.py": """
        import openai

        class Model:
            def retry(self, fn, **kw):
                return fn(**kw)

            def ask(self):
                response = self.retry(openai.OpenAI().chat.completions.create, model=M)
                return response.choices[0].message.tool_calls
    """})
    assert (9, "openai.tool-calls-access") in pairs(result)


def test_a_vendor_type_in_a_collection_annotation_types_its_items(scan_tree):
    result = scan_tree({"m.py": """
        from typing import Iterator, Optional
        from openai.types.chat import ChatCompletionChunk, ChatCompletionMessage

        def first(messages: list[ChatCompletionMessage]) -> Optional[str]:
            return messages[0].refusal

        def stream(chunks: Iterator[ChatCompletionChunk]):
            for chunk in chunks:
                yield chunk.system_fingerprint

        def plain(names: list[str]):
            return names[0].upper()
    """})
    assert pairs(result) == {(2, "openai.import"), (5, "openai.response-field"),
                             (9, "openai.response-field")}


# ----------------------------------------------------------------- values read earlier


def test_methods_and_slices_on_text_read_earlier_are_no_new_shape_read(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        client = Anthropic()
        text = client.messages.create(model=M, max_tokens=9, messages=[]).content[0].text
        start, end = text.index("{"), text.rfind("}")
        body = text[start:end + 1]
    """})
    assert pairs(result) == {(1, "anthropic.import"), (3, "anthropic.client"),
                             (4, "anthropic.messages"), (4, "anthropic.response-content")}


def test_keys_of_a_tool_calls_parsed_input_are_the_projects_own(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        client = Anthropic()
        reply = client.messages.create(model=M, max_tokens=9, messages=[], tools=TOOLS)
        block = reply.content[-1]
        args = block.input
        print(args["city"])
        print(args.units)
        print(block.id)
    """})
    assert pairs(result) == {(1, "anthropic.import"), (3, "anthropic.client"),
                             (4, "anthropic.messages"), (5, "anthropic.response-field"),
                             (6, "anthropic.response-content"), (9, "anthropic.response-content")}


def test_fields_of_a_vendor_exception_are_error_handling_not_a_response(scan_tree):
    result = scan_tree({"m.py": """
        from google.genai import errors

        def retryable(exc: BaseException) -> bool:
            if isinstance(exc, errors.ClientError):
                return exc.code in (429, 503)
            return False
    """})
    assert pairs(result) == {(1, "google.import-genai")}


def test_a_response_returned_in_a_tuple_and_unpacked(scan_tree):
    result = scan_tree({"m.py": """
        import time
        from anthropic import Anthropic

        client = Anthropic()

        def timed(messages):
            start = time.time()
            reply = client.messages.create(model=M, max_tokens=9, messages=messages)
            return reply, time.time() - start

        answer, elapsed = timed([])
        print(answer.usage.output_tokens)
        print(elapsed.real)
        first, second, third = timed([])
    """})
    assert pairs(result) == {(2, "anthropic.import"), (4, "anthropic.client"),
                             (8, "anthropic.messages"), (12, "anthropic.response-content")}


def test_a_request_message_typed_with_the_vendors_param_type_is_no_response(scan_tree):
    result = scan_tree({"m.py": """
        from openai.types.chat import ChatCompletionMessage, ChatCompletionMessageParam

        def convert(messages: list[ChatCompletionMessageParam], last: ChatCompletionMessage):
            for message in messages:
                print(message.get("role"), message["content"])
            return last.refusal
    """})
    assert pairs(result) == {(1, "openai.import"), (6, "openai.response-field")}


def test_a_project_class_deriving_from_a_vendor_response_is_read_as_the_vendors(scan_tree):
    result = scan_tree({"m.py": """
        from typing import Iterator
        from openai.types.chat import ChatCompletionChunk

        class ThoughtChunk(ChatCompletionChunk):
            thought: str = ""

        def relay(chunks) -> Iterator[ThoughtChunk]:
            yield from chunks

        def usage(chunks):
            for chunk in relay(chunks):
                print(chunk.usage)
    """})
    assert (12, "openai.response-field") in pairs(result)


def test_items_of_a_list_in_a_tool_calls_parsed_input_are_the_projects_own(scan_tree):
    result = scan_tree({"m.py": """
        from anthropic import Anthropic

        reply = Anthropic().messages.create(model=M, max_tokens=9, messages=[], tools=TOOLS)
        for call in reply.content[0].input["calls"]:
            print(call["name"], call.arguments)
    """})
    assert pairs(result) == {(1, "anthropic.import"), (3, "anthropic.client"),
                             (3, "anthropic.messages"), (4, "anthropic.response-content")}


def test_a_private_attribute_of_the_projects_class_may_hold_a_vendor_stream(scan_tree):
    result = scan_tree({"pkg/__init__.py": "", "pkg/stream.py": """
        import openai

        class Streamed:
            _source: Wrapper[Chunk]

            async def events(self):
                async for chunk in self._source:
                    print(chunk.choices[0].delta.content)
    """})
    assert (8, "openai.response-content") in pairs(result)


def test_a_key_membership_test_on_a_vendor_value_reads_that_key(scan_tree):
    result = scan_tree({"m.py": """
        import boto3

        rt = boto3.client("bedrock-runtime")

        def stream(messages, settings):
            for event in rt.converse_stream(modelId=M, messages=messages)["stream"]:
                if "contentBlockDelta" in event:
                    yield event["contentBlockDelta"]["delta"]["text"]
                if "messageStop" not in event:
                    continue
            if "toolUse" in settings:
                return
    """})
    reads = {(line, rule) for line, rule in pairs(result) if rule.startswith("bedrock.response")}
    assert reads == {(6, "bedrock.response-field"), (7, "bedrock.response-content"),
                     (8, "bedrock.response-content"), (9, "bedrock.response-content")}


def test_a_type_check_against_a_vendor_response_class_reads_its_shape(scan_tree):
    result = scan_tree({"m.py": """
        from openai import OpenAI, APIError
        from openai.types.responses import ResponseFunctionToolCall, ResponseReasoningItem

        def route(items, err, own):
            for item in items:
                if isinstance(item, ResponseFunctionToolCall):
                    continue
                if isinstance(item, (ResponseReasoningItem, dict)):
                    continue
            return isinstance(err, APIError) or isinstance(own, OpenAI) or isinstance(own, dict)
    """})
    reads = [(f.line, f.rule, f.subject) for f in result.findings if f.kind == "response_shape"]
    assert reads == [(6, "openai.response-field", "isinstance(item, ResponseFunctionToolCall)"),
                     (8, "openai.response-field", "isinstance(item, ResponseReasoningItem)")]


def test_boto3_is_bedrock_coupling_only_where_the_module_creates_a_bedrock_client(scan_tree):
    result = scan_tree({
        "llm.py": "import boto3\nrt = boto3.client('bedrock-runtime')\n",
        "storage.py": "import boto3\ns3 = boto3.client('s3')\n",
    })
    assert pairs(result) == {(1, "bedrock.import"), (2, "bedrock.client")}
    assert {f.path for f in result.findings} == {"llm.py"}


def test_a_factory_under_a_nested_project_root_is_imported_by_its_short_name(scan_tree):
    result = scan_tree({
        "src/backend/app/__init__.py": "",
        "src/backend/app/clients.py": """
            import openai

            async def make() -> openai.AsyncOpenAI:
                return openai.AsyncOpenAI()
        """,
        "tests/test_use.py": """
            from app.clients import make

            async def test_embed():
                client = await make()
                return (await client.embeddings.create(model="m", input="x")).data[0].embedding
        """,
    })
    assert {(f.line, f.rule) for f in result.findings if f.path == "tests/test_use.py"} == {
        (5, "openai.embeddings"), (5, "openai.embedding-vector")}
