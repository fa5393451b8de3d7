"""Runs the built `sluice` binary and follows its JSON log on stdout."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

from wire import REPO_ROOT

READY_TIMEOUT_SECONDS = 15
STOP_TIMEOUT_SECONDS = 30


def binary_path() -> Path:
    """$SLUICE_BIN (scripts/test sets it), else the debug build in .build/debug."""
    path = Path(os.environ.get("SLUICE_BIN") or REPO_ROOT / ".build" / "debug" / "sluice")
    if not path.is_file():
        raise FileNotFoundError(f"sluice binary not found at {path}: run `swift build` or set SLUICE_BIN")
    return path


def run_cli(*args: str, timeout: float = 30, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs a one-shot subcommand such as `sluice validate FILE`."""
    return subprocess.run(
        [str(binary_path()), *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=REPO_ROOT
    )


class SluiceProcess:
    """One `sluice run --policy FILE`, started, followed until `ready`, stopped by PID."""

    def __init__(
        self,
        policy: Path,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
        binary: Path | None = None,
        prefix: tuple[str, ...] = (),
    ):
        """`binary` replaces the built one; `prefix` is a command that execs it (`setpriv …`), so the
        PID is still Sluice's."""
        self.policy = policy
        self._binary = binary
        self._prefix = prefix
        self._env = {**os.environ, **(env or {})}
        self._args = args
        self._lines: list[str] = []
        self._logs: list[dict] = []
        self._changed = threading.Condition()
        self._readers: list[threading.Thread] = []
        self.process: subprocess.Popen | None = None
        self.ports: dict[str, int] = {}
        self.started_at = 0.0

    # Start and stop

    def start(self) -> SluiceProcess:
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [*self._prefix, str(self._binary or binary_path()), "run", "--policy", str(self.policy), *self._args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
            cwd=REPO_ROOT,
        )
        for stream, is_stdout in ((self.process.stdout, True), (self.process.stderr, False)):
            reader = threading.Thread(target=self._read, args=(stream, is_stdout), daemon=True)
            reader.start()
            self._readers.append(reader)
        self.wait_for_log(lambda log: log.get("msg") == "ready", READY_TIMEOUT_SECONDS, "the `ready` line")
        for log in self.logs:
            if log.get("msg") == "listening":
                self.ports[log["listener"]] = int(log["address"].rsplit(":", 1)[1])
        assert {"app", "admin"} <= self.ports.keys(), f"no listening line for app and admin:\n{self.output()}"
        return self

    def signal(self, sig: int = signal.SIGTERM) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = STOP_TIMEOUT_SECONDS) -> int:
        assert self.process is not None
        code = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(5)
        return code

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL if it does not exit in time. Returns the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.wait()
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return self.process.returncode

    # Addresses

    @property
    def app_port(self) -> int:
        return self.ports["app"]

    @property
    def admin_port(self) -> int:
        return self.ports["admin"]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.app_port}/v1"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.admin_port}"

    # The log

    @property
    def logs(self) -> list[dict]:
        """Every stdout line parsed as JSON (a line that is not JSON becomes {"raw": line})."""
        with self._changed:
            return list(self._logs)

    def output(self) -> str:
        """Everything the process printed on stdout and stderr so far, for failure messages."""
        with self._changed:
            return "\n".join(self._lines)

    def wait_for_log(self, predicate: Callable[[dict], bool], timeout: float, what: str) -> dict:
        """Waits until a log line matches; fails with the output if the process exits first."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for log in self._logs:
                    if predicate(log):
                        return log
                exited = self.process is not None and self.process.poll() is not None
                remaining = deadline - time.monotonic()
                if exited and all(not reader.is_alive() for reader in self._readers):
                    output = "\n".join(self._lines)
                    raise AssertionError(f"sluice exited with {self.process.returncode} before {what}:\n{output}")
                if remaining <= 0:
                    output = "\n".join(self._lines)
                    raise AssertionError(f"no {what} within {timeout}s:\n{output}")
                self._changed.wait(min(remaining, 0.5))

    def access_log(self, request_id: str, timeout: float = 5) -> dict:
        return self.wait_for_log(
            lambda log: log.get("msg") == "access" and log.get("request_id") == request_id,
            timeout,
            f"an access line for request {request_id}",
        )

    def _read(self, stream, is_stdout: bool) -> None:
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._changed:
                self._lines.append(line if is_stdout else f"[stderr] {line}")
                if is_stdout:
                    try:
                        parsed = json.loads(line)
                    except ValueError:
                        parsed = None
                    self._logs.append(parsed if isinstance(parsed, dict) else {"raw": line})
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()
