# Examples for rules/bedrock/rules.toml. Each line ending in `# expect: <ids>` must be
# reported with exactly those rules; `# ok: <id>` marks a lookalike that must not be.
# This file is scanned, never run.
import json
import os

import aioboto3  # expect: bedrock.import
import boto3  # expect: bedrock.import
import botocore.config
from anthropic import AnthropicBedrock  # expect: anthropic.import
from boto3.session import Session  # expect: bedrock.import

MODEL_ID = "anthropic.claude-3-5-sonnet-20241022-v2:0"  # expect: bedrock.model-id
PROFILE_ID = "us.anthropic.claude-opus-4-6-v1"  # expect: bedrock.model-id
NOVA = "amazon.nova-pro-v1:0"  # expect: bedrock.model-id
LLAMA = "meta.llama3-1-70b-instruct-v1:0"  # expect: bedrock.model-id
GPT_OSS = "openai.gpt-oss-120b-1:0"  # expect: bedrock.model-id
ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0"  # expect: bedrock.model-id
NOT_A_MODEL = "anthropic.types"  # ok: bedrock.model-id
MODULE_PATH = "openai.resources.chat"  # ok: bedrock.model-id
PLAIN_CLAUDE = "claude-3-5-sonnet-20241022"  # expect: anthropic.model-id


def request_format(model_id):
    if model_id.startswith("meta.llama3"):  # expect: bedrock.model-family-prefix
        return "llama3"
    if model_id.startswith(("us.anthropic.", "anthropic.claude")):  # expect: bedrock.model-family-prefix
        return "messages"
    return "converse" if model_id.startswith("amazon.nova") else "titan"  # expect: bedrock.model-family-prefix


SDK_OBJECT = type(object).__module__.startswith("anthropic.")  # ok: bedrock.model-family-prefix

runtime = boto3.client("bedrock-runtime", region_name="us-east-1")  # expect: bedrock.client
named = boto3.client(service_name="bedrock-runtime")  # expect: bedrock.client
session = boto3.Session(profile_name="dev")
from_session = session.client("bedrock-runtime")  # expect: bedrock.client
other_session = Session().client(service_name="bedrock-runtime")  # expect: bedrock.client
agents = boto3.client("bedrock-agent-runtime")  # expect: bedrock.service-client
control = boto3.client("bedrock", region_name="us-east-1")  # expect: bedrock.service-client
s3 = boto3.client("s3")  # ok: bedrock.client, bedrock.service-client
token = os.environ["AWS_BEARER_TOKEN_BEDROCK"]  # expect: bedrock.env-var
region = os.environ["AWS_REGION"]  # ok: bedrock.env-var
claude_on_bedrock = AnthropicBedrock(aws_region="us-east-1")  # expect: anthropic.cloud-client

TOOLS = {  # expect: bedrock.tool-config
    "tools": [
        {  # expect: bedrock.tool-spec
            "toolSpec": {
                "name": "get_weather",
                "inputSchema": {"json": {"type": "object", "properties": {}}},
            }
        }
    ],
    "toolChoice": {"auto": {}},
}
NOT_TOOLS = {"spec": {"name": "x"}, "tool": "hammer"}  # ok: bedrock.tool-spec
OPENAI_STYLE = {"tools": [], "tool_choice": "auto"}  # ok: bedrock.tool-config


def chat(prompt: str) -> str:
    # Keyword rules report the call they belong to.
    response = runtime.converse(  # expect: bedrock.converse, bedrock.inference-config, bedrock.guardrail-config
        modelId=MODEL_ID,
        messages=[{"role": "user", "content": [{"text": prompt}]}],
        inferenceConfig={"maxTokens": 512, "temperature": 0.2},
        toolConfig=TOOLS,
        guardrailConfig={"guardrailIdentifier": "gr-1", "guardrailVersion": "1"},
    )
    if response["stopReason"] == "tool_use":  # expect: bedrock.stop-reason
        for block in response["output"]["message"]["content"]:  # expect: bedrock.response-content
            if "toolUse" in block:  # expect: bedrock.response-content
                print(block["toolUse"]["name"])  # expect: bedrock.response-content
    message = response["output"]["message"]  # expect: bedrock.response-content
    print(message["role"])  # expect: bedrock.response-content
    print(response["usage"]["inputTokens"])  # expect: bedrock.response-content
    return response["output"]["message"]["content"][0]["text"]  # expect: bedrock.response-content


def tool_result(tool_use_id: str, result: dict) -> dict:
    return {  # expect: bedrock.tool-result
        "toolResult": {"toolUseId": tool_use_id, "content": [{"json": result}], "status": "success"}
    }


def request(prompt: str) -> dict:
    return {"modelId": NOVA, "inferenceConfig": {"maxTokens": 100}}  # expect: bedrock.inference-config-dict


def stream(prompt: str) -> None:
    reply = named.converse_stream(modelId=NOVA, messages=[])  # expect: bedrock.converse
    for event in reply["stream"]:  # expect: bedrock.response-field
        if "contentBlockDelta" in event:  # expect: bedrock.response-content
            print(event["contentBlockDelta"]["delta"]["text"], end="")  # expect: bedrock.response-content
        if "metadata" in event:  # expect: bedrock.response-field
            print(event["metadata"]["metrics"]["latencyMs"])  # expect: bedrock.response-content
        if "messageStop" in event:  # expect: bedrock.response-content
            print(event["messageStop"]["stopReason"])  # expect: bedrock.response-content


def invoke(prompt: str) -> str:
    body = json.dumps({  # expect: bedrock.anthropic-body
        "anthropic_version": "bedrock-2023-05-31",
        "max_tokens": 256,
        "messages": [{"role": "user", "content": prompt}],
    })
    raw = from_session.invoke_model(modelId=MODEL_ID, body=body)  # expect: bedrock.invoke-model
    streamed = runtime.invoke_model_with_response_stream(modelId=MODEL_ID, body=body, guardrailIdentifier="gr-1")  # expect: bedrock.invoke-model, bedrock.guardrail-config
    print(streamed)
    return json.loads(raw["body"].read())["content"][0]["text"]  # expect: bedrock.response-content


def guard(text: str) -> None:
    runtime.apply_guardrail(guardrailIdentifier="gr-1", guardrailVersion="1", source="INPUT", content=[])  # expect: bedrock.apply-guardrail, bedrock.platform-call
    s3.converse(modelId="x")  # ok: bedrock.converse
    s3.apply_guardrail()  # ok: bedrock.apply-guardrail, bedrock.platform-call
    result = agents.retrieve_and_generate(input={"text": text})  # expect: bedrock.agents, bedrock.platform-call
    print([r["content"]["text"] for r in agents.retrieve(knowledgeBaseId="kb")["retrievalResults"]])  # expect: bedrock.agents, bedrock.platform-call, bedrock.response-content
    control.list_foundation_models()  # expect: bedrock.platform-call
    print(result["output"]["text"])  # expect: bedrock.response-field  # ok: bedrock.response-content
    s3.retrieve(input={})  # ok: bedrock.agents


class Inventory:
    def converse(self, **kwargs: object) -> None:
        pass


Inventory().converse(inferenceConfig={})  # ok: bedrock.converse, bedrock.inference-config
UNRELATED = {"output": {"message": {"content": []}}}
print(UNRELATED["stopReason"] == "finished")  # ok: bedrock.stop-reason
print(UNRELATED["output"]["text"]["role"])  # ok: bedrock.response-content
SETTINGS = {"anthropic_version": "2023-06-01", "region": "us"}  # ok: bedrock.anthropic-body
VERTEX_BODY = {"anthropic_version": "vertex-2023-10-16", "messages": []}  # ok: bedrock.anthropic-body
RESULT = {"result": {"toolUseId": "1"}}  # ok: bedrock.tool-result
CONFIG = {"inference": {"maxTokens": 1}}  # ok: bedrock.inference-config-dict
Inventory().converse(toolConfig={}, guardrailConfig={})  # ok: bedrock.tool-config, bedrock.guardrail-config
s3.invoke_model(body="{}")  # ok: bedrock.invoke-model


async def async_chat(prompt: str) -> None:
    async with aioboto3.Session().client("bedrock-runtime") as client:  # expect: bedrock.client
        await client.converse(modelId=NOVA, messages=[])  # expect: bedrock.converse


def model_bodies(prompt: str, s3_uri: str) -> None:
    titan = {"inputText": prompt, "textGenerationConfig": {"maxTokenCount": 512}}  # expect: bedrock.titan-body
    llama = {"prompt": prompt, "max_gen_len": 512, "temperature": 0.5}  # expect: bedrock.llama-body
    reel = {"taskType": "TEXT_VIDEO", "textToVideoParams": {"text": prompt}}  # expect: bedrock.nova-body
    job = runtime.start_async_invoke(modelId="amazon.nova-reel-v1:0", modelInput=reel, outputDataConfig={"s3OutputDataConfig": {"s3Uri": s3_uri}})  # expect: bedrock.invoke-model, bedrock.async-invoke, bedrock.model-id
    runtime.get_async_invoke(invocationArn=job["invocationArn"])  # expect: bedrock.async-invoke, bedrock.platform-call, bedrock.response-field
    runtime.invoke_model(modelId=LLAMA, body=json.dumps(llama))  # expect: bedrock.invoke-model  # ok: bedrock.async-invoke
    form = {"text": prompt, "max_length": 5, "task": "x", "input": "y"}  # ok: bedrock.titan-body, bedrock.llama-body, bedrock.nova-body
    print(titan, form)


def knowledge_base(region_name: str) -> list:
    return [
        f"arn:aws:bedrock:{region_name}::foundation-model/amazon.titan-embed-text-v2:0",  # expect: bedrock.model-id
        "openai.gpt-oss-120b",  # expect: bedrock.model-id
        f"arn:aws:s3:::{region_name}-bucket",  # ok: bedrock.model-id
    ]


def raw_http_bedrock(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post(f"https://bedrock-runtime.{region}.amazonaws.com/model/{model_id}/converse", json=payload, auth=auth)  # expect: bedrock.http-endpoint
    print("https://s3.us-east-1.amazonaws.com/bucket")  # ok: bedrock.http-endpoint


def converse_helpers(prompt: str, guardrail_id: str) -> None:
    extra_body = {"guardrailConfig": {"guardrailIdentifier": guardrail_id, "guardrailVersion": "1"}}  # expect: bedrock.guardrail-dict
    other = {"max_tokens": 10, "guardrail": "x"}  # ok: bedrock.guardrail-dict
    print(extra_body, other)


def response_fields(runtime) -> None:
    settings = botocore.config.Config(region_name="us-east-1")
    print(settings.region_name)  # ok: bedrock.response-field
