"""examples/compose: the compose file is valid (`docker compose config` where the plugin is
installed, the Compose Specification's schema everywhere), says what the README says, and its
policy and app work together against the real `sluice run`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import yaml

from conftest import REPO_ROOT, Process, require_tool

EXAMPLE = REPO_ROOT / "examples" / "compose"
COMPOSE = EXAMPLE / "compose.yaml"


def compose_plugin() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0


def test_compose_file_is_valid():
    """Against the Compose Specification's JSON schema (always), and `docker compose config`
    (where the plugin is installed; it is not on every machine, and then the schema alone
    decides)."""
    checker = require_tool("check-jsonschema")
    result = subprocess.run([checker, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    if compose_plugin():
        config = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"], capture_output=True, text=True, cwd=EXAMPLE)
        assert config.returncode == 0, config.stderr
    else:
        print("docker compose plugin not installed: validated against the compose-spec schema only", file=sys.stderr)


def test_compose_file_says_what_the_readme_says():
    compose = yaml.safe_load(COMPOSE.read_text())
    sluice, app = compose["services"]["sluice"], compose["services"]["app"]
    assert app["network_mode"] == "service:sluice"
    assert app["depends_on"]["sluice"]["condition"] == "service_healthy"
    assert app["environment"]["OPENAI_BASE_URL"] == "http://127.0.0.1:4000/v1"
    mount = sluice["volumes"][0]
    assert mount == {"type": "bind", "source": "./policy", "target": "/etc/sluice", "read_only": True}
    assert sluice["command"] == ["run", "--policy", "/etc/sluice/policy.yaml"]
    assert sluice["secrets"] == ["openai_key"]
    assert compose["secrets"]["openai_key"]["file"] == "./secrets/openai_key"
    assert (EXAMPLE / "secrets" / "openai_key").is_file()
    assert sluice["read_only"] is True and app["read_only"] is True
    policy = yaml.safe_load((EXAMPLE / "policy" / "policy.yaml").read_text())
    assert policy["providers"]["openai"]["api_key"] == {"file": "/run/secrets/openai_key"}
    assert policy["providers"]["demo"]["type"] == "mock"
    assert policy["listen"]["app"] == "127.0.0.1:4000"
    assert policy["listen"]["admin"] == "0.0.0.0:9901"
    assert sluice["ports"] == ["127.0.0.1:9901:9901"]


def test_example_app_runs_against_sluice_on_the_example_policy(tmp_path, processes):
    try:
        import openai  # noqa: F401  (app.py needs it)
    except ImportError:
        raise AssertionError("the openai package is not installed: run scripts/install-deploy-deps") from None
    policy = (EXAMPLE / "policy" / "policy.yaml").read_text()
    policy = policy.replace("/run/secrets/openai_key", str(EXAMPLE / "secrets" / "openai_key"))
    policy = policy.replace("127.0.0.1:4000", "127.0.0.1:0").replace("0.0.0.0:9901", "127.0.0.1:0")
    path = tmp_path / "policy.yaml"
    path.write_text(policy)
    process = Process("run", "--policy", str(path), env={"SLUICE_WORKLOAD": "demo-app"})
    processes.append(process)
    process.start(wait_for="ready")
    app_port = process.ports()["app"]
    env = {**os.environ, "OPENAI_BASE_URL": f"http://127.0.0.1:{app_port}/v1", "OPENAI_API_KEY": "unused",
           "ITERATIONS": "2", "INTERVAL_SECONDS": "0.1"}
    result = subprocess.run([sys.executable, str(EXAMPLE / "app" / "app.py")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("chat: 'Mock answer") == 2, result.stdout
    assert result.stdout.count("stream: Mock answer") == 2, result.stdout

    # The README's reload: rename the model, and the app's model is gone.
    path.write_text(policy.replace("  gpt-4o-mini:", "  gpt-4o:"))
    process.wait_for(lambda line: "policy reloaded" in line, 10, "the reload")
    env["ITERATIONS"] = "1"
    result = subprocess.run([sys.executable, str(EXAMPLE / "app" / "app.py")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "does not exist in this Sluice policy" in result.stdout
    assert process.stop() == 0
