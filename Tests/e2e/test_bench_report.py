"""bench/lib/report.py: a run of several rounds is summarised round by round, not from one lucky cell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPORT = Path(__file__).resolve().parents[2] / "bench" / "lib" / "report.py"


def cell(target: str, round_: int, rps: float, p50: float, cpu: float) -> dict:
    return {
        "target": target, "protocol": "http1", "payload": "sse", "connections": "64", "round": str(round_),
        "rps": rps, "p50_us": p50, "p99_us": p50 * 2, "cpu_us_per_request": cpu, "errors": 0,
    }


def report(tmp_path: Path, cells: list[dict]) -> str:
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cells))
    (tmp_path / "meta.json").write_text(json.dumps({"rounds": 3}))
    done = subprocess.run([sys.executable, str(REPORT), str(tmp_path)], capture_output=True, text=True, check=True)
    return done.stdout


def test_ratios_are_taken_within_each_round_then_their_median_and_range_shown(tmp_path: Path) -> None:
    # The machine slows down in round 2 for both targets alike. The rounds' own ratios are 0.55, 0.50 and
    # 0.60: their median is 0.55, where the medians of the raw figures taken apart (48000 / 80000) would
    # have said 0.60.
    cells = [
        cell("direct", 1, 150000, 200, 6), cell("nginx-proxy", 1, 100000, 1000, 14), cell("sluice", 1, 55000, 2000, 30),
        cell("direct", 2, 100000, 300, 7), cell("nginx-proxy", 2, 60000, 1600, 15), cell("sluice", 2, 30000, 3300, 33),
        cell("direct", 3, 150000, 200, 6), cell("nginx-proxy", 3, 80000, 1100, 14), cell("sluice", 3, 48000, 2100, 31),
    ]
    out = report(tmp_path, cells)
    assert "sluice / nginx-proxy at 64 connections, http1 sse: 0.55x (0.50x..0.60x)" in out
    sluice_row = next(line for line in out.splitlines() if line.startswith("http1") and " sluice " in line)
    assert " 48000 " in sluice_row  # median req/s
    assert "31.0" in sluice_row  # median CPU per request
    assert "+1900us (+1800us..+3000us)" in sluice_row  # added p50, per round: 1800, 3000, 1900
    assert "medians over the rounds" in out


def test_a_single_round_prints_plain_figures(tmp_path: Path) -> None:
    cells = [cell("nginx-proxy", 1, 100000, 1000, 14), cell("sluice", 1, 55000, 2000, 30)]
    out = report(tmp_path, cells)
    assert "sluice / nginx-proxy at 64 connections, http1 sse: 0.55x\n" in out
    assert ".." not in out


def test_rounds_must_be_a_positive_whole_number() -> None:
    run = REPORT.parents[1] / "run"
    for bad in ("0", "-1", "two", "1.5"):
        done = subprocess.run(["bash", str(run), "--rounds", bad], capture_output=True, text=True, timeout=30)
        assert done.returncode == 1, (bad, done.stdout, done.stderr)
        assert f"--rounds takes a positive whole number, not '{bad}'" in done.stderr
