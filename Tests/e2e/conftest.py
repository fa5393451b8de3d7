"""Fixtures for the end-to-end tests: the recording provider, policies and Sluice processes."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import policies
from provider import RecordingProvider
from sluice_process import SluiceProcess, binary_path


@pytest.fixture(scope="session", autouse=True)
def sluice_binary(tmp_path_factory) -> Iterator[Path]:
    """A copy of the built binary, so a rebuild during the run cannot change or crash it.
    Fails the run (never skips it) when the binary has not been built."""
    copy = tmp_path_factory.mktemp("bin") / "sluice"
    shutil.copy2(binary_path(), copy)
    previous = os.environ.get("SLUICE_BIN")
    os.environ["SLUICE_BIN"] = str(copy)
    yield copy
    if previous is None:
        os.environ.pop("SLUICE_BIN")
    else:
        os.environ["SLUICE_BIN"] = previous


@pytest.fixture(autouse=True)
def sluice_still_running(request):
    """After each test that used the shared Sluice, fails with its output if it has exited."""
    yield
    if "sluice" in request.fixturenames:
        process = request.getfixturevalue("sluice")
        if process.process.poll() is not None:
            pytest.fail(f"sluice exited with {process.process.returncode}:\n{process.output()[-5000:]}")


@pytest.fixture(scope="session")
def sluice_env() -> dict[str, str]:
    return {policies.ENV_KEY_VARIABLE: policies.ENV_KEY}


@pytest.fixture(scope="session")
def recording_provider() -> Iterator[RecordingProvider]:
    provider = RecordingProvider()
    yield provider
    provider.close()


@pytest.fixture
def provider(recording_provider: RecordingProvider) -> RecordingProvider:
    """The session's recording provider with no replies set and no requests remembered."""
    recording_provider.reset()
    return recording_provider


@pytest.fixture(scope="session")
def silent_url() -> Iterator[str]:
    """A provider that accepts connections (the kernel's backlog does) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"


@pytest.fixture(scope="session")
def unreachable_url() -> str:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture(scope="session")
def sluice(tmp_path_factory, recording_provider, silent_url, unreachable_url, sluice_env) -> Iterator[SluiceProcess]:
    """Sluice on the main policy: every recorded model, a renamed model, mock, broken providers."""
    directory = tmp_path_factory.mktemp("sluice-main")
    key_file = directory / "provider.key"
    key_file.write_text(policies.FILE_KEY + "\n")
    policy = policies.MainPolicy(recording_provider.base_url, key_file, unreachable_url, silent_url)
    process = SluiceProcess(policies.write(directory, "policy.yaml", policy.yaml()), sluice_env)
    try:
        yield process.start()
    finally:
        process.stop()


@pytest.fixture
def start_sluice(tmp_path, sluice_env) -> Iterator[Callable[..., SluiceProcess]]:
    """Starts extra Sluice processes on a policy text; each is stopped by PID at teardown."""
    started: list[SluiceProcess] = []

    def start(policy_text: str, env: dict[str, str] | None = None) -> SluiceProcess:
        path = policies.write(tmp_path, f"policy-{len(started)}.yaml", policy_text)
        process = SluiceProcess(path, {**sluice_env, **(env or {})})
        started.append(process)
        return process.start()

    yield start
    for process in started:
        process.stop()
