"""Fixtures for the deployment checks: the built `sluice`, tools that must be installed, and
`sluice` processes stopped by PID."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT / "Tests" / "SluiceKubeTests" / "Corpus"
GOLDEN_IMAGE = "ghcr.io/sluice-gateway/sluice:golden"


def binary_path() -> Path:
    """$SLUICE_BIN (scripts/test sets it), else the debug build in .build/debug."""
    path = Path(os.environ.get("SLUICE_BIN") or REPO_ROOT / ".build" / "debug" / "sluice")
    if not path.is_file():
        raise FileNotFoundError(f"sluice binary not found at {path}: run `swift build` or set SLUICE_BIN")
    return path


def require_tool(name: str) -> str:
    """The path of a command the checks need; fails (never skips) when it is missing."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run scripts/install-deploy-deps", pytrace=False)
    return path


@pytest.fixture(scope="session", autouse=True)
def sluice_binary(tmp_path_factory) -> Iterator[Path]:
    """A copy of the built binary, so a rebuild during the run cannot change it."""
    copy = tmp_path_factory.mktemp("bin") / "sluice"
    shutil.copy2(binary_path(), copy)
    previous = os.environ.get("SLUICE_BIN")
    os.environ["SLUICE_BIN"] = str(copy)
    yield copy
    if previous is None:
        os.environ.pop("SLUICE_BIN")
    else:
        os.environ["SLUICE_BIN"] = previous


def run_cli(*args: str, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs a one-shot subcommand such as `sluice inject -f FILE`."""
    return subprocess.run(
        [str(binary_path()), *args], input=input, capture_output=True, text=True, timeout=timeout, cwd=REPO_ROOT
    )


def inject(*args: str, input: str | None = None) -> str:
    """`sluice inject ARGS`; its stdout, after checking it exited 0."""
    result = run_cli("inject", *args, input=input)
    assert result.returncode == 0, f"sluice inject {' '.join(args)} exited {result.returncode}:\n{result.stderr}"
    return result.stdout


class Process:
    """A long-running `sluice` subcommand, its output collected, stopped by PID."""

    def __init__(self, *args: str, env: dict[str, str] | None = None):
        self.args = args
        self.env = {**os.environ, **(env or {})}
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.process: subprocess.Popen | None = None

    def start(self, wait_for: str = "ready", timeout: float = 15) -> Process:
        self.process = subprocess.Popen(
            [str(binary_path()), *self.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            cwd=REPO_ROOT,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(lambda line: wait_for in line, timeout, f"a line with {wait_for!r}")
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines:
                    if predicate(line):
                        return line
                if self.process is not None and self.process.poll() is not None:
                    raise AssertionError(f"sluice exited {self.process.returncode} before {what}:\n{self.output()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {what} within {timeout}s:\n{self.output()}")
                self.changed.wait(min(remaining, 0.5))

    def ports(self) -> dict[str, int]:
        """Listener name (app, admin, webhook) to port, from the `listening` lines."""
        found: dict[str, int] = {}
        for line in self.lines:
            if "listening" not in line:
                continue
            match = re.search(r"(?:127\.0\.0\.1|0\.0\.0\.0):(\d+)", line)
            listener = re.search(r'listener"?[=:]\s*"?(\w+)', line)
            if match and listener:
                found[listener.group(1)] = int(match.group(1))
        return found

    def output(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
                raise AssertionError(f"sluice did not exit within {timeout}s of signal {sig}:\n{self.output()}")
        return self.process.returncode


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """Processes a test starts; each is stopped by PID at teardown."""
    started: list[Process] = []
    yield started
    for process in started:
        if process.process is not None and process.process.poll() is None:
            process.process.kill()
            process.process.wait(10)


def kubernetes_validate(document: dict, what: str) -> None:
    """Validates one object against the Kubernetes schemas (strict: unknown fields fail)."""
    import kubernetes_validate as kv

    try:
        kv.validate(document, kv.latest_version(), strict=True)
    except kv.ValidationError as error:
        raise AssertionError(f"{what}: {document.get('kind')} {document.get('metadata', {}).get('name')}: {error.message} at {list(error.path)}") from None
