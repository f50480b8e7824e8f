"""The SARIF 2.1.0 schema (a local copy: tests need no network) and a strict validator."""

from __future__ import annotations

import json

import jsonschema

from tests.support.repos import DATA

SCHEMA = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)
