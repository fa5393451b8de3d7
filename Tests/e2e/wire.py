"""The recorded provider traffic in ../shared/fixtures/wire, read as bytes on the wire."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def fixtures_dir() -> Path:
    """Where the recordings live: $SLUICE_WIRE_FIXTURES, else ../shared beside the checkout."""
    configured = os.environ.get("SLUICE_WIRE_FIXTURES")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "fixtures" / "wire"
    if not path.is_dir():
        raise FileNotFoundError(f"recorded fixtures not found at {path} (set SLUICE_WIRE_FIXTURES)")
    return path


@dataclass(frozen=True)
class Recording:
    """One recorded request/response pair. Bodies are the exact wire bytes."""

    name: str
    method: str
    path: str
    request_body: bytes
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def model(self) -> str:
        return json.loads(self.request_body)["model"]

    @property
    def is_stream(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/event-stream")

    def sse_events(self) -> list[bytes]:
        """The stream split after each blank line: the chunks the provider wrote."""
        events = [part + b"\n\n" for part in self.body.split(b"\n\n") if part]
        assert b"".join(events) == self.body, f"{self.name}: stream does not end with a blank line"
        return events

    def leading_events(self) -> list[bytes]:
        """The events up to and including the first with content. Sluice holds a stream's
        preamble (the role-only chunk) back until then, so it can still fall back; these are
        what reach the app first, together."""
        events = self.sse_events()
        for index, event in enumerate(events):
            data = event.split(b"data: ", 1)[-1].strip()
            if data == b"[DONE]":
                return events[: index + 1]
            chunk = json.loads(data)
            for choice in chunk.get("choices", []):
                delta = choice.get("delta", {})
                if delta.get("content") or delta.get("tool_calls") or choice.get("finish_reason"):
                    return events[: index + 1]
        return events

    def request_json(self) -> dict:
        return json.loads(self.request_body)

    def response_json(self) -> dict:
        return json.loads(self.body)


@cache
def load(name: str) -> Recording:
    """Loads `openai-chat-basic` or `openai-chat-basic.json`."""
    file = fixtures_dir() / (name if name.endswith(".json") else f"{name}.json")
    data = json.loads(file.read_text(encoding="utf-8"))
    request, response = data["request"], data["response"]
    assert "body_encoding" not in response, f"{file.name}: binary bodies are not served here"
    return Recording(
        name=file.stem,
        method=request["method"],
        path=request["path"],
        request_body=request["body"].encode("utf-8"),
        status=response["status"],
        headers=dict(response["headers"]),
        body=response["body"].encode("utf-8"),
    )


def openai_recordings() -> list[Recording]:
    return [load(file.name) for file in sorted(fixtures_dir().glob("openai-*.json"))]


def stream_content(body: bytes) -> str:
    """Concatenates the text deltas of an OpenAI chat or completions SSE stream."""
    text = []
    for line in body.split(b"\n"):
        if not line.startswith(b"data: ") or line == b"data: [DONE]":
            continue
        chunk = json.loads(line[len(b"data: "):])
        for choice in chunk.get("choices", []):
            if "delta" in choice:
                text.append(choice["delta"].get("content") or "")
            else:
                text.append(choice.get("text") or "")
    return "".join(text)


def stream_usage(body: bytes) -> dict | None:
    """The usage object of the stream's last chunk that carries one."""
    usage = None
    for line in body.split(b"\n"):
        if line.startswith(b"data: {"):
            usage = json.loads(line[len(b"data: "):]).get("usage") or usage
    return usage
