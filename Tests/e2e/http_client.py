"""Small HTTP/1.1 client calls on the standard library, for tests that look at raw bytes, and an h2c
stream read through curl."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass

TIMEOUT_SECONDS = 10


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def error(self) -> dict:
        """The OpenAI error envelope's `error` object, checking the envelope's shape."""
        document = self.json()
        assert set(document) == {"error"}, f"not an OpenAI error envelope: {document}"
        error = document["error"]
        assert {"message", "type", "param", "code"} <= set(error), f"envelope lacks fields: {error}"
        assert isinstance(error["message"], str) and error["message"], f"empty message: {error}"
        return error


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
) -> Response:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"content-type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def post(port: int, path: str, body: bytes | dict, headers: dict[str, str] | None = None, **kwargs) -> Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return request(port, "POST", path, data, headers, **kwargs)


def get(port: int, path: str, **kwargs) -> Response:
    return request(port, "GET", path, **kwargs)


class Stream:
    """A response read as it arrives, for tests that watch a stream chunk by chunk."""

    def __init__(self, port: int, path: str, body: bytes, headers: dict[str, str] | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        all_headers = {"content-type": "application/json", **(headers or {})}
        self.connection.request("POST", path, body=body, headers=all_headers)
        self.response = self.connection.getresponse()
        self.received = b""

    @property
    def status(self) -> int:
        return self.response.status

    def read_at_least(self, size: int) -> bytes:
        """Reads until `size` bytes have arrived in all; a read timeout fails the test."""
        while len(self.received) < size:
            data = self.response.read1(65536)
            assert data, f"the stream ended after {len(self.received)} bytes, expected at least {size}"
            self.received += data
        return self.received

    def read_to_end(self) -> bytes:
        self.received += self.response.read()
        return self.received

    def close(self) -> None:
        self.connection.close()


class H2Stream:
    """The same as ``Stream`` over h2c (prior knowledge), through `curl -N`: a response read as it arrives.
    curl gives up after its --max-time, so a proxy that buffers ends a read with EOF, not a hang."""

    def __init__(self, port: int, path: str, body: bytes, headers: dict[str, str] | None = None):
        self.body_file = tempfile.NamedTemporaryFile(suffix=".json")
        self.body_file.write(body)
        self.body_file.flush()
        command = ["curl", "-sS", "-N", "--http2-prior-knowledge", "--max-time", "20"]
        for name, value in {"content-type": "application/json", **(headers or {})}.items():
            command += ["-H", f"{name}: {value}"]
        command += ["--data-binary", f"@{self.body_file.name}", f"http://127.0.0.1:{port}{path}"]
        self.curl = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.received = b""

    def read_at_least(self, size: int) -> bytes:
        while len(self.received) < size:
            data = os.read(self.curl.stdout.fileno(), 65536)
            assert data, f"curl ended after {len(self.received)} bytes, expected at least {size}: {self.curl.stderr.read().decode()}"
            self.received += data
        return self.received

    def read_to_end(self) -> bytes:
        """Reads the rest; curl must have ended the stream without an error."""
        self.received += self.curl.stdout.read()
        status = self.curl.wait(TIMEOUT_SECONDS * 3)
        assert status == 0, f"curl exited {status}: {self.curl.stderr.read().decode()}"
        return self.received

    def close(self) -> None:
        if self.curl.poll() is None:
            self.curl.kill()
        self.curl.wait()
        self.curl.stdout.close()
        self.curl.stderr.close()
        self.body_file.close()
