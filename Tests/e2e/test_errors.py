"""Every error of the contract: its status, OpenAI's envelope, and a message a user can act on."""

from __future__ import annotations

import json
import socket

import pytest

import http_client
import policies
import wire

CHAT_PATH = "/v1/chat/completions"
MESSAGES = [{"role": "user", "content": "hi"}]


def _chat(sluice, body: bytes | dict) -> http_client.Response:
    return http_client.post(sluice.app_port, CHAT_PATH, body, {"authorization": f"Bearer {policies.APP_KEY}"})


def _assert_error(response: http_client.Response, status: int, *, param=None, code=None, mentions=()) -> dict:
    assert response.status == status, response.body
    assert response.header("content-type").startswith("application/json")
    error = response.error()
    if param is not None:
        assert error["param"] == param, error
    if code is not None:
        assert error["code"] == code, error
    for words in mentions:
        assert words.lower() in error["message"].lower(), f"{words!r} not in {error['message']!r}"
    return error


def test_invalid_json(sluice, provider):
    response = _chat(sluice, b'{"model": "gpt-4o-mini", "messages": [')

    _assert_error(response, 400, mentions=["not valid JSON"])
    assert provider.requests == []


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"messages": MESSAGES}, "model"),
        ({"model": 42, "messages": MESSAGES}, "model"),
        ({"model": None, "messages": MESSAGES}, "model"),
        ({"model": "gpt-4o-mini"}, "messages"),
        ({"model": "gpt-4o-mini", "messages": "hi"}, "messages"),
    ],
    ids=["model missing", "model a number", "model null", "messages missing", "messages a string"],
)
def test_missing_or_mistyped_field(sluice, provider, body, param):
    response = _chat(sluice, body)

    _assert_error(response, 400, param=param, mentions=[param])
    assert provider.requests == []


def test_body_that_is_not_an_object(sluice, provider):
    _assert_error(_chat(sluice, b'["model", "gpt-4o-mini"]'), 400)
    assert provider.requests == []


def test_unknown_model(sluice, provider):
    response = _chat(sluice, {"model": "no-such-model", "messages": MESSAGES})

    _assert_error(response, 404, code="model_not_found", param="model", mentions=["'no-such-model' does not exist"])
    assert provider.requests == []


@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/nothing"), ("GET", "/"), ("GET", "/v1/chat")])
def test_unknown_path(sluice, method, path):
    response = http_client.request(sluice.app_port, method, path, b"{}" if method == "POST" else None)

    _assert_error(response, 404, mentions=[f"{method} {path}"])


@pytest.mark.parametrize(("method", "path"), [("GET", CHAT_PATH), ("PUT", "/v1/embeddings"), ("POST", "/v1/models")])
def test_wrong_method(sluice, method, path):
    response = http_client.request(sluice.app_port, method, path, b"{}" if method != "GET" else None)

    _assert_error(response, 405, mentions=[f"{path} does not accept {method}"])


def test_body_over_the_limit(sluice, provider):
    padding = "x" * policies.MAX_BODY_BYTES
    response = _chat(sluice, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": padding}]})

    _assert_error(response, 413, mentions=[f"{policies.MAX_BODY_BYTES // 1024} KiB"])
    assert provider.requests == []


def test_body_over_the_limit_is_refused_without_reading_the_rest(sluice):
    """The client announces 64 MiB and sends just past the limit; the 413 must come anyway."""
    head = (
        f"POST {CHAT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"content-length: {64 * 1024 * 1024}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as connection:
        connection.sendall(head + b"[" * (policies.MAX_BODY_BYTES + 1))
        reply = b""
        while b"\r\n\r\n" not in reply:
            data = connection.recv(65536)
            assert data, f"connection closed without an answer: {reply!r}"
            reply += data

    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]


def test_provider_unreachable(sluice, unreachable_url):
    response = _chat(sluice, {"model": policies.UNREACHABLE_MODEL, "messages": MESSAGES})

    _assert_error(response, 502, mentions=["provider 'unreachable'", _host_port(unreachable_url), "connection refused"])


def test_provider_timeout(sluice):
    response = _chat(sluice, {"model": policies.SILENT_MODEL, "messages": MESSAGES})

    _assert_error(response, 504, mentions=["provider 'silent' did not start its response", "timeouts.first_byte"])


def _host_port(url: str) -> str:
    return url.split("//", 1)[1].split("/", 1)[0]


@pytest.mark.parametrize(
    "name",
    [
        "openai-chat-error-missing-messages",
        "openai-chat-error-unknown-model",
        "openai-chat-error-unsupported-parameter",
        "openai-completions-error-bad-request",
        "openai-embeddings-error-bad-request",
    ],
)
def test_provider_4xx_comes_back_as_the_provider_sent_it(sluice, provider, name):
    recording = wire.load(name)
    provider.serve(recording)
    body = recording.request_body
    if recording.path == CHAT_PATH and "messages" not in recording.request_json():
        # Sluice refuses a chat without messages itself; add some so the provider's own 400 answers.
        body = json.dumps({**recording.request_json(), "messages": MESSAGES}).encode()

    response = http_client.post(sluice.app_port, recording.path, body)

    assert response.status == recording.status
    assert response.body == recording.body
    assert response.header("content-type") == recording.headers["content-type"]


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nno colon here\r\n\r\n",
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-length: twelve\r\n\r\n",
        (
            b"POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer "
            + policies.APP_KEY.encode()
            + b"\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n"
        ),
    ],
    ids=["request line", "header", "content-length", "chunked body"],
)
def test_request_that_is_not_http(sluice, request_bytes):
    """Bytes that are not HTTP/1.1 get a 400 in OpenAI's envelope naming the cause, and the connection closes."""
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as connection:
        connection.sendall(request_bytes)
        reply = b""
        while True:
            data = connection.recv(65536)
            if not data:
                break  # closed by Sluice: nothing more is read from a connection that spoke garbage
            reply += data

    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), reply[:300]
    assert b"connection: close" in head.lower()
    error = json.loads(body)["error"]
    assert error["type"] == "invalid_request_error"
    assert error["code"] == "invalid_http"
    assert "not valid HTTP/1.1" in error["message"]
    request_id = next(
        line.split(b":", 1)[1].strip().decode() for line in head.split(b"\r\n") if line.lower().startswith(b"x-request-id:")
    )
    logged = sluice.access_log(request_id)
    assert logged["status"] == 400 and logged["error"] == "invalid_http"


def test_head_request_gets_a_head_only(sluice):
    """A HEAD request is answered 405 with the length a GET would carry and no body, so the next request
    on the same connection is read as a request (a body here would be taken for the next answer)."""
    request = f"HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {policies.APP_KEY}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as connection:
        connection.sendall(f"HEAD /v1/models {request}GET /v1/models {request}".encode())
        reply = b""
        while reply.count(b"\r\n\r\n") < 2 or not reply.rstrip().endswith(b"}"):
            data = connection.recv(65536)
            assert data, f"the connection closed after {reply!r}"
            reply += data

    head, _, rest = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405 "), reply[:300]
    assert b"content-length: " in head.lower() and b"allow: GET" in head
    assert rest.startswith(b"HTTP/1.1 200 "), rest[:300]
