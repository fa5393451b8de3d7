"""The `openai` Python SDK pointed at Sluice, as an application would use it."""

from __future__ import annotations

import base64
import json
import struct

import pytest
from openai import OpenAI

import policies
import wire


@pytest.fixture
def client(sluice) -> OpenAI:
    return OpenAI(base_url=sluice.base_url, api_key=policies.APP_KEY, max_retries=0, timeout=10)


# Through Sluice to the recording provider


def test_chat(client, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)

    completion = client.chat.completions.create(**recording.request_json())

    expected = recording.response_json()
    assert completion.id == expected["id"]
    assert completion.choices[0].message.content == "Southern Ocean"
    assert completion.usage.to_dict() == expected["usage"]
    assert json.loads(provider.last_request().body) == recording.request_json()


def test_chat_stream(client, provider):
    recording = wire.load("openai-chat-streaming-usage")
    provider.serve(recording)

    chunks = list(client.chat.completions.create(**recording.request_json()))

    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == wire.stream_content(recording.body)
    assert chunks[-1].choices == []
    assert chunks[-1].usage.to_dict() == wire.stream_usage(recording.body)


def test_chat_with_tools(client, provider):
    recording = wire.load("openai-chat-tools")
    provider.serve(recording)

    completion = client.chat.completions.create(**recording.request_json())

    call = completion.choices[0].message.tool_calls[0]
    assert completion.choices[0].finish_reason == "tool_calls"
    assert json.loads(call.function.arguments) == {"location": "Boston, MA", "unit": "fahrenheit"}


def test_completions(client, provider):
    recording = wire.load("openai-completions-basic")
    provider.serve(recording)

    completion = client.completions.create(**recording.request_json())

    assert completion.choices[0].text == recording.response_json()["choices"][0]["text"]
    assert completion.model == "babbage:2023-07-21-v2"


def test_completions_stream(client, provider):
    recording = wire.load("openai-completions-streaming-usage")
    provider.serve(recording)

    chunks = list(client.completions.create(**recording.request_json()))

    assert "".join(choice.text for chunk in chunks for choice in chunk.choices) == wire.stream_content(recording.body)
    assert chunks[-1].usage.to_dict() == wire.stream_usage(recording.body)


def test_embeddings(client, provider):
    recording = wire.load("openai-embeddings-float")
    provider.serve(recording)

    result = client.embeddings.create(**recording.request_json())

    assert result.data[0].embedding == recording.response_json()["data"][0]["embedding"]
    assert len(result.data[0].embedding) == 1536


def test_embeddings_base64(client, provider):
    recording = wire.load("openai-embeddings-base64")
    provider.serve(recording)

    result = client.embeddings.create(**recording.request_json())

    # Asked for base64 explicitly, the SDK hands over the string: little-endian float32.
    raw = base64.b64decode(result.data[0].embedding)
    decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
    floats = wire.load("openai-embeddings-float").response_json()["data"][0]["embedding"]
    assert len(decoded) == len(floats) == 1536
    assert max(abs(a - b) for a, b in zip(decoded, floats)) < 1e-8


def test_models_lists_the_policy_models(client, provider):
    ids = {model.id for model in client.models.list()}

    assert ids == set(policies.recorded_models()) | {
        policies.RENAMED_MODEL,
        policies.FILE_KEYED_MODEL,
        policies.UNREACHABLE_MODEL,
        policies.SILENT_MODEL,
        policies.MOCK_CHAT_MODEL,
        policies.MOCK_EMBEDDING_MODEL,
    }
    assert provider.requests == [], "the model list is Sluice's own, not the provider's"


def test_provider_error_reaches_the_sdk(client, provider):
    recording = wire.load("openai-chat-error-missing-messages")
    provider.serve(recording)
    request = recording.request_json()

    with pytest.raises(Exception) as raised:
        # The recorded request has no messages; Sluice's own check would refuse it first, so
        # send messages and let the provider's recorded 400 answer.
        client.chat.completions.create(**request, messages=[{"role": "user", "content": "hi"}])

    assert getattr(raised.value, "status_code", None) == 400
    assert raised.value.body == recording.response_json()["error"]


# Through Sluice to its in-process mock provider

PROMPT = "Name the ocean around Bouvet Island"


def test_mock_chat(client, provider):
    completion = client.chat.completions.create(
        model=policies.MOCK_CHAT_MODEL, messages=[{"role": "user", "content": PROMPT}]
    )

    content = completion.choices[0].message.content
    assert "Bouvet Island" in content, f"the mock should mention what it was asked: {content!r}"
    assert completion.choices[0].finish_reason == "stop"
    usage = completion.usage
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    again = client.chat.completions.create(
        model=policies.MOCK_CHAT_MODEL, messages=[{"role": "user", "content": PROMPT}]
    )
    assert again.choices[0].message.content == content, "the mock answers deterministically"
    assert provider.requests == []


def test_mock_chat_stream(client):
    plain = client.chat.completions.create(
        model=policies.MOCK_CHAT_MODEL, messages=[{"role": "user", "content": PROMPT}]
    )
    chunks = list(
        client.chat.completions.create(
            model=policies.MOCK_CHAT_MODEL,
            messages=[{"role": "user", "content": PROMPT}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )

    deltas = [chunk.choices[0].delta.content for chunk in chunks if chunk.choices and chunk.choices[0].delta.content]
    assert len(deltas) >= 2, "the mock streams its answer in several chunks"
    assert "".join(deltas) == plain.choices[0].message.content
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens == plain.usage.total_tokens


def test_mock_completions(client):
    completion = client.completions.create(model=policies.MOCK_CHAT_MODEL, prompt=PROMPT)

    assert "Bouvet Island" in completion.choices[0].text
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens


def test_mock_embeddings(client):
    first = client.embeddings.create(
        model=policies.MOCK_EMBEDDING_MODEL, input=["alpha", "beta"], encoding_format="float"
    )
    again = client.embeddings.create(model=policies.MOCK_EMBEDDING_MODEL, input=["alpha"], encoding_format="float")
    as_base64 = client.embeddings.create(model=policies.MOCK_EMBEDDING_MODEL, input=["alpha"])

    alpha, beta = first.data[0].embedding, first.data[1].embedding
    assert [item.index for item in first.data] == [0, 1]
    assert len(alpha) == len(beta) > 0
    assert alpha != beta
    assert again.data[0].embedding == alpha, "the mock embeds deterministically"
    assert max(abs(a - b) for a, b in zip(list(as_base64.data[0].embedding), alpha)) < 1e-6
    assert first.usage.prompt_tokens > 0


def test_mock_models_listed(client):
    ids = {model.id for model in client.models.list()}

    assert {policies.MOCK_CHAT_MODEL, policies.MOCK_EMBEDDING_MODEL} <= ids
