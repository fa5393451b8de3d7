"""Hot reload: the policy file and the files it names are watched; SIGHUP reloads at once."""

from __future__ import annotations

import json
import os
import signal
import statistics
import threading
import time
from pathlib import Path

import http_client
import policies
from sluice_process import SluiceProcess

RELOAD_TIMEOUT_SECONDS = 10


def mock_policy(models: list[str], extra: str = "") -> str:
    routes = "\n".join(f"  {name}:\n    targets: [ {{ provider: demo, model: {name}-served }} ]" for name in models)
    return policies.policy_head("  drain_timeout: 10s\n") + f"""\
providers:
  demo:
    type: mock
{extra}
models:
{routes}
"""


def model_ids(sluice: SluiceProcess) -> set[str]:
    return {entry["id"] for entry in http_client.get(sluice.app_port, "/v1/models").json()["data"]}


def wait_for_models(sluice: SluiceProcess, expected: set[str]) -> float:
    """Polls /v1/models until it lists `expected`; returns how long that took."""
    start = time.monotonic()
    while time.monotonic() - start < RELOAD_TIMEOUT_SECONDS:
        if model_ids(sluice) == expected:
            return time.monotonic() - start
        time.sleep(0.01)
    raise AssertionError(f"models still {model_ids(sluice)}, expected {expected}:\n{sluice.output()}")


def start(tmp_path: Path, sluice_env: dict, policy_path: Path) -> SluiceProcess:
    return SluiceProcess(policy_path, sluice_env).start()


def test_overwrite_in_place(tmp_path, sluice_env):
    path = policies.write(tmp_path, "policy.yaml", mock_policy(["a"]))
    sluice = start(tmp_path, sluice_env, path)
    try:
        with open(path, "w") as file:  # same inode, new bytes
            file.write(mock_policy(["a", "b"]))
        took = wait_for_models(sluice, {"a", "b"})
        assert took < 1.0, f"took {took:.2f}s"
    finally:
        sluice.stop()


def test_editor_write_and_rename(tmp_path, sluice_env):
    path = policies.write(tmp_path, "policy.yaml", mock_policy(["a"]))
    sluice = start(tmp_path, sluice_env, path)
    try:
        policies.write(tmp_path, ".policy.yaml.swp", mock_policy(["c"]))
        os.replace(tmp_path / ".policy.yaml.swp", path)
        assert wait_for_models(sluice, {"c"}) < 1.0
    finally:
        sluice.stop()


def configmap_update(mount: Path, stamp: str, files: dict[str, str]) -> None:
    """What the kubelet does: a new timestamped folder, `..data` swapped to it atomically, the old removed."""
    folder = mount / f"..{stamp}"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    old = os.readlink(mount / "..data") if (mount / "..data").is_symlink() else None
    os.symlink(folder.name, mount / "..data_tmp")
    os.rename(mount / "..data_tmp", mount / "..data")
    for name in files:
        if not (mount / name).is_symlink():
            os.symlink(f"..data/{name}", mount / name)
    if old:
        for child in (mount / old).iterdir():
            child.unlink()
        (mount / old).rmdir()


def test_kubernetes_configmap_symlink_swap(tmp_path, sluice_env):
    mount = tmp_path / "config"
    mount.mkdir()
    configmap_update(mount, "2026_11_25_10_00_00.000000001", {"policy.yaml": mock_policy(["a"])})
    sluice = start(tmp_path, sluice_env, mount / "policy.yaml")
    try:
        configmap_update(mount, "2026_11_25_10_05_00.000000002", {"policy.yaml": mock_policy(["a", "k8s"])})
        assert wait_for_models(sluice, {"a", "k8s"}) < 1.0
        configmap_update(mount, "2026_11_25_10_06_00.000000003", {"policy.yaml": mock_policy(["k8s"])})
        assert wait_for_models(sluice, {"k8s"}) < 1.0
    finally:
        sluice.stop()


def test_invalid_file_keeps_the_last_good_policy(tmp_path, sluice_env):
    path = policies.write(tmp_path, "policy.yaml", mock_policy(["a"]))
    sluice = start(tmp_path, sluice_env, path)
    try:
        path.write_text(mock_policy(["a"]).replace("type: mock", "type: mock\n    colour: blue"))
        failure = sluice.wait_for_log(
            lambda log: log.get("msg", "").startswith("policy reload failed"), RELOAD_TIMEOUT_SECONDS, "a reload error"
        )
        assert failure["problem"].startswith(f"{path}:11:5: unknown key 'colour'"), failure
        assert model_ids(sluice) == {"a"}
        assert http_client.get(sluice.admin_port, "/readyz").status == 200
        config = http_client.get(sluice.admin_port, "/config").json()
        assert config["failed_reloads"] == 1 and f"{path}:11:5" in config["last_error"]
        metrics = http_client.get(sluice.admin_port, "/metrics").body.decode()
        assert 'sluice_policy_reloads_total{result="error"} 1' in metrics
        # Fixing the file applies it.
        path.write_text(mock_policy(["fixed"]))
        wait_for_models(sluice, {"fixed"})
        metrics = http_client.get(sluice.admin_port, "/metrics").body.decode()
        assert 'sluice_policy_reloads_total{result="ok"} 1' in metrics
    finally:
        sluice.stop()


