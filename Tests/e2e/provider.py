"""An OpenAI-compatible provider for the tests: serves recorded responses, records requests.

It listens on 127.0.0.1:0, answers each path with the reply a test set for it (status,
headers and body exactly as recorded; streams written one SSE event per HTTP chunk), keeps
every request it received, and counts the TCP connections it accepted.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from wire import Recording

# A gated stream waits at most this long for the test to open the gate, so a broken test
# ends instead of hanging; it is far longer than any client read timeout in the tests.
GATE_TIMEOUT_SECONDS = 30


@dataclass
class Reply:
    """What the provider answers on one path."""

    status: int
    headers: dict[str, str]
    body: bytes = b""
    # When set, the body is sent with chunked transfer encoding, one HTTP chunk per item.
    chunks: list[bytes] | None = None
    # When set, the provider sends the first `gate_after` chunks, then waits for this event
    # before the rest.
    gate: threading.Event | None = None
    gate_after: int = 1

    @classmethod
    def recorded(cls, recording: Recording, gate: threading.Event | None = None) -> Reply:
        chunks = recording.sse_events() if recording.is_stream else None
        # The gate opens after the first content: what comes before it Sluice holds back.
        gate_after = len(recording.leading_events()) if recording.is_stream else 1
        return cls(recording.status, recording.headers, recording.body, chunks, gate, gate_after)


@dataclass
class ReceivedRequest:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.header_values(name)
        assert len(values) <= 1, f"{name} sent {len(values)} times: {values}"
        return values[0] if values else None

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    replies: dict[str, Reply] = field(default_factory=dict)
    requests: list[ReceivedRequest] = field(default_factory=list)
    connections: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state: _State):
        self.state = state
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address):
        # A client (Sluice) closing a kept-alive connection is normal; anything else is shown.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def process_request(self, request, client_address):
        with self.state.lock:
            self.state.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is visible
    server: _Server

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _read_body(self) -> bytes:
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            body = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length", 0)))

    def _answer(self):
        state = self.server.state
        body = self._read_body()
        path = self.path.split("?")[0]
        with state.lock:
            state.requests.append(ReceivedRequest(self.command, self.path, list(self.headers.items()), body))
            reply = state.replies.get(path)
        if reply is None:
            reply = Reply(500, {"content-type": "text/plain"}, f"test provider: no reply set for {path}\n".encode())
        self.send_response_only(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunks is None:
            self.send_header("content-length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
            return
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for index, chunk in enumerate(reply.chunks):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            if index == reply.gate_after - 1 and reply.gate is not None:
                reply.gate.wait(GATE_TIMEOUT_SECONDS)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class RecordingProvider:
    """The in-test provider. `base_url` ends in /v1, like OpenAI's."""

    def __init__(self):
        self._state = _State()
        self._server = _Server(self._state)
        self._thread = threading.Thread(target=self._server.serve_forever, name="test-provider", daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, path: str, reply: Reply) -> None:
        with self._state.lock:
            self._state.replies[path] = reply

    def serve(self, recording: Recording, gate: threading.Event | None = None) -> None:
        """Answers the recording's path with its recorded response."""
        self.reply(recording.path, Reply.recorded(recording, gate))

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    @property
    def connections(self) -> int:
        with self._state.lock:
            return self._state.connections

    def last_request(self) -> ReceivedRequest:
        requests = self.requests
        assert requests, "the provider received no request"
        return requests[-1]

    def reset(self) -> None:
        """Forgets replies and received requests; the connection count keeps running."""
        with self._state.lock:
            self._state.replies.clear()
            self._state.requests.clear()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
