"""Recorded OpenAI traffic through Sluice: request and response bytes pass unchanged."""

from __future__ import annotations

import json

import pytest

import http_client
import policies
import wire

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}"}


def _relayed_headers(recording: wire.Recording) -> dict[str, str]:
    relayed = ("content-type", "x-ratelimit-")
    return {name: value for name, value in recording.headers.items() if name.startswith(relayed)}


# The recorded request without `messages` never reaches a provider: Sluice refuses it itself
# (test_sluice_refuses_what_openai_refuses below).
FORWARDED = [rec for rec in wire.openai_recordings() if rec.name != "openai-chat-error-missing-messages"]


@pytest.mark.parametrize("recording", FORWARDED, ids=lambda recording: recording.name)
def test_recording_passes_through_byte_for_byte(sluice, provider, recording):
    provider.serve(recording)

    response = http_client.post(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)

    assert response.status == recording.status, response.body[:500]
    assert response.body == recording.body
    for name, value in _relayed_headers(recording).items():
        assert response.header(name) == value, name
    assert response.header("x-sluice-provider") == "upstream"
    assert response.header("x-sluice-model") == recording.model
    assert response.header("x-request-id")
    received = provider.last_request()
    assert (received.method, received.path) == ("POST", recording.path)
    request = recording.request_json()
    if request.get("stream") and not request.get("stream_options", {}).get("include_usage"):
        # Sluice asks every stream for its usage (limits and spend settle on it) and takes the
        # usage chunk out again for the app; every other byte of the request is the app's.
        inserted = b'"stream_options":{"include_usage":true},'
        assert json.loads(received.body) == {**request, "stream_options": {"include_usage": True}}
        assert received.body.replace(inserted, b"", 1) == recording.request_body
    else:
        assert received.body == recording.request_body


def test_sluice_refuses_what_openai_refuses(sluice, provider):
    """A chat without messages gets the very error OpenAI gave in the recording, from Sluice."""
    recording = wire.load("openai-chat-error-missing-messages")

    response = http_client.post(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)

    assert response.status == recording.status
    assert response.json() == recording.response_json()
    assert provider.requests == []


def test_provider_sees_the_policy_key_from_env_and_never_the_callers(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)

    response = http_client.post(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)

    assert response.status == 200
    received = provider.last_request()
    assert received.header_values("authorization") == [f"Bearer {policies.ENV_KEY}"]
    _assert_app_key_absent(received)


def test_provider_sees_the_policy_key_from_file(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    body = _with_model(recording.request_body, recording.model, policies.FILE_KEYED_MODEL)

    response = http_client.post(sluice.app_port, recording.path, body, APP_HEADERS)

    assert response.status == 200, response.body
    received = provider.last_request()
    assert received.header_values("authorization") == [f"Bearer {policies.FILE_KEY}"]
    _assert_app_key_absent(received)


@pytest.mark.parametrize("name", ["openai-chat-basic-byte-exact", "openai-chat-streaming-usage"])
def test_route_replaces_the_model_and_nothing_else(sluice, provider, name):
    recording = wire.load(name)
    provider.serve(recording)
    sent = _with_model(recording.request_body, recording.model, policies.RENAMED_MODEL)

    response = http_client.post(sluice.app_port, recording.path, sent, APP_HEADERS)

    assert response.status == 200
    assert response.body == recording.body
    assert response.header("x-sluice-model") == policies.RENAMED_TARGET
    received = provider.last_request().body
    assert received == _with_model(sent, policies.RENAMED_MODEL, policies.RENAMED_TARGET)


def test_model_field_found_wherever_it_is(sluice, provider):
    """`model` after nested objects that themselves have a "model" key, in compact JSON."""
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    sent = (
        b'{"metadata":{"model":"not-this-one"},"messages":[{"role":"user","content":"model \\"x\\""}],'
        b'"model":"' + policies.RENAMED_MODEL.encode() + b'"}'
    )

    response = http_client.post(sluice.app_port, "/v1/chat/completions", sent, APP_HEADERS)

    assert response.status == 200, response.body
    assert provider.last_request().body == sent.replace(
        policies.RENAMED_MODEL.encode(), policies.RENAMED_TARGET.encode()
    )


def _with_model(body: bytes, old: str, new: str) -> bytes:
    old_field = json.dumps(old).encode()
    assert body.count(old_field) == 1, f"{old} is not exactly once in the body"
    return body.replace(old_field, json.dumps(new).encode())


def _assert_app_key_absent(received) -> None:
    for name, value in received.headers:
        assert policies.APP_KEY not in value, f"the caller's key reached the provider in {name}"
    assert policies.APP_KEY.encode() not in received.body
