"""HTTP/2 with prior knowledge (h2c) on the app port, with curl, nghttp and h2load."""

from __future__ import annotations

import json
import re
import subprocess
import threading

import pytest

import policies
import wire
from http_client import H2Stream
from provider import Reply

TIMEOUT_SECONDS = 30
CHAT_PATH = "/v1/chat/completions"


@pytest.fixture
def body_file(tmp_path):
    def write(content: bytes):
        path = tmp_path / f"body-{len(list(tmp_path.iterdir()))}.json"
        path.write_bytes(content)
        return path

    return write


def _run(*command: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}:\n{result.stderr.decode()}"
    return result


def _mock_chat(prompt: str) -> bytes:
    return json.dumps({"model": policies.MOCK_CHAT_MODEL, "messages": [{"role": "user", "content": prompt}]}).encode()


def _curl_h2(url: str, body_path, out_path) -> tuple[str, str]:
    """POSTs over h2c; returns (HTTP version, response head)."""
    result = _run(
        "curl", "-sS", "--http2-prior-knowledge", "-o", str(out_path), "-D", "-", "-w", "%{http_version}",
        "-H", "content-type: application/json", "-H", f"authorization: Bearer {policies.APP_KEY}",
        "--data-binary", f"@{body_path}", url,
    )  # fmt: skip
    head, _, version = result.stdout.decode().rpartition("\r\n\r\n")
    return version, head


@pytest.mark.parametrize(
    "name", ["openai-chat-basic-byte-exact", "openai-chat-streaming-usage", "openai-embeddings-float"]
)
def test_curl_h2c_round_trip(sluice, provider, body_file, tmp_path, name):
    recording = wire.load(name)
    provider.serve(recording)
    out = tmp_path / "out"

    url = f"http://127.0.0.1:{sluice.app_port}{recording.path}"
    version, head = _curl_h2(url, body_file(recording.request_body), out)

    assert version == "2"
    assert head.startswith("HTTP/2 200")
    # Every field the provider sent arrives as it was, its name lowercased (HTTP/2 has no other), except
    # the HTTP/1.1 framing and connection fields, which HTTP/2 does not carry.
    received = set(head.split("\r\n")[1:])
    for name, value in recording.headers.items():
        if name.lower() not in {"connection", "keep-alive", "transfer-encoding", "content-length"}:
            assert f"{name.lower()}: {value}" in received
    assert out.read_bytes() == recording.body
    assert provider.last_request().body == recording.request_body


def test_curl_h2c_mock_provider(sluice, body_file, tmp_path):
    body = body_file(_mock_chat("hello over h2"))
    out = tmp_path / "out"

    version, head = _curl_h2(f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}", body, out)

    assert (version, head.split("\r\n")[0].strip()) == ("2", "HTTP/2 200")
    assert "hello over h2" in json.loads(out.read_bytes())["choices"][0]["message"]["content"]


def test_nghttp_round_trip(sluice, provider, body_file):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)

    result = _run(
        "nghttp", "-d", str(body_file(recording.request_body)), "-H", "content-type: application/json",
        f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}",
    )  # fmt: skip

    assert result.stdout == recording.body


def test_50_concurrent_streams_on_one_connection_with_nghttp(sluice, provider, body_file):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)

    result = _run(
        "nghttp", "-m", "50", "--stat", "-d", str(body_file(recording.request_body)),
        "-H", "content-type: application/json", f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}",
    )  # fmt: skip

    rows = re.findall(rb"^\s*\d+\s+\S+\s+\S+\s+\S+\s+(\d+)\s+(\d+)\s+/v1/chat/completions$", result.stdout, re.M)
    assert len(rows) == 50, result.stdout[-3000:]
    assert all(code == b"200" and int(size) == len(recording.body) for code, size in rows), rows
    assert len(provider.requests) == 50
    assert all(request.body == recording.request_body for request in provider.requests)


