"""Small HTTP/1.1 client calls on the standard library, for tests that look at raw bytes."""

from __future__ import annotations

import http.client
import json
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
