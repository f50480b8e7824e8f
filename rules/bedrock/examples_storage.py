# Examples for rules/bedrock/rules.toml: a module that uses boto3 for storage only.
# boto3 is AWS's general SDK, Bedrock coupling only where the module creates a Bedrock
# client (bedrock.import's with_rules). This file is scanned, never run.
import boto3  # ok: bedrock.import

s3 = boto3.client("s3")  # ok: bedrock.client, bedrock.service-client


def upload(path: str) -> None:
    s3.upload_file(path, "bucket", path)
