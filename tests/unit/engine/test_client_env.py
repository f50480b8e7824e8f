"""Environment variables a vendor client is constructed with: whatever the project
calls them, the deployment sets them for that client's vendor."""

from __future__ import annotations


def env_findings(result, path: str = "app.py") -> set[tuple[int, str, str, str]]:
    return {(f.line, f.rule, f.vendor, f.confidence) for f in result.findings
            if f.path == path and f.kind == "env_var"}


def test_a_clients_keyword_read_from_the_environment_is_the_clients_vendors(scan_tree):
    result = scan_tree({"app.py": """
        import os
        from anthropic import Anthropic
        from openai import OpenAI

        BASE = os.getenv("ACME_LLM_URL")


        def make():
            key = os.environ.get("ACME_CLAUDE_KEY") or ""
            claude = Anthropic(api_key=key)
            proxy = OpenAI(base_url=BASE + "/v1", api_key=os.environ["ACME_PROXY_KEY"])
            return claude, proxy
        """})
    assert env_findings(result) == {
        (5, "openai.env-var", "openai", "medium"),
        (9, "anthropic.env-var", "anthropic", "medium"),
        (11, "openai.env-var", "openai", "medium"),
    }


def test_the_host_a_client_is_pointed_at_owns_its_variables(scan_tree):
    result = scan_tree({"app.py": """
        import os
        from openai import OpenAI

        together = OpenAI(base_url="https://api.together.xyz/v1", api_key=os.environ["TG_KEY"])
        unknown = OpenAI(base_url="https://llm.example.dev/v1", api_key=os.getenv("EX_KEY"))
        """})
    assert env_findings(result) == {
        (4, "together.env-var", "together", "medium"),
        (5, "openai.env-var", "openai_compatible", "medium"),
    }


def test_known_names_are_reported_once_and_other_values_not_at_all(scan_tree):
    result = scan_tree({"app.py": """
        import os
        from langchain_openai import ChatOpenAI
        from openai import OpenAI

        TIMEOUT = os.getenv("ACME_TIMEOUT")


        def make(api_key=None, timeout=TIMEOUT):
            named = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
            given = OpenAI(api_key=api_key, timeout=float(os.getenv("ACME_RETRIES", "3")))
            chosen = ChatOpenAI(model=os.getenv("MODEL_NAME"), temperature=0.1)
            settings = dict(api_key=os.environ["ACME_KEY"])
            return named, given, chosen, settings
        """})
    assert env_findings(result) == {(9, "openai.env-var", "openai", "high")}
