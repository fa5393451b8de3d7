"""Limits and budgets as an application sees them through the `openai` SDK."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import time
import urllib.request

import openai
import pytest
from openai import OpenAI

import policies


# The application's virtual key: it names workload `checkout`.
APP_KEY = "sk-sluice-limits-e2e-4b1f"
APP_KEY_HASH = "sha256:" + hashlib.sha256(APP_KEY.encode()).hexdigest()


def limits_policy(limits: str, extra: str = "") -> str:
    return policies.mock_only_policy() + f"""\
workloads:
  checkout:
    keys: [ "{APP_KEY_HASH}" ]
    limits:
{limits}
{extra}
"""


def sdk(process, retries: int = 0) -> OpenAI:
    return OpenAI(base_url=process.base_url, api_key=APP_KEY, max_retries=retries, timeout=10)


def ask(client: OpenAI, **extra):
    return client.chat.completions.create(
        model="demo-chat", messages=[{"role": "user", "content": "hello"}], **extra
    )


def test_rate_limit_error_in_the_sdk(start_sluice):
    sluice = start_sluice(limits_policy("      requests_per_minute: 2"))
    client = sdk(sluice)
    for _ in range(2):
        response = client.chat.completions.with_raw_response.create(
            model="demo-chat", messages=[{"role": "user", "content": "hello"}]
        )
        assert response.headers["x-ratelimit-limit-requests"] == "2"
    with pytest.raises(openai.RateLimitError) as caught:
        ask(client)
    error = caught.value
    assert error.status_code == 429
    assert error.code == "rate_limit_exceeded"
    assert "requests_per_minute is 2" in error.message
    assert int(error.response.headers["retry-after"]) in range(29, 31)
    assert error.response.headers["x-ratelimit-remaining-requests"] == "0"


def test_budget_exceeded_is_not_retried_by_the_sdk(start_sluice):
    sluice = start_sluice(
        limits_policy(
            "      budget: { usd_per_day: 0.01 }",
            "prices:\n  demo/demo-chat: { input: 5000, output: 5000 }",
        ),
    )
    ask(sdk(sluice))
    # The SDK retries 429s it may retry; x-should-retry: false tells it not to.
    with pytest.raises(openai.RateLimitError) as caught:
        ask(sdk(sluice, retries=3))
    assert caught.value.code == "budget_exceeded"
    assert caught.value.response.headers["x-should-retry"] == "false"
    sluice.wait_for_log(lambda log: log.get("msg") == "access" and log.get("status") == 429, 5, "the refusal")
    time.sleep(0.5)  # room for a retry's line, if the SDK made one
    refused = [log for log in sluice.logs if log.get("msg") == "access" and log.get("status") == 429]
    assert len(refused) == 1, "the SDK retried a budget refusal"
    with urllib.request.urlopen(sluice.admin_url + "/status", timeout=5) as answer:
        status = json.load(answer)
    assert status["limits"]["workloads"]["checkout"]["spend_usd"]["day"] > 0.01


def test_usage_chunk_only_when_asked(start_sluice):
    sluice = start_sluice(limits_policy("      tokens_per_minute: 100000"))
    client = sdk(sluice)
    chunks = list(ask(client, stream=True))
    assert chunks and all(chunk.usage is None for chunk in chunks)
    assert all(chunk.choices for chunk in chunks)
    asked = list(ask(client, stream=True, stream_options={"include_usage": True}))
    assert asked[-1].choices == [] and asked[-1].usage.total_tokens > 0


def test_max_concurrent_is_free_again_for_a_pipelined_request(start_sluice):
    """An answer's concurrency slot is given back with its last byte: the request pipelined behind it on
    the same connection (served in the same loop turn) is admitted, not refused."""
    sluice = start_sluice(limits_policy("      max_concurrent: 1"))
    body = json.dumps({"model": "demo-chat", "messages": [{"role": "user", "content": "hello"}]}).encode()
    one = (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {APP_KEY}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as sock:
        sock.sendall(one + one)
        received = b""
        while received.count(b"HTTP/1.1 ") < 2 or not received.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after: {received!r}"
            received += chunk
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", received)
    assert statuses == [b"200", b"200"], received