def test_sighup_reloads(tmp_path, sluice_env):
    path = policies.write(tmp_path, "policy.yaml", mock_policy(["a"]))
    sluice = start(tmp_path, sluice_env, path)
    try:
        sluice.signal(signal.SIGHUP)
        sluice.wait_for_log(
            lambda log: log.get("msg") == "reloading policy" and log.get("reason") == "SIGHUP",
            RELOAD_TIMEOUT_SECONDS,
            "a SIGHUP reload",
        )
        sluice.wait_for_log(lambda log: log.get("msg") == "policy reloaded", RELOAD_TIMEOUT_SECONDS, "the reload")
        assert sluice.process.poll() is None, "SIGHUP must not stop Sluice"
    finally:
        sluice.stop()


def test_rotated_secret_file_is_used_by_the_next_request(tmp_path, sluice_env, provider):
    import wire

    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    key_file = tmp_path / "key"
    key_file.write_text("sk-first\n")
    policy = policies.single_provider_policy(provider.base_url, recording.model).replace(
        f"{{ env: {policies.ENV_KEY_VARIABLE} }}", f"{{ file: {key_file} }}"
    )
    path = policies.write(tmp_path, "policy.yaml", policy)
    sluice = start(tmp_path, sluice_env, path)
    try:
        http_client.post(sluice.app_port, recording.path, recording.request_body)
        assert provider.requests[-1].header("authorization") == "Bearer sk-first"
        key_file.write_text("sk-second\n")
        sluice.wait_for_log(lambda log: log.get("msg") == "policy reloaded", RELOAD_TIMEOUT_SECONDS, "the reload")
        http_client.post(sluice.app_port, recording.path, recording.request_body)
        assert provider.requests[-1].header("authorization") == "Bearer sk-second"
    finally:
        sluice.stop()


def test_reload_under_load(tmp_path, sluice_env):
    """16 requests in flight (some streaming) while the policy is replaced 20 times, valid and invalid."""
    variants = [mock_policy(["m", "alpha"]), mock_policy(["m", "beta"])]
    path = policies.write(tmp_path, "policy.yaml", variants[0])
    sluice = start(tmp_path, sluice_env, path)
    failures: list[str] = []
    served: list[str] = []
    stop = threading.Event()

    def client(number: int) -> None:
        streaming = number % 4 == 0
        while not stop.is_set():
            body = {"model": "m", "stream": streaming, "messages": [{"role": "user", "content": f"client {number}"}]}
            try:
                response = http_client.post(sluice.app_port, "/v1/chat/completions", body)
            except Exception as error:  # noqa: BLE001 - any failure counts
                failures.append(f"client {number}: {error!r}")
                continue
            if response.status != 200:
                failures.append(f"client {number}: {response.status} {response.body[:200]!r}")
                continue
            text = response.body.decode()
            if streaming and not text.endswith("data: [DONE]\n\n"):
                failures.append(f"client {number}: stream cut: {text[-80:]!r}")
            served.append(text)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    timings = []
    try:
        for round_number in range(20):
            if round_number % 2 == 0:
                variant = variants[(round_number // 2 + 1) % 2]
                expected = {"m", "alpha"} if variant is variants[0] else {"m", "beta"}
                changed = time.monotonic()
                path.write_text(variant)
                wait_for_models(sluice, expected)
                timings.append(time.monotonic() - changed)
            else:
                errors_before = sum(1 for log in sluice.logs if log.get("msg", "").startswith("policy reload failed"))
                path.write_text("version: 1\nlisten: [not, a, mapping]\n")
                sluice.wait_for_log(
                    lambda log, n=errors_before: sum(
                        1 for line in sluice.logs if line.get("msg", "").startswith("policy reload failed")
                    ) > n,
                    RELOAD_TIMEOUT_SECONDS,
                    "the invalid file reported",
                )
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        sluice.stop()
    assert not failures, failures[:5]
    assert len(served) > 100
    print(f"\nreload: change to new policy served, median {statistics.median(timings) * 1000:.0f} ms over {len(timings)}")
