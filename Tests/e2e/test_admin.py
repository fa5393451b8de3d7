"""The admin listener: health, readiness, Prometheus metrics and the effective policy."""

from __future__ import annotations

import json
import re

import http_client
import policies
import wire

APP_HEADERS = {"authorization": f"Bearer {policies.APP_KEY}"}


def test_healthz_and_readyz(sluice):
    assert http_client.get(sluice.admin_port, "/healthz").status == 200
    assert http_client.get(sluice.admin_port, "/readyz").status == 200


def test_admin_is_not_on_the_app_port(sluice):
    assert http_client.get(sluice.app_port, "/metrics").status == 404


def _samples(metrics: str, name: str) -> list[tuple[dict[str, str], float]]:
    samples = []
    for match in re.finditer(rf"^{name}\{{([^}}]*)\}} (\S+)$", metrics, re.M):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        samples.append((labels, float(match.group(2))))
    return samples


def _requests_total(sluice, **labels) -> float:
    metrics = http_client.get(sluice.admin_port, "/metrics").body.decode()
    return sum(value for found, value in _samples(metrics, "sluice_requests_total") if labels.items() <= found.items())


def test_metrics_count_requests_by_model_provider_and_status(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    labels = {"model": recording.model, "provider": "upstream", "status": "200"}
    before = _requests_total(sluice, **labels)
    not_found_before = _requests_total(sluice, status="404")

    for _ in range(3):
        assert http_client.post(sluice.app_port, recording.path, recording.request_body, APP_HEADERS).status == 200
    unknown = {"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]}
    http_client.post(sluice.app_port, recording.path, unknown)

    assert _requests_total(sluice, **labels) == before + 3
    assert _requests_total(sluice, status="404") == not_found_before + 1


def test_metrics_have_a_latency_histogram(sluice, provider):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    http_client.post(sluice.app_port, recording.path, recording.request_body, APP_HEADERS)

    response = http_client.get(sluice.admin_port, "/metrics")

    assert response.status == 200
    assert response.header("content-type").startswith("text/plain")
    metrics = response.body.decode()
    assert re.search(r"^# TYPE sluice_request_duration_seconds histogram$", metrics, re.M), metrics
    buckets = _samples(metrics, "sluice_request_duration_seconds_bucket")
    assert any(labels.get("le") == "+Inf" and value >= 1 for labels, value in buckets), metrics
    assert _samples(metrics, "sluice_request_duration_seconds_count")
    assert _samples(metrics, "sluice_request_duration_seconds_sum")


def test_config_shows_the_effective_policy_without_secrets(sluice):
    response = http_client.get(sluice.admin_port, "/config")

    assert response.status == 200
    text = response.body.decode()
    document = json.loads(text)
    assert policies.ENV_KEY not in text
    assert policies.FILE_KEY not in text
    assert "<redacted>" in text
    assert {"upstream", "upstream_file_key", "demo"} <= set(_find_key(document, "providers"))
    assert policies.RENAMED_MODEL in _find_key(document, "models")


def _find_key(document, key: str):
    if isinstance(document, dict):
        if key in document:
            return document[key]
        for value in document.values():
            if (found := _find_key(value, key)) is not None:
                return found
    return None
