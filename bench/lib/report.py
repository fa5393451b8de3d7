"""Prints the bench table from a run folder's results.jsonl and meta.json (see bench/README.md)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

TARGETS = ["direct", "nginx-proxy", "sluice", "sluice-mock"]


def _fmt_us(value: float) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value / 1000:.2f}ms" if value >= 10_000 else f"{value:.0f}us"


def _fmt(value, pattern: str) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else pattern.format(value)


def main(folder: Path) -> None:
    cells = [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines() if line.strip()]
    meta = json.loads((folder / "meta.json").read_text()) if (folder / "meta.json").exists() else {}
    by_key = {(c["protocol"], c["payload"], int(c["connections"]), c["target"]): c for c in cells}
    groups = sorted({(c["protocol"], c["payload"], int(c["connections"])) for c in cells})

    header = (
        f"{'protocol':<8} {'payload':<7} {'conns':>5}  {'target':<12} {'req/s':>9} {'p50':>8} {'p99':>8} "
        f"{'cpu us/req':>10} {'vs nginx-proxy':>14} {'+p50 vs direct':>14} {'+p99 vs direct':>14} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]
    for protocol, payload, connections in groups:
        direct = by_key.get((protocol, payload, connections, "direct"))
        proxy = by_key.get((protocol, payload, connections, "nginx-proxy"))
        for target in TARGETS:
            cell = by_key.get((protocol, payload, connections, target))
            if cell is None:
                continue
            ratio = cell["rps"] / proxy["rps"] if proxy and target != "direct" else None
            added50 = cell["p50_us"] - direct["p50_us"] if direct and target != "direct" else None
            added99 = cell["p99_us"] - direct["p99_us"] if direct and target != "direct" else None
            lines.append(
                f"{protocol:<8} {payload:<7} {connections:>5}  {target:<12} {cell['rps']:>9.0f} "
                f"{_fmt_us(cell['p50_us']):>8} {_fmt_us(cell['p99_us']):>8} "
                f"{_fmt(cell['cpu_us_per_request'], '{:.1f}'):>10} {_fmt(ratio, '{:.2f}x'):>14} "
                f"{_fmt(added50, '{:+.0f}us'):>14} {_fmt(added99, '{:+.0f}us'):>14} {cell['errors']:>6}"
            )
        lines.append("")

    summary = []
    for protocol in ("http1", "h2c"):
        for payload in ("chat", "sse"):
            sluice = by_key.get((protocol, payload, 64, "sluice"))
            proxy = by_key.get((protocol, payload, 64, "nginx-proxy"))
            if sluice and proxy:
                ratio = sluice["rps"] / proxy["rps"]
                summary.append(f"sluice / nginx-proxy at 64 connections, {protocol} {payload}: {ratio:.2f}x")
    for connections in (1, 16):
        sluice = by_key.get(("http1", "chat", connections, "sluice"))
        direct = by_key.get(("http1", "chat", connections, "direct"))
        if sluice and direct:
            summary.append(
                f"sluice added latency over direct at {connections} connection(s), http1 chat: "
                f"p50 {sluice['p50_us'] - direct['p50_us']:+.0f}us, p99 {sluice['p99_us'] - direct['p99_us']:+.0f}us"
            )
    sluice_cpu = [c["cpu_us_per_request"] for c in cells if c["target"] == "sluice" and int(c["connections"]) >= 16]
    proxy_cpu = [c["cpu_us_per_request"] for c in cells if c["target"] == "nginx-proxy" and int(c["connections"]) >= 16]
    if sluice_cpu and proxy_cpu:
        summary.append(
            f"CPU per request at 16-64 connections: sluice {min(sluice_cpu):.1f}-{max(sluice_cpu):.1f}us, "
            f"nginx-proxy {min(proxy_cpu):.1f}-{max(proxy_cpu):.1f}us"
        )
    for key, label in (
        ("ready_ms", "sluice start to /readyz (median)"),
        ("ready_rss_kib", "sluice RSS when ready"),
        ("idle_rss_kib", "sluice idle RSS before load"),
        ("after_rss_kib", "sluice RSS after load"),
        ("peak_rss_kib", "sluice peak RSS (VmHWM)"),
    ):
        if key in meta:
            value = meta[key]
            summary.append(f"{label}: " + (f"{value:.1f} ms" if key == "ready_ms" else f"{value / 1024:.1f} MiB"))
    for key in ("duration_s", "sluice_binary", "date", "git"):
        if key in meta:
            summary.append(f"{key}: {meta[key]}")

    print("\n".join(lines + summary))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
