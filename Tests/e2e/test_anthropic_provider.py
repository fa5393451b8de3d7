"""The `openai` SDK, unchanged, served by an Anthropic-speaking provider through Sluice's translation."""

from __future__ import annotations

import json

from openai import OpenAI

import policies
import wire


def anthropic_policy(provider_url: str) -> str:
    return policies.policy_head() + f"""\
providers:
  claude:
    type: anthropic
    base_url: {provider_url}
    api_key: {{ env: {policies.ENV_KEY_VARIABLE} }}
models:
  sonnet:
    targets: [ {{ provider: claude, model: claude-3-5-sonnet-20240620 }} ]
"""


def test_openai_sdk_streams_tool_calls_from_an_anthropic_provider(start_sluice, provider):
    recording = wire.load("anthropic-messages-streaming-tools")
    provider.serve(recording)
    origin = provider.base_url.rsplit("/v1", 1)[0]
    sluice = start_sluice(anthropic_policy(origin))
    client = OpenAI(base_url=sluice.base_url, api_key="unused", max_retries=0, timeout=10)

    stream = client.chat.completions.create(
        model="sonnet",
        stream=True,
        messages=[{"role": "user", "content": "What is the weather and time in San Francisco?"}],
        tools=[
            {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}},
            {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}},
        ],
    )
    calls: dict[int, dict] = {}
    finish = None
    for chunk in stream:
        for choice in chunk.choices:
            for call in choice.delta.tool_calls or []:
                entry = calls.setdefault(call.index, {"name": "", "arguments": ""})
                if call.function and call.function.name:
                    entry["name"] = call.function.name
                if call.function and call.function.arguments:
                    entry["arguments"] += call.function.arguments
            finish = choice.finish_reason or finish

    assert [calls[i]["name"] for i in sorted(calls)] == ["get_weather", "get_time"]
    assert json.loads(calls[0]["arguments"])["location"] == "San Francisco, CA"
    assert finish == "tool_calls"
    sent = provider.requests[-1]
    assert sent.path == "/v1/messages"
    assert sent.header("x-api-key") == policies.ENV_KEY
    assert json.loads(sent.body)["tools"][0]["name"] == "get_weather"
