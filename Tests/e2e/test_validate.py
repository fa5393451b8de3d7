"""`sluice validate FILE`: `ok` and exit 0, or one `FILE:LINE:COL: message` per problem and exit 1.

The expected messages are the ones Tests/SluicePolicyTests checks on the loader itself; here
they are checked as the command prints them.
"""

from __future__ import annotations

import os

import pytest

import policies
from sluice_process import run_cli
from wire import REPO_ROOT

MINIMAL = "version: 1\nlisten:\n  app: 127.0.0.1:4000\n"

BAD_POLICIES = {
    "yaml syntax": (
        "version: 1\nlisten: x\n  app: 127.0.0.1:4000\n",
        ["3:6: invalid YAML: mapping values are not allowed in this context"],
    ),
    "unknown key": (
        "version: 1\nlistn:\n  app: 127.0.0.1:4000\n",
        [
            "1:1: missing required key 'listen' in policy",
            "2:1: unknown key 'listn' in policy; expected one of: version, listen, server, providers, models, workloads, limits_store, prices",
        ],
    ),
    "unsupported version": (
        "version: 2\nlisten: {}\nbogus: 1\n",
        ["1:10: unsupported policy version 2; this version of Sluice reads version 1"],
    ),
    "wrong type": (
        'version: "1"\nlisten:\n  app: 127.0.0.1:4000\n',
        ["1:10: 'version' must be an integer, got string \"1\""],
    ),
    "unknown provider": (
        MINIMAL + "providers:\n  demo: { type: mock }\nmodels:\n  m:\n    targets: [ { provider: nope } ]\n",
        ["8:28: model 'm' targets unknown provider 'nope'; defined providers: demo"],
    ),
    "key written into the policy": (
        MINIMAL + "providers:\n  openai:\n    type: openai\n    api_key: sk-literal\n",
        ["7:14: 'api_key' must be { env: NAME } or { file: PATH }; never write the key itself into the policy"],
    ),
}


@pytest.fixture
def write(tmp_path):
    def write(text: str, name: str = "policy.yaml"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write


def test_minimal_policy_is_ok(write):
    path = write(MINIMAL)

    result = run_cli("validate", str(path))

    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr


def test_quickstart_policy_is_ok():
    result = run_cli("validate", str(REPO_ROOT / "examples" / "quickstart" / "policy.yaml"))

    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stderr


def test_e2e_policy_is_ok(sluice, sluice_env):
    result = run_cli("validate", str(sluice.policy), env={**os.environ, **sluice_env})

    assert (result.returncode, result.stdout.strip()) == (0, "ok"), result.stdout + result.stderr


@pytest.mark.parametrize("name", BAD_POLICIES)
def test_bad_policy_prints_each_problem_with_its_position(write, name):
    text, expected = BAD_POLICIES[name]
    path = write(text)

    result = run_cli("validate", str(path))

    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{path}:{line}" for line in expected], result.stdout + result.stderr


def test_missing_secret_is_an_error(write):
    text = MINIMAL + "providers:\n  openai:\n    type: openai\n    api_key: { env: SLUICE_E2E_UNSET_VARIABLE }\n"
    path = write(text)

    env = {name: value for name, value in os.environ.items() if name != "SLUICE_E2E_UNSET_VARIABLE"}
    result = run_cli("validate", str(path), env=env)

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:7:"), result.stdout
    assert "SLUICE_E2E_UNSET_VARIABLE" in lines[0]


def test_missing_key_file_is_an_error(write, tmp_path):
    missing = tmp_path / "no-such-key"
    path = write(MINIMAL + f"providers:\n  openai:\n    type: openai\n    api_key: {{ file: {missing} }}\n")

    result = run_cli("validate", str(path))

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:7:"), result.stdout
    assert str(missing) in lines[0]


def test_bad_duration_is_an_error(write):
    path = write(MINIMAL + "providers:\n  openai:\n    type: openai\n    timeouts: { connect: 2 seconds }\n")

    result = run_cli("validate", str(path))

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:7:"), result.stdout
    assert "2 seconds" in lines[0]


def test_secret_value_never_printed(write, tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text(policies.FILE_KEY)
    path = write(
        MINIMAL + f"providers:\n  openai:\n    type: openai\n    api_key: {{ file: {key_file} }}\n    bogus: 1\n"
    )

    result = run_cli("validate", str(path))

    assert result.returncode == 1
    assert policies.FILE_KEY not in result.stdout + result.stderr


def test_missing_file(tmp_path):
    result = run_cli("validate", str(tmp_path / "absent.yaml"))

    assert result.returncode == 1
    assert str(tmp_path / "absent.yaml") in result.stdout + result.stderr
