"""`sluice webhook` served by the real binary over TLS: AdmissionReviews posted as the API server
posts them, patches applied with the jsonpatch library and compared with `sluice inject`."""

from __future__ import annotations

import base64
import copy
import os
import http.client
import json
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

import jsonpatch
import pytest
import yaml

from conftest import CORPUS, GOLDEN_IMAGE, Process, inject, kubernetes_validate, require_tool

REVIEWS = sorted(p.stem for p in (CORPUS / "admission").glob("*.json"))


def make_certificate(directory: Path, name: str = "sluice-webhook") -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 in DIRECTORY/tls.crt and tls.key, made by openssl."""
    openssl = require_tool("openssl")
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "tls.crt", directory / "tls.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={name}",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return str(cert), str(key)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    return make_certificate(tmp_path_factory.mktemp("tls"))


class Webhook:
    def __init__(self, process: Process, cert: str):
        self.process = process
        self.port = process.ports()["webhook"]
        self.context = ssl.create_default_context(cafile=cert)

    def connection(self) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=10)

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = self.connection()
        try:
            headers = {"content-type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def review(self, body: bytes) -> dict:
        status, answer = self.request("POST", "/mutate?timeout=10s", body)
        assert status == 200, answer
        return json.loads(answer)


@pytest.fixture
def webhook(certificate, processes) -> Webhook:
    cert, key = certificate
    process = Process("webhook", "--listen", "127.0.0.1:0", "--cert", cert, "--key", key, "--image", GOLDEN_IMAGE)
    processes.append(process)
    process.start(wait_for="ready")
    return Webhook(process, cert)


def test_health_endpoints(webhook):
    assert webhook.request("GET", "/healthz") == (200, b"ok\n")
    assert webhook.request("GET", "/readyz") == (200, b"ready\n")
    assert webhook.request("GET", "/mutate")[0] == 405
    assert webhook.request("GET", "/other")[0] == 404


@pytest.mark.parametrize("name", REVIEWS)
def test_patch_equals_inject(webhook, name, tmp_path):
    body = (CORPUS / "admission" / f"{name}.json").read_bytes()
    review = json.loads(body)
    pod = review["request"]["object"]
    answer = webhook.review(body)
    assert answer["apiVersion"] == "admission.k8s.io/v1" and answer["kind"] == "AdmissionReview"
    response = answer["response"]
    assert response["uid"] == review["request"]["uid"]
    assert response["allowed"] is True

    pod_file = tmp_path / "pod.json"
    pod_file.write_text(json.dumps(pod))
    injected = yaml.safe_load(inject("--image", GOLDEN_IMAGE, "-f", str(pod_file)))
    if "patch" not in response:
        assert injected == pod
        return
    assert response["patchType"] == "JSONPatch"
    patch = jsonpatch.JsonPatch(json.loads(base64.b64decode(response["patch"])))
    patched = patch.apply(copy.deepcopy(pod))
    assert patched == injected
    assert patched != pod
    kubernetes_validate(patched, f"{name} patched by the webhook")
    # A second review of the injected pod adds nothing.
    again = copy.deepcopy(review)
    again["request"]["object"] = patched
    assert "patch" not in webhook.review(json.dumps(again).encode())["response"]


def test_corpus_has_an_injected_and_an_untouched_review(webhook):
    patched = [name for name in REVIEWS if "patch" in webhook.review((CORPUS / "admission" / f"{name}.json").read_bytes())["response"]]
    assert 0 < len(patched) < len(REVIEWS), patched


MALFORMED = {
    "empty": b"",
    "not json": b"\x00\xff<not json>",
    "truncated": b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1"',
    "v1beta1": b'{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u2"}}',
    "deployment": json.dumps({
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {"uid": "u3", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                    "object": yaml.safe_load((CORPUS / "manifests" / "deployment.yaml").read_text())},
    }).encode(),
    "no object": b'{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u4","kind":{"kind":"Pod"}}}',
    "deeply nested": b"[" * 5000 + b"]" * 5000,
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_reviews_are_allowed_with_a_warning(webhook, name):
    answer = webhook.review(MALFORMED[name])
    response = answer["response"]
    assert response["allowed"] is True
    assert "patch" not in response
    assert response["warnings"] and response["warnings"][0].startswith("sluice: ")
    # Still serving.
    assert webhook.request("GET", "/healthz")[0] == 200


def test_oversized_body_is_refused_and_the_server_keeps_serving(webhook):
    status, _ = webhook.request("POST", "/mutate", b"{" + b" " * (9 * 1024 * 1024) + b"}")
    assert status == 413
    assert webhook.request("GET", "/healthz")[0] == 200


def test_plain_http_and_garbage_do_not_stop_it(webhook):
    with socket.create_connection(("127.0.0.1", webhook.port), timeout=5) as raw:
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.recv(100)
    assert webhook.request("GET", "/healthz")[0] == 200


def test_sigterm_closes_idle_connections_and_exits_zero(webhook):
    idle = webhook.connection()
    idle.request("GET", "/healthz")
    assert idle.getresponse().read() == b"ok\n"  # keep-alive: the connection stays open, idle
    started = time.monotonic()
    assert webhook.process.stop(signal.SIGTERM, timeout=10) == 0
    assert time.monotonic() - started < 5
    assert "draining" in webhook.process.output()
    idle.close()


def test_bad_certificate_fails_at_start(tmp_path):
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate\n")
    from conftest import run_cli

    result = run_cli("webhook", "--listen", "127.0.0.1:0", "--cert", str(bogus), "--key", str(bogus), timeout=20)
    assert result.returncode == 1
    assert "--cert" in result.stderr


def test_certificate_files_are_reread_when_they_change(tmp_path, processes):
    """A renewed certificate (cert-manager, a chart upgrade) is served without a restart."""
    served = tmp_path / "served"
    first_cert, key = make_certificate(served, "first")
    first_ca = tmp_path / "first-ca.pem"
    first_ca.write_bytes(Path(first_cert).read_bytes())
    process = Process("webhook", "--listen", "127.0.0.1:0", "--cert", first_cert, "--key", key)
    processes.append(process)
    process.start(wait_for="ready")
    assert Webhook(process, str(first_ca)).request("GET", "/healthz")[0] == 200

    second_cert, second_key = make_certificate(tmp_path / "second", "second")
    os.replace(second_key, key)
    os.replace(second_cert, first_cert)
    renewed = Webhook(process, first_cert)  # trusts only the second certificate
    assert renewed.request("GET", "/healthz")[0] == 200
    with pytest.raises(ssl.SSLError):
        Webhook(process, str(first_ca)).request("GET", "/healthz")

    # A broken pair is refused and the last good one keeps serving.
    Path(first_cert).write_text("garbage\n")
    assert renewed.request("GET", "/healthz")[0] == 200
    process.wait_for(lambda line: "certificate reload failed" in line, 5, "the reload error")
