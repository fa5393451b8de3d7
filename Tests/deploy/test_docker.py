"""The Dockerfile lints clean with hadolint and says what the image promises; `sluice health`,
its HEALTHCHECK, works against a running Sluice."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REPO_ROOT, Process, require_tool, run_cli

DOCKERFILES = [REPO_ROOT / "Dockerfile", REPO_ROOT / "examples" / "compose" / "app" / "Dockerfile"]


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_hadolint_is_clean(path):
    hadolint = require_tool("hadolint")
    result = subprocess.run([hadolint, "--no-color", "--failure-threshold", "info", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout
    assert "hadolint ignore" not in path.read_text()


def test_dockerfile_promises():
    text = (REPO_ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, flags=re.MULTILINE)
    assert len(stages) == 2, stages
    assert re.fullmatch(r"swift:6\.\d+(\.\d+)?-bookworm", stages[0]), stages[0]
    assert stages[1] == "debian:bookworm-slim"
    assert "-c release --show-bin-path" in text
    # Built with the shipped flags, from the one script that holds them (and that the image's context admits):
    # the runtime linked in, which the slim stage does not have.
    assert re.search(r"^RUN scripts/build-release \\$", text, flags=re.MULTILINE)
    script = (REPO_ROOT / "scripts" / "build-release").read_text()
    assert re.search(r"^exec swift build -c release --product sluice --static-swift-stdlib ", script, flags=re.MULTILINE)
    assert re.search(r"^USER 65532:65532$", text, flags=re.MULTILINE)
    assert 'ENTRYPOINT ["sluice"]' in text and 'CMD ["run"]' in text
    assert re.search(r'^HEALTHCHECK .* CMD \["sluice", "health"\]$', text, flags=re.MULTILINE)
    assert "org.opencontainers.image.version" in text and "org.opencontainers.image.source" in text
    assert "/etc/ssl/certs/ca-certificates.crt" in text


def test_dockerignore_keeps_what_the_build_needs():
    patterns = [line.strip() for line in (REPO_ROOT / ".dockerignore").read_text().splitlines() if line.strip() and not line.startswith("#")]
    assert patterns[0] == "*"
    for needed in ["!Package.swift", "!Sources/", "!Tests/", "!scripts/build-release"]:
        assert needed in patterns


def test_health_command_against_a_running_sluice(tmp_path, processes):
    policy = tmp_path / "policy.yaml"
    policy.write_text("version: 1\nlisten:\n  app: 127.0.0.1:0\n  admin: 127.0.0.1:0\nproviders:\n  demo:\n    type: mock\n"
                      "models:\n  m:\n    targets:\n      - { provider: demo }\n")
    process = Process("run", "--policy", str(policy))
    processes.append(process)
    process.start(wait_for="ready")
    admin = process.ports()["admin"]
    ok = run_cli("health", "--url", f"http://127.0.0.1:{admin}/healthz")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("HTTP/1.1 200")
    missing = run_cli("health", "--url", f"http://127.0.0.1:{admin}/nothing-here")
    assert missing.returncode == 1
    assert process.stop() == 0
    refused = run_cli("health", "--url", f"http://127.0.0.1:{admin}/healthz")
    assert refused.returncode == 1
    assert "cannot connect" in refused.stderr


def test_health_rejects_a_url_it_cannot_use():
    result = run_cli("health", "--url", "https://example.com/healthz")
    assert result.returncode != 0
    assert "--url" in result.stderr
