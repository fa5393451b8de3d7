"""A fleet of Sluice processes sharing limits and spend through a real PostgreSQL.

The server is Debian's `postgresql`, started by scripts/postgres-server in a temporary folder on
a loopback port and stopped by process id; these tests stop and resume it to make an outage.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

import policies

from sluice_process import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "postgres-server"
LEASE_PERCENT = 5
LIMIT = 300


class Postgres:
    def __init__(self, directory: Path):
        self.directory = directory
        output = self._run("start")
        fields = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
        self.url = fields["url"]

    def _run(self, action: str) -> str:
        result = subprocess.run(
            [str(SCRIPT), action, str(self.directory)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, f"postgres-server {action} failed:\n{result.stderr}"
        return result.stdout

    def stop(self) -> None:
        self._run("stop")

    def resume(self) -> None:
        self._run("resume")

    def query(self, sql: str) -> str:
        result = subprocess.run(
            ["psql", self.url, "-tAc", sql], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture
def postgres():
    # Directly under /tmp: the postgres user must reach the folder, and pytest's own temporary
    # folders are private to root.
    directory = Path(tempfile.mkdtemp(prefix="sluice-pg-"))
    try:
        server = Postgres(directory)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def fleet_policy(limits: str, on_error: str = "fail_open", extra: str = "") -> str:
    return policies.mock_only_policy() + f"""\
limits_store:
  postgres: {{ url: {{ env: SLUICE_PG_URL }} }}
  lease: {LEASE_PERCENT}%
  on_store_error: {on_error}
workloads:
  checkout:
    limits:
{limits}
{extra}
"""


CHAT = json.dumps({"model": "demo-chat", "messages": [{"role": "user", "content": "hello"}]}).encode()


def post(sluice) -> tuple[int, dict]:
    request = urllib.request.Request(
        sluice.base_url + "/chat/completions", data=CHAT, headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def readyz(sluice) -> str:
    with urllib.request.urlopen(sluice.admin_url + "/readyz", timeout=5) as answer:
        return answer.read().decode()


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_three_sidecars_share_one_limit(start_sluice, postgres):
    policy = fleet_policy(f"      requests_per_minute: {LIMIT}")
    env = {"SLUICE_PG_URL": postgres.url, "SLUICE_WORKLOAD": "checkout"}
    fleet = [start_sluice(policy, env=env) for _ in range(3)]
    started = time.monotonic()
    statuses = [post(fleet[index % 3])[0] for index in range(1000)]
    elapsed = time.monotonic() - started
    admitted = statuses.count(200)
    assert set(statuses) <= {200, 429}
    # The documented bound: the limit, plus one lease per sidecar admitted on credit, plus what
    # the bucket refilled while the test ran (the limit per minute).
    lease = math.ceil(LIMIT * LEASE_PERCENT / 100)
    refilled = math.ceil(LIMIT * elapsed / 60)
    bound = LIMIT + 3 * lease + refilled
    print(f"fleet: admitted {admitted} of 1000 in {elapsed:.2f}s; bound {bound} (limit {LIMIT}, "
          f"3 leases of {lease}, refill {refilled}); overshoot {admitted - LIMIT - refilled}")
    assert LIMIT <= admitted <= bound


@pytest.mark.parametrize("on_error", ["fail_open", "fail_closed"])
def test_store_outage_and_recovery(start_sluice, postgres, on_error):
    policy = fleet_policy(
        "      requests_per_minute: 100000\n      budget: { usd_per_day: 1000 }",
        on_error,
        "prices:\n  demo/demo-chat: { input: 5000, output: 5000 }",
    )
    sluice = start_sluice(policy, env={"SLUICE_PG_URL": postgres.url, "SLUICE_WORKLOAD": "checkout"})
    for _ in range(5):
        assert post(sluice)[0] == 200
    wait_until(lambda: "limits_store: ok" in readyz(sluice), 10, "the store to be used")

    postgres.stop()
    wait_until(lambda: "unreachable" in readyz(sluice), 20, "/readyz to show the outage")
    assert any(log.get("msg") == "limits store unreachable" for log in sluice.logs)
    during = [post(sluice) for _ in range(5)]
    if on_error == "fail_open":
        assert [status for status, _ in during] == [200] * 5
    else:
        assert [status for status, _ in during] == [503] * 5
        error = during[0][1]["error"]
        assert error["code"] == "limits_store_unavailable"
        assert "fail_closed" in error["message"]

    postgres.resume()
    wait_until(lambda: "limits_store: ok" in readyz(sluice), 30, "the store to come back")
    assert post(sluice)[0] == 200
    sluice.wait_for_log(lambda log: log.get("msg") == "limits store reachable again", 10, "the recovery line")

    # Every answered request's cost is in the store exactly once: none lost in the outage, none
    # counted twice by the batches retried after it.
    time.sleep(1.5)  # one more spend interval
    costs = [
        round(float(log["cost_usd"]) * 1e9)
        for log in sluice.logs
        if log.get("msg") == "access" and log.get("status") == 200
    ]
    day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    stored = postgres.query(
        f"select coalesce(sum(cost_nano_usd), 0) from sluice_spend_totals where workload = 'checkout' and period = '{day}'"
    )
    assert int(stored) == sum(costs)
    assert len(costs) == (11 if on_error == "fail_open" else 6)