@pytest.mark.parametrize("upstream", ["recording", "mock"])
def test_50_concurrent_streams_on_one_connection_with_h2load(sluice, provider, body_file, tmp_path, upstream):
    if upstream == "recording":
        recording = wire.load("openai-chat-basic-byte-exact")
        provider.serve(recording)
        request_body, expected = recording.request_body, recording.body
    else:
        request_body = _mock_chat("fifty")
        _curl_h2(f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}", body_file(request_body), tmp_path / "one")
        expected = (tmp_path / "one").read_bytes()

    result = _run(
        "h2load", "-n", "50", "-c", "1", "-m", "50", "-d", str(body_file(request_body)),
        "-H", "content-type: application/json", f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}",
    )  # fmt: skip

    output = result.stdout.decode()
    assert "Application protocol: h2c" in output
    assert "requests: 50 total, 50 started, 50 done, 50 succeeded, 0 failed, 0 errored, 0 timeout" in output, output
    assert "status codes: 50 2xx, 0 3xx, 0 4xx, 0 5xx" in output, output
    data_bytes = int(re.search(r"\((\d+)\) data", output).group(1))
    assert data_bytes == 50 * len(expected), output
    if upstream == "recording":
        assert len(provider.requests) == 50


def test_h2c_stream_is_relayed_chunk_by_chunk(sluice, provider):
    recording = wire.load("openai-chat-streaming-usage")
    first = b"".join(recording.leading_events())
    gate = threading.Event()
    provider.serve(recording, gate)
    stream = H2Stream(sluice.app_port, recording.path, recording.request_body)
    try:
        assert stream.read_at_least(len(first)) == first
        gate.set()
        assert stream.read_to_end() == recording.body
    finally:
        gate.set()
        stream.close()


def _frame(kind: int, flags: int, stream: int, payload: bytes) -> bytes:
    return len(payload).to_bytes(3, "big") + bytes([kind, flags]) + stream.to_bytes(4, "big") + payload


def _literal(name: str, value: str) -> bytes:
    """An HPACK literal field without indexing, with a new name, no Huffman coding (RFC 7541 §6.2.2)."""
    def text(string: str) -> bytes:
        raw = string.encode()
        assert len(raw) < 127
        return bytes([len(raw)]) + raw

    return b"\x00" + text(name) + text(value)


def test_malformed_h2_header_block_is_answered_400_naming_the_fault(sluice):
    """A header block no HTTP/2 client library would send (curl and nghttp lowercase every name), written
    by hand: the stream is answered 400 in OpenAI's envelope, and the connection goes on serving."""
    import socket

    block = b"".join(
        _literal(name, value)
        for name, value in [
            (":method", "POST"), (":scheme", "http"), (":path", CHAT_PATH),
            (":authority", "127.0.0.1"), ("Content-Type", "application/json"),
        ]
    )
    models = b"".join(
        _literal(name, value)
        for name, value in [(":method", "GET"), (":scheme", "http"), (":path", "/v1/models"), (":authority", "x")]
    )
    with socket.create_connection(("127.0.0.1", sluice.app_port), timeout=TIMEOUT_SECONDS) as connection:
        connection.sendall(
            b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
            + _frame(0x4, 0, 0, b"")  # SETTINGS
            + _frame(0x1, 0x4 | 0x1, 1, block)  # HEADERS, END_HEADERS | END_STREAM
            + _frame(0x1, 0x4 | 0x1, 3, models)
        )
        received = b""
        frames: list[tuple[int, int, int, bytes]] = []
        def ended(wanted: int) -> bool:
            return any(kind == 0x0 and stream == wanted and flags & 0x1 for kind, flags, stream, _ in frames)

        while not (ended(1) and ended(3)):
            chunk = connection.recv(65536)
            assert chunk, f"the connection closed before streams 1 and 3 ended; frames: {frames}"
            received += chunk
            while len(received) >= 9 and len(received) >= 9 + int.from_bytes(received[:3], "big"):
                length = int.from_bytes(received[:3], "big")
                frames.append((received[3], received[4], int.from_bytes(received[5:9], "big") & 0x7FFFFFFF,
                               received[9:9 + length]))
                received = received[9 + length:]
    headers = [payload for kind, _, stream, payload in frames if kind == 0x1 and stream == 1]
    assert headers and headers[0][0] == 0x8C, "the answer's :status is not 400 (static table entry 12)"
    body = b"".join(payload for kind, _, stream, payload in frames if kind == 0x0 and stream == 1)
    error = json.loads(body)["error"]
    assert error["code"] == "invalid_http"
    assert 'field name "Content-Type" is not a lowercase token' in error["message"]
    assert not any(kind == 0x3 and stream == 1 for kind, _, stream, _ in frames), "stream 1 was reset"
    listed = b"".join(payload for kind, _, stream, payload in frames if kind == 0x0 and stream == 3)
    assert json.loads(listed)["object"] == "list", "the next stream on the connection was not served"
    # Logged like any request: one access line with what could be read of it.
    line = sluice.wait_for_log(
        lambda log: log.get("msg") == "access"
        and log.get("error") == "invalid_http"
        and log.get("protocol") == "HTTP/2",
        5,
        "an access line for the refused stream",
    )
    assert (line["status"], line["method"], line["path"], line["protocol"]) == (400, "POST", CHAT_PATH, "HTTP/2")


