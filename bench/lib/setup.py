"""Writes what one bench run needs into its results folder and prints its ports for bash.

- provider.conf: nginx as the mock provider. A fixed chat completion on /plain/v1/... and a fixed
  SSE stream on /sse/v1/..., both real recordings from ../shared/fixtures/wire, on an HTTP/1.1
  port and an h2c port.
- proxy.conf: nginx as a plain reverse proxy to the provider (keep-alive upstream), on an
  HTTP/1.1 port and an h2c port.
- policy.yaml: Sluice with the same provider, one event-loop thread.
- chat.json, stream.json, long.json: the request bodies every target gets (long.json: the chat
  request with a 20 KB prompt).

Prints `NAME=value` lines: the ports and paths the run script uses.
"""

from __future__ import annotations

import argparse
import json
import socket
from pathlib import Path

CHAT_RECORDING = "openai-chat-basic-byte-exact"
STREAM_RECORDING = "openai-chat-streaming-usage"
PROVIDER_KEY_VARIABLE = "SLUICE_BENCH_PROVIDER_KEY"
PROVIDER_KEY = "sk-bench-provider-key"
RELAYED_HEADERS = ("x-ratelimit-",)


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def load(fixtures: Path, name: str) -> dict:
    return json.loads((fixtures / f"{name}.json").read_text(encoding="utf-8"))


def nginx_string(text: str) -> str:
    assert "$" not in text, "nginx would read $ as a variable"
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fixed_response(recording: dict) -> str:
    """An nginx location body answering with the recording's content-type, headers and body."""
    response = recording["response"]
    headers = "".join(
        f"\n            add_header {name} {nginx_string(value)};"
        for name, value in response["headers"].items()
        if name.startswith(RELAYED_HEADERS)
    )
    return f"""
            default_type {nginx_string(response["headers"]["content-type"])};{headers}
            return {response["status"]} {nginx_string(response["body"])};"""


def nginx_conf(out: Path, name: str, servers: str) -> str:
    temp = out / f"{name}-temp"
    temp.mkdir(exist_ok=True)  # nginx creates only the last part of a temp path
    return f"""daemon off;
worker_processes 1;
pid {out}/{name}.pid;
error_log {out}/{name}-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 300s;
    # Request bodies (up to the 20 KB of long.json) stay in memory: nginx writes larger ones to disk.
    client_body_buffer_size 64k;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
{servers}
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--fixtures", type=Path, required=True)
    args = parser.parse_args()
    out, fixtures = args.out.resolve(), args.fixtures.resolve()
    out.mkdir(parents=True, exist_ok=True)
    chat, stream = load(fixtures, CHAT_RECORDING), load(fixtures, STREAM_RECORDING)
    (provider_h1, provider_h2c, proxy_h1, proxy_h2c, sluice_app, sluice_admin) = free_ports(6)

    provider = f"""
    server {{
        listen 127.0.0.1:{provider_h1};
        listen 127.0.0.1:{provider_h2c} http2;
        location = /plain/v1/chat/completions {{{fixed_response(chat)}
        }}
        location = /sse/v1/chat/completions {{{fixed_response(stream)}
        }}
    }}"""
    (out / "provider.conf").write_text(nginx_conf(out, "provider", provider))

    proxy = f"""
    upstream provider {{
        server 127.0.0.1:{provider_h1};
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{proxy_h1};
        listen 127.0.0.1:{proxy_h2c} http2;
        location / {{
            proxy_pass http://provider;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer {PROVIDER_KEY}";
        }}
    }}"""
    (out / "proxy.conf").write_text(nginx_conf(out, "proxy", proxy))

    (out / "policy.yaml").write_text(
        f"""version: 1
listen:
  app: 127.0.0.1:{sluice_app}
  admin: 127.0.0.1:{sluice_admin}
server:
  event_loop_threads: 1
providers:
  plain:
    type: openai
    base_url: http://127.0.0.1:{provider_h1}/plain/v1
    api_key: {{ env: {PROVIDER_KEY_VARIABLE} }}
  sse:
    type: openai
    base_url: http://127.0.0.1:{provider_h1}/sse/v1
    api_key: {{ env: {PROVIDER_KEY_VARIABLE} }}
  demo:
    type: mock
models:
  bench-chat:
    targets: [ {{ provider: plain }} ]
  bench-stream:
    targets: [ {{ provider: sse }} ]
  bench-mock:
    targets: [ {{ provider: demo }} ]
"""
    )

    def body(recording: dict, model: str) -> bytes:
        request = json.loads(recording["request"]["body"])
        request["model"] = model
        return json.dumps(request, separators=(",", ":")).encode()

    def long_body(recording: dict, model: str, size: int = 20_000) -> bytes:
        """The chat request with its user message repeated to `size` bytes: what a prompt with context
        costs (Sluice reads every byte of it to find `model` and `stream`; nginx reads none)."""
        request = json.loads(recording["request"]["body"])
        request["model"] = model
        text = request["messages"][-1]["content"] + " "
        request["messages"][-1]["content"] = (text * (size // len(text) + 1))[:size]
        return json.dumps(request, separators=(",", ":")).encode()

    (out / "chat.json").write_bytes(body(chat, "bench-chat"))
    (out / "long.json").write_bytes(long_body(chat, "bench-chat"))
    (out / "stream.json").write_bytes(body(stream, "bench-stream"))
    (out / "mock.json").write_bytes(body(chat, "bench-mock"))

    for name, value in {
        "PROVIDER_H1": provider_h1,
        "PROVIDER_H2C": provider_h2c,
        "PROXY_H1": proxy_h1,
        "PROXY_H2C": proxy_h2c,
        "SLUICE_APP": sluice_app,
        "SLUICE_ADMIN": sluice_admin,
        "PROVIDER_KEY_VARIABLE": PROVIDER_KEY_VARIABLE,
        "PROVIDER_KEY": PROVIDER_KEY,
        "CHAT_BODY_BYTES": len(chat["response"]["body"].encode()),
        "STREAM_BODY_BYTES": len(stream["response"]["body"].encode()),
    }.items():
        print(f"{name}={value}")


if __name__ == "__main__":
    main()
