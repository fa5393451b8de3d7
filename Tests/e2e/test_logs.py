"""The JSON log on stdout: start-up lines, one access line per request, no prompt and no secret."""

from __future__ import annotations

import socket
import time

import http_client
import policies
import wire

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}"}


def test_start_up_lines(sluice):
    listening = [log for log in sluice.logs if log.get("msg") == "listening"]

    assert {log["listener"] for log in listening} == {"app", "admin"}
    assert all(log["level"] == "info" for log in listening)
    assert sum(log.get("msg") == "ready" for log in sluice.logs) == 1


def test_every_stdout_line_is_json(sluice):
    assert [log for log in sluice.logs if "raw" in log] == []


def test_access_line(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    body = recording.request_body.replace(b'"gpt-4.1-nano"', b'"%s"' % policies.RENAMED_MODEL.encode())

    response = http_client.post(sluice.app_port, recording.path, body, APP_HEADERS)

    access = sluice.access_log(response.header("x-request-id"))
    usage = recording.response_json()["usage"]
    assert access["method"] == "POST"
    assert access["path"] == recording.path
    assert access["model"] in (policies.RENAMED_MODEL, policies.RENAMED_TARGET)
    assert access["provider"] == "upstream"
    assert access["status"] == 200
    assert isinstance(access["latency_ms"], (int, float)) and access["latency_ms"] >= 0
    assert access["prompt_tokens"] == usage["prompt_tokens"]
    assert access["completion_tokens"] == usage["completion_tokens"]
    assert access["stream"] is False


def test_access_line_of_a_mock_answer(sluice):
    body = {"model": policies.MOCK_CHAT_MODEL, "messages": [{"role": "user", "content": "count my tokens"}]}

    response = http_client.post(sluice.app_port, "/v1/chat/completions", body, APP_HEADERS)

    access = sluice.access_log(response.header("x-request-id"))
    usage = response.json()["usage"]
    assert (access["provider"], access["status"], access["stream"]) == ("demo", 200, False)
    assert access.get("prompt_tokens") == usage["prompt_tokens"], access
    assert access.get("completion_tokens") == usage["completion_tokens"], access


def test_error_gets_an_access_line_too(sluice):
    unknown = {"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]}
    response = http_client.post(sluice.app_port, "/v1/chat/completions", unknown)

    access = sluice.access_log(response.header("x-request-id"))
    assert access["status"] == 404


def test_no_prompt_text_and_no_secret_in_the_log(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    prompt = "the-secret-prompt-text-4471"
    body = {"model": recording.model, "messages": [{"role": "user", "content": prompt}]}
    mock = {"model": policies.MOCK_CHAT_MODEL, "messages": [{"role": "user", "content": prompt}]}

    ids = [
        http_client.post(sluice.app_port, recording.path, body, APP_HEADERS).header("x-request-id"),
        http_client.post(sluice.app_port, recording.path, mock, APP_HEADERS).header("x-request-id"),
    ]

    for request_id in ids:
        sluice.access_log(request_id)
    output = sluice.output()
    for secret in (prompt, policies.APP_KEY, policies.ENV_KEY, policies.FILE_KEY):
        assert secret not in output, f"{secret} appears in the log"


def test_request_cut_short_is_logged(sluice):
    """An app that leaves before its whole request arrived gets no answer, and the access log says so."""
    marker = "/v1/chat/completions?cut=" + str(time.monotonic_ns())
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as connection:
        connection.sendall(
            f"POST {marker} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {policies.APP_KEY}\r\n"
            "content-type: application/json\r\ncontent-length: 100\r\n\r\n{\"model\":".encode()
        )
    access = sluice.wait_for_log(
        lambda log: log.get("msg") == "access" and log.get("path") == marker, 5, "the cut request's access line"
    )
    assert access["status"] == 499
    assert access["note"] == "client went away before the whole request arrived"
