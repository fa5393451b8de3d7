"""Streams are relayed as they arrive: the provider holds its second chunk until the client
has the first through Sluice, so a proxy that buffers the answer cannot pass."""

from __future__ import annotations

import threading

import policies
import wire
from http_client import Stream

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}"}


def test_first_chunk_reaches_the_client_before_the_provider_sends_the_second(sluice, provider):
    recording = wire.load("openai-chat-streaming-usage")
    first = b"".join(recording.leading_events())
    gate = threading.Event()
    provider.serve(recording, gate)
    try:
        stream = Stream(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)
        assert stream.status == 200
        assert stream.response.getheader("content-type") == recording.headers["content-type"]

        assert stream.read_at_least(len(first)) == first
        gate.set()
        assert stream.read_to_end() == recording.body
        stream.close()
    finally:
        gate.set()


def test_long_stream_arrives_whole_and_in_order(sluice, provider):
    recording = wire.load("openai-chat-streaming")  # 50 chunks with obfuscation padding
    provider.serve(recording)

    stream = Stream(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)

    assert stream.read_to_end() == recording.body
    stream.close()


def test_stream_access_line_counts_the_streamed_usage(sluice, provider):
    recording = wire.load("openai-chat-streaming-usage")
    provider.serve(recording)

    stream = Stream(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)
    stream.read_to_end()
    request_id = stream.response.getheader("x-request-id")
    stream.close()

    access = sluice.access_log(request_id)
    usage = wire.stream_usage(recording.body)
    assert access["stream"] is True
    assert access["status"] == 200
    assert access["prompt_tokens"] == usage["prompt_tokens"]
    assert access["completion_tokens"] == usage["completion_tokens"]