def test_h2c_request_body_larger_than_the_initial_window(sluice, provider, body_file, tmp_path):
    """200 KiB of request body over h2c: only 64 KiB fit the initial stream and connection windows, so the
    body arrives whole only if Sluice gives the window back as it reads."""
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    request = json.dumps(
        {"model": recording.model, "messages": [{"role": "user", "content": "x" * (200 * 1024)}]}
    ).encode()
    assert len(request) < policies.MAX_BODY_BYTES
    out = tmp_path / "out"

    version, head = _curl_h2(f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}", body_file(request), out)

    assert (version, head.split("\r\n")[0].strip()) == ("2", "HTTP/2 200")
    assert out.read_bytes() == recording.body
    assert provider.last_request().body == request


def test_h2c_body_over_the_limit_is_refused_413_and_the_connection_goes_on(sluice, body_file):
    """The 413 comes whole before the body is read, then RST_STREAM(NO_ERROR) tells the client to stop
    sending (RFC 9113 §8.1), and the connection serves its other stream. (nghttp rather than curl: curl
    7.88 takes that reset for a failure.)"""
    big = body_file(b"{" + b" " * (policies.MAX_BODY_BYTES + 4096) + b"}")

    result = _run(
        "nghttp", "-v", "-d", str(big), "-H", "content-type: application/json",
        f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}", f"http://127.0.0.1:{sluice.app_port}/v1/models",
    )  # fmt: skip

    output = result.stdout.decode(errors="replace")
    statuses = re.findall(r"recv \(stream_id=(\d+)\) :status: (\d+)", output)
    assert sorted(code for _, code in statuses) == ["405", "413"], output[-4000:]
    too_large = next(stream for stream, code in statuses if code == "413")
    assert re.search(rf"recv DATA frame <length=\d+, flags=0x01, stream_id={too_large}>", output), output[-4000:]
    assert re.search(rf"recv RST_STREAM frame <length=4, flags=0x00, stream_id={too_large}>\s+\(error_code=NO_ERROR", output), output[-4000:]
    assert "request_too_large" in output


