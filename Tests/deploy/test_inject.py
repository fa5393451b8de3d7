"""`sluice inject` run as users run it: golden outputs, idempotence, every output valid against
the Kubernetes schemas, the examples regenerated from the real binary."""

from __future__ import annotations

import os

import pytest
import yaml

from conftest import CORPUS, GOLDEN_IMAGE, REPO_ROOT, inject, kubernetes_validate, run_cli
from sluice_version import sluice_version

MANIFESTS = sorted(p.stem for p in (CORPUS / "manifests").glob("*.yaml") if not p.name.endswith(".expected.yaml"))
EXAMPLES = REPO_ROOT / "examples" / "kubernetes"


def objects(text: str) -> list[dict]:
    """The objects of a YAML stream, the items of a List included."""
    found = []
    for document in yaml.safe_load_all(text):
        if not document:
            continue
        found.append(document)
    return found


def test_corpus_is_not_empty():
    assert len(MANIFESTS) >= 10, MANIFESTS


@pytest.mark.parametrize("name", MANIFESTS)
def test_golden_output(name):
    output = inject("--image", GOLDEN_IMAGE, "-f", str(CORPUS / "manifests" / f"{name}.yaml"))
    assert output == (CORPUS / "manifests" / f"{name}.expected.yaml").read_text()


@pytest.mark.parametrize("name", MANIFESTS)
def test_idempotent_through_stdin(name):
    once = inject("--image", GOLDEN_IMAGE, "-f", str(CORPUS / "manifests" / f"{name}.yaml"))
    assert inject("--image", GOLDEN_IMAGE, input=once) == once
    assert inject("--image", GOLDEN_IMAGE, "-f", "-", input=once) == once


@pytest.mark.parametrize("name", MANIFESTS)
def test_output_is_valid_kubernetes(name):
    output = inject("--image", GOLDEN_IMAGE, "-f", str(CORPUS / "manifests" / f"{name}.yaml"))
    for document in objects(output):
        if document.get("kind") == "List":
            # kubectl's client-side List has no schema of its own; its items do.
            assert document["items"]
            for item in document["items"]:
                kubernetes_validate(item, f"{name} after inject, List item")
        else:
            kubernetes_validate(document, f"{name} after inject")


def test_flags_shape_the_sidecar():
    output = inject(
        "--image", "registry.example.com/sluice:9.9", "--policy-configmap", "team-policy", "--secret", "team-keys",
        "--app-port", "4100", "--admin-port", "9911", "--workload-label", "app", "--cpu-limit", "",
        "--memory-limit", "300Mi", "-f", str(CORPUS / "manifests" / "replicaset.yaml"),
    )
    replicaset = objects(output)[0]
    kubernetes_validate(replicaset, "replicaset with flags")
    spec = replicaset["spec"]["template"]["spec"]
    sidecar = spec["initContainers"][0]
    assert sidecar["image"] == "registry.example.com/sluice:9.9"
    assert sidecar["readinessProbe"]["httpGet"]["port"] == 9911
    assert sidecar["resources"]["limits"] == {"memory": "300Mi"}
    assert "env" not in sidecar  # the template has no `app` label: no SLUICE_WORKLOAD
    assert {"name": "sluice-policy", "configMap": {"name": "team-policy"}} in spec["volumes"]
    assert {"name": "sluice-provider-keys", "secret": {"secretName": "team-keys", "optional": True}} in spec["volumes"]
    assert {"name": "OPENAI_BASE_URL", "value": "http://127.0.0.1:4100/v1"} in spec["containers"][0]["env"]


def test_bad_yaml_reports_file_line_and_column(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nspec: {containers: [\n")
    result = run_cli("inject", "-f", str(broken))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{broken}:7:" in result.stderr or f"{broken}:6:" in result.stderr, result.stderr


def test_missing_file_fails():
    result = run_cli("inject", "-f", "/nonexistent/deploy.yaml")
    assert result.returncode == 1
    assert "/nonexistent/deploy.yaml" in result.stderr


def test_kubernetes_example_after_is_inject_of_before():
    """examples/kubernetes/deployment.injected.yaml is what this binary makes of deployment.yaml
    (SLUICE_UPDATE_EXAMPLES=1 rewrites it)."""
    after = inject("-f", str(EXAMPLES / "deployment.yaml"))
    path = EXAMPLES / "deployment.injected.yaml"
    if os.environ.get("SLUICE_UPDATE_EXAMPLES") == "1":
        path.write_text(after)
    assert path.read_text() == after, "regenerate with SLUICE_UPDATE_EXAMPLES=1 python3 -m pytest Tests/deploy -k example"
    assert f"ghcr.io/sluice-gateway/sluice:{sluice_version()}" in after


@pytest.mark.parametrize("name", ["deployment.yaml", "deployment.injected.yaml", "policy-configmap.yaml", "secret.yaml"])
def test_kubernetes_examples_are_valid(name):
    for document in objects((EXAMPLES / name).read_text()):
        kubernetes_validate(document, f"examples/kubernetes/{name}")


def test_kubernetes_example_policy_validates(tmp_path):
    policy = yaml.safe_load((EXAMPLES / "policy-configmap.yaml").read_text())["data"]["policy.yaml"]
    key = tmp_path / "openai"
    key.write_text("sk-test\n")
    path = tmp_path / "policy.yaml"
    path.write_text(policy.replace("/var/run/secrets/sluice/openai", str(key)))
    result = run_cli("validate", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr
