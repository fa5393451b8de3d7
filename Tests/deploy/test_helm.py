"""The chart rendered and linted by the Helm engine (helm-python-sdk), for the defaults and each
toggle; every rendered object valid against the Kubernetes schemas."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest
import yaml

from conftest import REPO_ROOT, kubernetes_validate, run_cli

CHART = REPO_ROOT / "helm" / "sluice"
NAMESPACE = "sluice-system"

# Each toggle the chart has, as values on top of the defaults.
TOGGLES = {
    "defaults": {},
    "cert-manager with its own CA": {"certManager": {"enabled": True}},
    "cert-manager with a ClusterIssuer": {"certManager": {"enabled": True, "issuerRef": {"name": "corp-ca", "kind": "ClusterIssuer", "group": "cert-manager.io"}}},
    "failurePolicy Fail": {"webhook": {"failurePolicy": "Fail", "timeoutSeconds": 10}},
    "every namespace": {"webhook": {"namespaceSelector": None, "objectSelector": None}},
    "namespaceSelector by expression": {"webhook": {"namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "In", "values": ["ml", "search"]}]}}},
    "require annotation": {"webhook": {"requireAnnotation": True}},
    "no disruption budget": {"webhook": {"podDisruptionBudget": {"enabled": False}}},
    "one replica, scheduling": {"webhook": {"replicas": 1, "nodeSelector": {"kubernetes.io/os": "linux"}, "tolerations": [{"key": "dedicated", "operator": "Exists"}], "priorityClassName": "system-cluster-critical", "podAnnotations": {"a": "b"}, "podLabels": {"team": "platform"}}},
    "no service account": {"serviceAccount": {"create": False, "name": "existing"}},
    "no default policy": {"defaultPolicy": {"create": False}},
    "policy in more namespaces": {"defaultPolicy": {"namespaces": ["shop", "support"]}},
    "sidecar image and resources": {"sidecar": {"image": {"repository": "registry.example.com/sluice", "tag": "1.2.3", "pullPolicy": "Always"}, "policyConfigMap": "team-policy", "secretName": "team-keys", "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "", "memory": "512Mi"}}}},
    "image tag and pull secret": {"image": {"tag": "0.2.0"}, "imagePullSecrets": [{"name": "regcred"}], "fullnameOverride": "gateway"},
}

CERT_MANAGER_KINDS = {("cert-manager.io/v1", "Certificate"), ("cert-manager.io/v1", "Issuer")}


def helm():
    try:
        import helm_python
    except ImportError:
        pytest.fail("helm-python-sdk is not installed: run scripts/install-deploy-deps", pytrace=False)
    return helm_python


def render(values: dict) -> list[dict]:
    h = helm()
    with h.Chart.load(str(CHART)) as chart:
        rendered = chart.render(values=values, name="sluice", namespace=NAMESPACE, is_install=True)
    documents = []
    for path, text in sorted(rendered.items()):
        if path.endswith("NOTES.txt"):
            continue
        documents += [d for d in yaml.safe_load_all(text) if d]
    return documents


def by_kind(documents: list[dict], kind: str) -> list[dict]:
    return [d for d in documents if d["kind"] == kind]


@pytest.mark.parametrize("toggle", sorted(TOGGLES))
def test_lint_is_clean(toggle):
    report = helm().lint(str(CHART), TOGGLES[toggle], strict=True, namespace=NAMESPACE)
    assert report["errors"] == [], report
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert problems == [], problems


@pytest.mark.parametrize("toggle", sorted(TOGGLES))
def test_rendered_objects_are_valid(toggle):
    documents = render(TOGGLES[toggle])
    assert documents
    for document in documents:
        if (document["apiVersion"], document["kind"]) in CERT_MANAGER_KINDS:
            # A CRD: not in the Kubernetes schemas; its shape is checked in test_cert_manager.
            assert document["metadata"]["namespace"] == NAMESPACE
            continue
        kubernetes_validate(document, f"chart ({toggle})")


def test_defaults():
    documents = render({})
    kinds = sorted(d["kind"] for d in documents)
    assert kinds == sorted(["ConfigMap", "Deployment", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Secret", "Service", "ServiceAccount"])
    deployment = by_kind(documents, "Deployment")[0]
    assert deployment["spec"]["replicas"] == 2
    pod = deployment["spec"]["template"]
    assert pod["metadata"]["labels"]["sluice.dev/inject"] == "false"
    container = pod["spec"]["containers"][0]
    assert container["args"][0] == "webhook"
    assert "--image=ghcr.io/sluice-gateway/sluice:0.1.0" in container["args"]
    assert container["readinessProbe"]["httpGet"]["scheme"] == "HTTPS"
    webhook = by_kind(documents, "MutatingWebhookConfiguration")[0]["webhooks"][0]
    assert webhook["failurePolicy"] == "Ignore"
    assert webhook["namespaceSelector"] == {"matchLabels": {"sluice.dev/inject": "enabled"}}
    assert webhook["clientConfig"]["service"] == {"name": "sluice-webhook", "namespace": NAMESPACE, "path": "/mutate", "port": 443}
    assert webhook["rules"][0]["operations"] == ["CREATE"] and webhook["rules"][0]["resources"] == ["pods"]
    assert by_kind(documents, "PodDisruptionBudget")[0]["spec"]["minAvailable"] == 1


def test_generated_certificate_is_signed_by_the_ca_bundle(tmp_path):
    """Without cert-manager, the Secret's certificate verifies against the configuration's
    caBundle for the Service's DNS name."""
    documents = render({})
    secret = by_kind(documents, "Secret")[0]
    ca_bundle = by_kind(documents, "MutatingWebhookConfiguration")[0]["webhooks"][0]["clientConfig"]["caBundle"]
    assert secret["data"]["ca.crt"] == ca_bundle
    (tmp_path / "ca.pem").write_bytes(base64.b64decode(ca_bundle))
    (tmp_path / "tls.pem").write_bytes(base64.b64decode(secret["data"]["tls.crt"]))
    result = subprocess.run(
        ["openssl", "verify", "-CAfile", str(tmp_path / "ca.pem"), "-verify_hostname", f"sluice-webhook.{NAMESPACE}.svc", str(tmp_path / "tls.pem")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    key = base64.b64decode(secret["data"]["tls.key"]).decode()
    assert "PRIVATE KEY" in key


def test_cert_manager():
    documents = render({"certManager": {"enabled": True}})
    assert by_kind(documents, "Secret") == []
    configuration = by_kind(documents, "MutatingWebhookConfiguration")[0]
    assert configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"] == f"{NAMESPACE}/sluice-webhook"
    assert "caBundle" not in configuration["webhooks"][0]["clientConfig"]
    certificates = {d["metadata"]["name"]: d for d in by_kind(documents, "Certificate")}
    serving = certificates["sluice-webhook"]
    assert serving["spec"]["secretName"] == "sluice-webhook-tls"
    assert f"sluice-webhook.{NAMESPACE}.svc" in serving["spec"]["dnsNames"]
    assert serving["spec"]["issuerRef"] == {"name": "sluice-webhook-ca", "kind": "Issuer", "group": "cert-manager.io"}
    assert certificates["sluice-webhook-ca"]["spec"]["isCA"] is True
    issuers = {d["metadata"]["name"]: d["spec"] for d in by_kind(documents, "Issuer")}
    assert issuers == {"sluice-webhook-selfsigned": {"selfSigned": {}}, "sluice-webhook-ca": {"ca": {"secretName": "sluice-webhook-ca"}}}

    external = render({"certManager": {"enabled": True, "issuerRef": {"name": "corp-ca", "kind": "ClusterIssuer"}}})
    assert by_kind(external, "Issuer") == []
    assert [c["spec"]["issuerRef"] for c in by_kind(external, "Certificate")] == [{"name": "corp-ca", "kind": "ClusterIssuer"}]


def test_toggles_reach_the_objects():
    fail = by_kind(render(TOGGLES["failurePolicy Fail"]), "MutatingWebhookConfiguration")[0]["webhooks"][0]
    assert fail["failurePolicy"] == "Fail" and fail["timeoutSeconds"] == 10
    everything = by_kind(render(TOGGLES["every namespace"]), "MutatingWebhookConfiguration")[0]["webhooks"][0]
    assert "namespaceSelector" not in everything and "objectSelector" not in everything
    args = by_kind(render(TOGGLES["require annotation"]), "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert "--require-annotation" in args
    assert by_kind(render(TOGGLES["no disruption budget"]), "PodDisruptionBudget") == []
    assert by_kind(render(TOGGLES["no service account"]), "ServiceAccount") == []
    assert by_kind(render(TOGGLES["no default policy"]), "ConfigMap") == []
    namespaces = sorted(c["metadata"]["namespace"] for c in by_kind(render(TOGGLES["policy in more namespaces"]), "ConfigMap"))
    assert namespaces == sorted([NAMESPACE, "shop", "support"])
    sidecar = by_kind(render(TOGGLES["sidecar image and resources"]), "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["args"]
    for flag in ["--image=registry.example.com/sluice:1.2.3", "--image-pull-policy=Always", "--policy-configmap=team-policy",
                 "--secret=team-keys", "--cpu-request=100m", "--cpu-limit=", "--memory-limit=512Mi"]:
        assert flag in sidecar


def test_webhook_flags_are_ones_the_binary_knows():
    """Every flag the chart passes to `sluice webhook` is in its --help."""
    args = by_kind(render(TOGGLES["require annotation"]), "Deployment")[0]["spec"]["template"]["spec"]["containers"][0]["args"]
    help_text = run_cli("webhook", "--help").stdout
    for arg in args[1:]:
        flag = arg.split("=", 1)[0]
        assert re.search(rf"{re.escape(flag)}\b", help_text), f"{flag} is not a `sluice webhook` flag"


@pytest.mark.parametrize("values", [
    {"webhook": {"failurePolicy": "Sometimes"}},
    {"webhook": {"replicas": "two"}},
    {"webhook": {"replicas": 0}},
    {"sidecar": {"appPort": 70000}},
    {"certManager": {"duration": "a year"}},
    {"unknownValue": True},
    {"defaultPolicy": {"namespaces": ["Not_A_Namespace"]}},
])
def test_schema_refuses_bad_values(values):
    h = helm()
    with h.Chart.load(str(CHART)) as chart:
        with pytest.raises(h.HelmError):
            chart.render(values=values, name="sluice", namespace=NAMESPACE)


# Values documented as a whole (a selector, a resources block), not key by key.
OPAQUE_VALUES = {"webhook.namespaceSelector", "webhook.objectSelector", "webhook.resources"}


def leaf_keys(values: dict, prefix: str = "") -> list[str]:
    """Dotted paths of every value in values.yaml (an empty map or a list is one value)."""
    keys = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and path not in OPAQUE_VALUES:
            keys += leaf_keys(value, path + ".")
        else:
            keys.append(path)
    return keys


def test_readme_documents_every_value():
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    readme = (CHART / "README.md").read_text()
    documented = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    missing = [key for key in leaf_keys(values) if key not in documented]
    assert missing == [], f"helm/sluice/README.md does not document {missing}"


def test_schema_describes_every_value():
    import json

    schema = json.loads((CHART / "values.schema.json").read_text())
    values = yaml.safe_load((CHART / "values.yaml").read_text())

    def walk(value, node, path):
        for key, child in value.items():
            assert key in node.get("properties", {}), f"values.schema.json has no {path}{key}"
            if isinstance(child, dict) and "properties" in node["properties"][key]:
                walk(child, node["properties"][key], f"{path}{key}.")

    walk(values, schema, "")


def test_default_policy_validates(tmp_path):
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    path = tmp_path / "policy.yaml"
    path.write_text(values["defaultPolicy"]["policy"])
    result = run_cli("validate", str(path))
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stdout + result.stderr