def test_large_answer_through_a_small_client_window(sluice, provider, body_file):
    """nghttp grants 32 KiB per stream and per connection: a 1 MiB answer is sent as the client opens
    its windows, and arrives whole."""
    answer = json.dumps({"id": "big", "object": "chat.completion", "pad": "y" * (1024 * 1024)}).encode()
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.reply(recording.path, Reply(200, {"content-type": "application/json"}, answer))
    request = body_file(recording.request_body)

    result = _run(
        "nghttp", "-w", "15", "-W", "15", "-d", str(request), "-H", "content-type: application/json",
        f"http://127.0.0.1:{sluice.app_port}{CHAT_PATH}",
    )  # fmt: skip

    assert len(result.stdout) == len(answer)
    assert result.stdout == answer


class _RawH2:
    """An h2c connection written by hand, for what client libraries will not send on request."""

    def __init__(self, port: int):
        import socket

        self.socket = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_SECONDS)
        self.pending = b""
        self.frames: list[tuple[int, int, int, bytes]] = []
        self.socket.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + _frame(0x4, 0, 0, b""))

    def request(self, stream: int, method: str, path: str, body: bytes | None = None) -> None:
        block = b"".join(
            _literal(name, value)
            for name, value in [
                (":method", method), (":scheme", "http"), (":path", path), (":authority", "127.0.0.1"),
                ("content-type", "application/json"),
            ]
        )  # fmt: skip
        flags = 0x4 if body else 0x4 | 0x1
        self.socket.sendall(_frame(0x1, flags, stream, block) + (_frame(0x0, 0x1, stream, body) if body else b""))

    def reset(self, stream: int, code: int = 0x8) -> None:
        self.socket.sendall(_frame(0x3, 0, stream, code.to_bytes(4, "big")))

    def data(self, stream: int) -> bytes:
        return b"".join(payload for kind, _, sid, payload in self.frames if kind == 0x0 and sid == stream)

    def read_until(self, done) -> None:
        while not done():
            chunk = self.socket.recv(65536)
            assert chunk, f"the connection closed; frames so far: {self.frames}"
            self.pending += chunk
            while len(self.pending) >= 9 and len(self.pending) >= 9 + int.from_bytes(self.pending[:3], "big"):
                length = int.from_bytes(self.pending[:3], "big")
                header = self.pending[:9]
                self.frames.append(
                    (header[3], header[4], int.from_bytes(header[5:9], "big") & 0x7FFFFFFF, self.pending[9 : 9 + length])
                )
                self.pending = self.pending[9 + length :]

    def ended(self, stream: int) -> bool:
        return any(kind in (0x0, 0x1) and sid == stream and flags & 0x1 for kind, flags, sid, _ in self.frames)

    def close(self) -> None:
        self.socket.close()


def test_app_reset_of_a_stream_mid_answer_is_logged_and_the_connection_goes_on(sluice, provider):
    """RST_STREAM from the app in the middle of a streamed answer: the exchange is logged once as cut
    short by the client, nothing more is sent on that stream, and the connection's next stream is served."""
    recording = wire.load("openai-chat-streaming-usage")
    first = b"".join(recording.leading_events())
    gate = threading.Event()
    provider.serve(recording, gate)
    connection = _RawH2(sluice.app_port)
    try:
        connection.request(1, "POST", recording.path, recording.request_body)
        connection.read_until(lambda: len(connection.data(1)) >= len(first))
        assert connection.data(1) == first
        connection.reset(1)
        line = sluice.wait_for_log(
            lambda log: log.get("msg") == "access" and log.get("note") == "client went away"
            and log.get("protocol") == "HTTP/2",
            5,
            "an access line for the reset stream",
        )
        assert (line["status"], line["path"], line["stream"]) == (200, recording.path, True)
        gate.set()

        connection.request(3, "GET", "/v1/models")
        connection.read_until(lambda: connection.ended(3))
        assert json.loads(connection.data(3))["object"] == "list"
        assert not connection.ended(1), "the reset stream went on"
    finally:
        gate.set()
        connection.close()
    lines = [log for log in sluice.logs if log.get("msg") == "access" and log.get("note") == "client went away"
             and log.get("request_id") == line["request_id"]]
    assert len(lines) == 1, lines
