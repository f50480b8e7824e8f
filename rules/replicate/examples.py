# Examples for rules/replicate/rules.toml. This file is scanned, never run.
# Dependency rules (checked by the manifest analyzer, not here): replicate.dependency.
import os

import replicate  # expect: replicate.import
from replicate import Client  # expect: replicate.import
import replicated_cache  # ok: replicate.import

LLAMA = "meta/llama-2-70b-chat:02e509c789964a7ea8736978a43525956ef40397be9033abf9fd2badfe68c9e3"  # expect: replicate.model-version
HASHLIKE = "build:02e509c789964a7ea8736978a43525956ef40397be9033abf9fd2badfe68c9e3"  # ok: replicate.model-version
TOKEN = "r8_abcdefghijklmnopqrstuvwxyz0123"  # expect: replicate.hardcoded-key
NOT_TOKEN = "r8_x"  # ok: replicate.hardcoded-key


def generate(prompt: str) -> str:
    output = replicate.run(LLAMA, input={"prompt": prompt, "max_new_tokens": 200})  # expect: replicate.run, replicate.model-input
    for event in replicate.stream("meta/meta-llama-3-70b-instruct", input={"prompt": prompt}):  # expect: replicate.run, replicate.model-input
        print(event)
    client = Client(api_token=os.environ["REPLICATE_API_TOKEN"])  # expect: replicate.client, replicate.env-var
    client.predictions.create(version="v", input={"prompt": prompt})  # expect: replicate.run, replicate.model-input
    replicate.models.get("acme/model").versions.list()  # ok: replicate.run
    replicate.trainings.create(version="v", input={}, destination="acme/tuned")  # expect: replicate.trainings
    return "".join(output)


def lookalikes(runner, local) -> None:
    runner.run("job", input={"x": 1})  # ok: replicate.run, replicate.model-input
    local.predictions.create(input={})  # ok: replicate.run
    local.trainings.create(input={})  # ok: replicate.trainings
    local.Client()  # ok: replicate.client
    NAME = "REPLICATE_API_TOKEN_DOCS"  # ok: replicate.env-var


# Vendor-named settings the env rule does not list (a project's own names).
OWN_SETTING = "REPLICATE_MODEL_VERSION"  # expect: replicate.env-var-name
SETTING_HELP = "REPLICATE_MODEL_VERSION_HELP"  # ok: replicate.env-var-name
SETTING_PROSE = "REPLICATE settings"  # ok: replicate.env-var-name


def raw_http_replicate(requests, httpx, payload: dict, headers: dict, region: str, model_id: str, auth) -> None:
    # Hand-built HTTP to the vendor: the endpoint URL is the call site.
    requests.post("https://api.replicate.com/v1/predictions", json=payload, headers=headers)  # expect: replicate.http-endpoint
    print("https://replicate.com/explore")  # ok: replicate.http-endpoint
