"""Connections: HTTP/1.1 keep-alive from the app, pooled keep-alive connections to the provider."""

from __future__ import annotations

import http.client
from concurrent.futures import ThreadPoolExecutor

import policies
import wire

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}", "content-type": "application/json"}


def test_several_requests_on_one_http1_connection(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    connection = http.client.HTTPConnection("127.0.0.1", sluice.app_port, timeout=10)
    try:
        local_ports = set()
        for path, method, body in [
            (recording.path, "POST", recording.request_body),
            ("/v1/models", "GET", None),
            (recording.path, "POST", recording.request_body),
            ("/v1/nothing", "POST", b"{}"),  # an error does not close the connection either
            (recording.path, "POST", recording.request_body),
        ]:
            connection.request(method, path, body=body, headers=APP_HEADERS)
            response = connection.getresponse()
            response.read()
            assert response.getheader("connection", "").lower() != "close"
            local_ports.add(connection.sock.getsockname()[1])
    finally:
        connection.close()

    assert len(local_ports) == 1, "http.client reconnected: Sluice closed the connection"


def test_provider_connections_are_pooled_and_reused(start_sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    sluice = start_sluice(policies.single_provider_policy(provider.base_url, recording.model))
    before = provider.connections

    connection = http.client.HTTPConnection("127.0.0.1", sluice.app_port, timeout=10)
    for _ in range(20):
        connection.request("POST", recording.path, body=recording.request_body, headers=APP_HEADERS)
        response = connection.getresponse()
        assert response.status == 200 and response.read() == recording.body
    connection.close()

    assert len(provider.requests) == 20
    assert provider.connections - before <= 2, f"{provider.connections - before} connections for 20 requests"


def test_provider_connection_cap(start_sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    policy = policies.single_provider_policy(provider.base_url, recording.model, "    max_connections: 2")
    sluice = start_sluice(policy)
    before = provider.connections

    def call(_):
        connection = http.client.HTTPConnection("127.0.0.1", sluice.app_port, timeout=10)
        connection.request("POST", recording.path, body=recording.request_body, headers=APP_HEADERS)
        response = connection.getresponse()
        result = response.status, response.read()
        connection.close()
        return result

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(call, range(48)))

    assert results == [(200, recording.body)] * 48
    assert provider.connections - before <= 2, f"{provider.connections - before} connections with a cap of 2"


def test_pipelined_http1_requests_are_answered_in_order(sluice, provider):
    """Two requests written back to back before reading: both answered, in order, on one connection."""
    import socket

    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    body = recording.request_body
    one = (
        f"POST {recording.path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    ).encode() + body
    models = b"GET /v1/models HTTP/1.1\r\nhost: x\r\n\r\n"
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=10) as sock:
        sock.sendall(one + models + one)
        received = b""
        while received.count(b"HTTP/1.1 200 OK") < 3 or not received.endswith(recording.body):
            chunk = sock.recv(65536)
            assert chunk, f"connection closed after {received.count(b'HTTP/1.1 200 OK')} answers"
            received += chunk
    first = received.index(recording.body)
    listing = received.index(b'"object":"list"')
    last = received.rindex(recording.body)
    assert first < listing < last
