"""An https provider (nginx with a certificate the test makes): HTTP/2 through ALPN where it is
offered, HTTP/1.1 where it is not, trust only through `tls.ca_file`, and pooled connections
(counted by nginx's `$connection` in its access log)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

import http_client
import policies
import wire
from certs import make_server_certificate
from nginx_server import Nginx, free_port, quoted
from sluice_process import SluiceProcess

TLS_KEY_VARIABLE = "SLUICE_E2E_TLS_KEY"
H2_MODEL, H1_MODEL, UNTRUSTED_MODEL = "tls-h2-chat", "tls-h1-chat", "tls-untrusted-chat"
REQUESTS = 20
RECORDING = "openai-chat-basic-byte-exact"


@dataclass(frozen=True)
class TLSProvider:
    """nginx serving the recording over TLS: HTTP/2 (ALPN h2) on one port, HTTP/1.1 on the other."""

    server: Nginx
    ca_file: Path
    h2_port: int
    h1_port: int

    def access_lines(self):
        return self.server.access_lines()

    def wait_for_access_lines(self, count: int):
        return self.server.wait_for_access_lines(count)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    directory = tmp_path_factory.mktemp("nginx-tls")
    certificate = make_server_certificate(directory / "pki")
    h2_port, h1_port = free_port(), free_port()
    body = quoted(wire.load(RECORDING).body.decode())
    server = f"""
        ssl_certificate {certificate.cert};
        ssl_certificate_key {certificate.key};
        location = /v1/chat/completions {{
            default_type application/json;
            add_header x-ratelimit-remaining-requests 499;
            return 200 {body};
        }}"""
    http_block = f"""
    server {{
        listen 127.0.0.1:{h2_port} ssl http2;
{server}
    }}
    server {{
        listen 127.0.0.1:{h1_port} ssl;
{server}
    }}"""
    server = Nginx(directory, http_block, [h2_port, h1_port]).start()
    yield TLSProvider(server, certificate.ca_cert, h2_port, h1_port)
    server.stop()


@pytest.fixture(scope="module")
def sluice(tmp_path_factory, nginx):
    directory = tmp_path_factory.mktemp("sluice-tls")

    def provider(port: int, trusted: bool) -> str:
        tls = f"\n    tls: {{ ca_file: {nginx.ca_file} }}" if trusted else ""
        return f"""
    type: openai
    base_url: https://127.0.0.1:{port}/v1
    api_key: {{ env: {TLS_KEY_VARIABLE} }}
    timeouts: {{ connect: 2s, first_byte: 10s, idle: 60s }}{tls}"""

    policy = f"""\
version: 1
listen: {{ app: 127.0.0.1:0, admin: 127.0.0.1:0 }}
server: {{ event_loop_threads: 1 }}
providers:
  tls_h2:{provider(nginx.h2_port, trusted=True)}
  tls_h1:{provider(nginx.h1_port, trusted=True)}
  tls_untrusted:{provider(nginx.h2_port, trusted=False)}
models:
  {H2_MODEL}: {{ targets: [ {{ provider: tls_h2 }} ] }}
  {H1_MODEL}: {{ targets: [ {{ provider: tls_h1 }} ] }}
  {UNTRUSTED_MODEL}: {{ targets: [ {{ provider: tls_untrusted }} ] }}
"""
    process = SluiceProcess(policies.write(directory, "policy.yaml", policy), {TLS_KEY_VARIABLE: policies.TLS_KEY})
    yield process.start()
    process.stop()


def _chat(sluice, model: str) -> http_client.Response:
    body = {"model": model, "messages": [{"role": "user", "content": "Which ocean contains Bouvet Island?"}]}
    headers = {"authorization": f"Bearer {policies.APP_KEY}"}
    return http_client.post(sluice.app_port, "/v1/chat/completions", body, headers)


def _requests_through(nginx, port: int, model: str, sluice, concurrently: bool):
    """Sends REQUESTS chats and returns nginx's access lines for them on `port`."""
    before = len(nginx.access_lines())
    if concurrently:
        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            responses = list(pool.map(lambda _: _chat(sluice, model), range(REQUESTS)))
    else:
        responses = [_chat(sluice, model) for _ in range(REQUESTS)]
    expected = wire.load(RECORDING).body
    for response in responses:
        assert response.status == 200, response.body
        assert response.body == expected
        assert response.header("x-ratelimit-remaining-requests") == "499"
    lines = nginx.wait_for_access_lines(before + REQUESTS)[before:]
    assert len(lines) == REQUESTS
    assert {line.port for line in lines} == {port}
    assert {line.authorization for line in lines} == {f"Bearer {policies.TLS_KEY}"}
    return lines


@pytest.mark.parametrize("concurrently", [False, True], ids=["one after another", "concurrently"])
def test_http2_through_alpn_with_one_connection(sluice, nginx, concurrently):
    lines = _requests_through(nginx, nginx.h2_port, H2_MODEL, sluice, concurrently)

    assert {line.protocol for line in lines} == {"HTTP/2.0"}
    assert len({line.connection for line in lines}) == 1, "HTTP/2 requests should share one connection"


def test_http1_when_the_provider_offers_no_h2(sluice, nginx):
    lines = _requests_through(nginx, nginx.h1_port, H1_MODEL, sluice, concurrently=False)

    assert {line.protocol for line in lines} == {"HTTP/1.1"}
    assert len({line.connection for line in lines}) <= 2, "keep-alive connections should be reused"


def test_http1_concurrent_requests_reuse_pooled_connections(sluice, nginx):
    lines = _requests_through(nginx, nginx.h1_port, H1_MODEL, sluice, concurrently=True)

    assert {line.protocol for line in lines} == {"HTTP/1.1"}
    assert len({line.connection for line in lines}) < REQUESTS


def test_untrusted_certificate_is_a_502_that_says_so(sluice, nginx):
    before = len(nginx.access_lines())

    response = _chat(sluice, UNTRUSTED_MODEL)

    assert response.status == 502, response.body
    message = response.error()["message"].lower()
    assert "certificate" in message and "trust" in message, message
    assert len(nginx.access_lines()) == before, "no request may be sent over an untrusted connection"
