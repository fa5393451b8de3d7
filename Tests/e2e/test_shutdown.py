"""SIGTERM and SIGINT: stop accepting, finish what is in flight, exit 0."""

from __future__ import annotations

import signal
import socket
import threading
import time

import pytest

import policies
import wire
from http_client import H2Stream, Stream

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}"}
REFUSE_TIMEOUT_SECONDS = 5


def _is_shutdown_line(log: dict) -> bool:
    message = str(log.get("msg", "")).lower()
    return any(word in message for word in ("shutting down", "shutdown", "draining", "stopping"))


def _refuses_connections(port: int) -> bool:
    """Polls (bounded) until the app port refuses a TCP connection."""
    deadline = time.monotonic() + REFUSE_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize(
    ("sig", "client"),
    [(signal.SIGTERM, Stream), (signal.SIGINT, Stream), (signal.SIGTERM, H2Stream)],
    ids=["SIGTERM", "SIGINT", "SIGTERM-h2c"],
)
def test_signal_in_the_middle_of_a_stream_lets_it_finish(start_sluice, provider, sig, client):
    """On h2c the connection manager sends GOAWAY and the stream in flight still finishes whole."""
    recording = wire.load("openai-chat-streaming-usage")
    sluice = start_sluice(policies.single_provider_policy(provider.base_url, recording.model))
    first = b"".join(recording.leading_events())
    gate = threading.Event()
    provider.serve(recording, gate)
    stream = None
    try:
        stream = client(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)
        assert stream.read_at_least(len(first)) == first

        sluice.signal(sig)
        sluice.wait_for_log(_is_shutdown_line, 5, "a shutdown line")
        assert _refuses_connections(sluice.app_port), "still accepting connections while draining"
        assert sluice.process.poll() is None, "exited with a stream in flight"

        gate.set()
        assert stream.read_to_end() == recording.body
    finally:
        gate.set()
        if stream is not None:
            stream.close()
    assert sluice.wait() == 0, sluice.output()


def test_idle_process_exits_zero_at_once(start_sluice, provider):
    sluice = start_sluice(policies.single_provider_policy(provider.base_url, "gpt-4o-mini"))

    sluice.signal(signal.SIGTERM)

    assert sluice.wait(timeout=5) == 0, sluice.output()
