"""Measurement helpers for bench/run.

  measure.py cpu PID...                 CPU time (utime+stime) of the processes, in microseconds
  measure.py memory PID                 VmRSS and VmHWM in KiB, as `rss hwm`
  measure.py split PID...               user and system CPU microseconds and voluntary and involuntary
                                        context switches of the processes, all threads summed, as
                                        `user_us system_us voluntary involuntary`
  measure.py cell --tool wrk|h2load --output FILE [--log FILE] --cpu-us N [--label k=v ...] --append FILE
                                        adds one JSON line to results.jsonl from a load run's output
  measure.py meta KEY=VALUE...         the run's facts as a JSON object (numbers stay numbers)
  measure.py ready BIN POLICY ADMIN_PORT [--runs N]
                                        median milliseconds from exec to /readyz 200, and the
                                        VmRSS in KiB right then
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def cpu_microseconds(pids: list[int]) -> int:
    total_ticks = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        total_ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total_ticks * 1_000_000 // TICKS_PER_SECOND


def cpu_split(pids: list[int]) -> tuple[int, int, int, int]:
    """User and system CPU microseconds, voluntary and involuntary context switches, over all threads:
    /proc/PID/status counts switches of the main thread only."""
    user = system = voluntary = involuntary = 0
    for pid in pids:
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        user += int(fields[11])
        system += int(fields[12])
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                status = (task / "status").read_text()
            except FileNotFoundError:
                continue  # the thread ended
            voluntary += int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
            involuntary += int(re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
    scale = 1_000_000 // TICKS_PER_SECOND
    return user * scale, system * scale, voluntary, involuntary


def memory_kib(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))
    hwm = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))
    return rss, hwm


_UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def _duration_us(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS_US[unit]


def parse_wrk(output: str) -> dict:
    requests, seconds = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s)", output).group(1, 2)
    unit = re.search(r"\d+ requests in [\d.]+(us|ms|s)", output).group(1)
    seconds = float(seconds) * _UNITS_US[unit] / 1_000_000
    p50 = re.search(r"^\s+50%\s+(\S+)$", output, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)$", output, re.M).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(count) for count in socket_errors.groups()) if socket_errors else 0
    return {
        "requests": int(requests),
        "seconds": seconds,
        "rps": int(requests) / seconds,
        "p50_us": _duration_us(p50),
        "p99_us": _duration_us(p99),
        "errors": errors,
    }


def parse_h2load(output: str, log: Path) -> dict:
    finished = re.search(r"finished in ([\d.]+)(us|ms|s), ([\d.]+) req/s", output)
    counts = re.search(
        r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, "
        r"(\d+) failed, (\d+) errored, (\d+) timeout",
        output,
    )
    status = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", output)
    durations = sorted(int(line.split("\t")[2]) for line in log.read_text().splitlines() if line.strip())
    succeeded = int(counts.group(4))
    failed, errored, timeout = (int(counts.group(index)) for index in (5, 6, 7))
    errors = failed + errored + timeout + int(status.group(3)) + int(status.group(4))  # plus 4xx and 5xx
    return {
        "requests": succeeded,
        "seconds": float(finished.group(1)) * _UNITS_US[finished.group(2)] / 1_000_000,
        "rps": float(finished.group(3)),
        "p50_us": _percentile(durations, 50),
        "p99_us": _percentile(durations, 99),
        "errors": errors,
    }


def _percentile(sorted_values: list[int], percent: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(percent / 100 * len(sorted_values)) - 1))
    return float(sorted_values[index])


def ready(binary: str, policy: str, admin_port: int, runs: int) -> tuple[float, int]:
    """Starts sluice `runs` times; the median time to a 200 from /readyz, and RSS at that point."""
    times, rss = [], []
    env = {**os.environ}
    for _ in range(runs):
        started = time.monotonic()
        process = subprocess.Popen(
            ["taskset", "-c", "0", binary, "run", "--policy", policy],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            deadline = started + 10
            while not _ready(admin_port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"sluice did not become ready (exit code {process.poll()})")
            times.append((time.monotonic() - started) * 1000)
            rss.append(memory_kib(process.pid)[0])
        finally:
            process.terminate()
            process.wait(30)
    return statistics.median(times), int(statistics.median(rss))


def _ready(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"GET /readyz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n")
            return connection.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def _number_or_text(value: str):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    cpu = commands.add_parser("cpu")
    cpu.add_argument("pids", type=int, nargs="+")
    memory = commands.add_parser("memory")
    memory.add_argument("pid", type=int)
    split = commands.add_parser("split")
    split.add_argument("pids", type=int, nargs="+")
    cell = commands.add_parser("cell")
    cell.add_argument("--tool", choices=["wrk", "h2load"], required=True)
    cell.add_argument("--output", type=Path, required=True)
    cell.add_argument("--log", type=Path)
    cell.add_argument("--cpu-us", type=int, required=True)
    cell.add_argument("--label", action="append", default=[])
    cell.add_argument("--append", type=Path, required=True, help="results.jsonl to add the cell to")
    meta = commands.add_parser("meta")
    meta.add_argument("facts", nargs="*")
    start = commands.add_parser("ready")
    start.add_argument("binary")
    start.add_argument("policy")
    start.add_argument("admin_port", type=int)
    start.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    if args.command == "cpu":
        print(cpu_microseconds(args.pids))
    elif args.command == "memory":
        print(*memory_kib(args.pid))
    elif args.command == "split":
        print(*cpu_split(args.pids))
    elif args.command == "meta":
        print(json.dumps({key: _number_or_text(value) for key, value in (fact.split("=", 1) for fact in args.facts)}))
    elif args.command == "ready":
        print(*ready(args.binary, args.policy, args.admin_port, args.runs))
    else:
        output = args.output.read_text()
        try:
            result = parse_wrk(output) if args.tool == "wrk" else parse_h2load(output, args.log)
        except (AttributeError, ValueError) as error:
            sys.exit(f"cannot read {args.output}: {error}\n{output}")
        result["cpu_us_per_request"] = args.cpu_us / result["requests"] if result["requests"] else float("nan")
        result.update(label.split("=", 1) for label in args.label)
        with args.append.open("a") as results:
            results.write(json.dumps(result) + "\n")
        print(
            f"  {result.get('target', ''):<12} {result.get('protocol', ''):<6} {result.get('payload', ''):<5} "
            f"c={result.get('connections', ''):<3} {result['rps']:>8.0f} req/s  p50 {result['p50_us']:.0f}us  "
            f"p99 {result['p99_us']:.0f}us  cpu {result['cpu_us_per_request']:.1f}us/req  errors {result['errors']}"
        )


if __name__ == "__main__":
    main()
