"""nginx as a test provider: a foreground process in a temporary prefix, stopped by PID."""

from __future__ import annotations

import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_SECONDS = 10

# One line per request: the connection serial number first, so reuse can be counted.
LOG_FORMAT = "'$connection $server_port $server_protocol $request_method $request_uri $status \"$http_authorization\"'"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def quoted(text: str) -> str:
    """`text` as a single-quoted nginx string, e.g. for `return 200 '...'`."""
    assert "$" not in text, "nginx would read $ as a variable; pick a body without one"
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class AccessLine:
    connection: int
    port: int
    protocol: str
    method: str
    uri: str
    status: int
    authorization: str


class Nginx:
    """Runs `nginx -p DIR -c nginx.conf` with `daemon off`; `http_block` is the http { } body."""

    def __init__(self, directory: Path, http_block: str, ports: list[int]):
        self.directory = directory
        self.ports = ports
        directory.mkdir(parents=True, exist_ok=True)
        self.access_log = directory / "access.log"
        self.error_log = directory / "error.log"
        (directory / "nginx.conf").write_text(
            f"""
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {self.error_log} notice;
events {{ worker_connections 1024; }}
http {{
    log_format sluice_e2e {LOG_FORMAT};
    access_log {self.access_log} sluice_e2e;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    keepalive_requests 100000;
{http_block}
}}
"""
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        self.process = subprocess.Popen(
            ["nginx", "-p", str(self.directory), "-c", str(self.directory / "nginx.conf")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # nginx has no readiness signal: poll its ports, bounded, failing with its error log.
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        for port in self.ports:
            while not _accepts(port):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"nginx did not start:\n{self.errors()}")
                time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def errors(self) -> str:
        stderr = self.process.stderr.read().decode() if self.process and self.process.poll() is not None else ""
        log = self.error_log.read_text() if self.error_log.exists() else ""
        return stderr + log

    def access_lines(self) -> list[AccessLine]:
        # nginx writes the access line after the response is sent, so it may trail the client a little.
        lines = []
        for line in self.access_log.read_text().splitlines() if self.access_log.exists() else []:
            head, _, authorization = line.partition(' "')
            connection, port, protocol, method, uri, status = head.split(" ")
            lines.append(
                AccessLine(int(connection), int(port), protocol, method, uri, int(status), authorization.rstrip('"'))
            )
        return lines

    def wait_for_access_lines(self, count: int, timeout: float = 5) -> list[AccessLine]:
        deadline = time.monotonic() + timeout
        while len(lines := self.access_lines()) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return lines


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
