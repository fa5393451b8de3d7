"""Prints the bench table from a run folder's results.jsonl and meta.json (see bench/README.md)."""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path

TARGETS = ["direct", "nginx-proxy", "sluice", "sluice-mock"]


def _fmt_us(value: float) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value / 1000:.2f}ms" if value >= 10_000 else f"{value:.0f}us"


def _fmt(value, pattern: str) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else pattern.format(value)


class Rounds:
    """One cell's measurements over the run's rounds (one per round; old runs have a single round)."""

    def __init__(self, cells: list[dict]) -> None:
        self.by_round = {str(c.get("round", "1")): c for c in cells}

    def median(self, field: str) -> float:
        values = [c[field] for c in self.by_round.values() if c[field] is not None and not _isnan(c[field])]
        return statistics.median(values) if values else float("nan")

    def errors(self) -> int:
        return sum(c["errors"] for c in self.by_round.values())

    def paired(self, other: "Rounds", combine) -> list[float]:
        """`combine(mine, theirs)` for each round both were measured in: ratios and differences are taken
        within a round, where both met the same machine, and only then summarised."""
        return [combine(c, other.by_round[r]) for r, c in self.by_round.items() if r in other.by_round]


def _isnan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _spread(values: list[float], pattern: str) -> str:
    """The median, and the range when there was more than one round."""
    if not values:
        return "-"
    text = pattern.format(statistics.median(values))
    if len(values) > 1:
        text += f" ({pattern.format(min(values))}..{pattern.format(max(values))})"
    return text


def main(folder: Path) -> None:
    cells = [json.loads(line) for line in (folder / "results.jsonl").read_text().splitlines() if line.strip()]
    meta = json.loads((folder / "meta.json").read_text()) if (folder / "meta.json").exists() else {}
    grouped: dict[tuple, list[dict]] = {}
    for c in cells:
        grouped.setdefault((c["protocol"], c["payload"], int(c["connections"]), c["target"]), []).append(c)
    by_key = {key: Rounds(group) for key, group in grouped.items()}
    groups = sorted({(c["protocol"], c["payload"], int(c["connections"])) for c in cells})
    several = any(len(r.by_round) > 1 for r in by_key.values())
    wide = 24 if several else 14

    def ratio_of(cell: Rounds, proxy: Rounds) -> list[float]:
        return cell.paired(proxy, lambda a, b: a["rps"] / b["rps"])

    def added(cell: Rounds, direct: Rounds, field: str) -> list[float]:
        return cell.paired(direct, lambda a, b: a[field] - b[field])

    header = (
        f"{'protocol':<8} {'payload':<7} {'conns':>5}  {'target':<12} {'req/s':>9} {'p50':>8} {'p99':>8} "
        f"{'cpu us/req':>10} {'vs nginx-proxy':>{wide}} {'+p50 vs direct':>{wide}} {'+p99 vs direct':>{wide}} "
        f"{'errors':>6}"
    )
    lines = [header, "-" * len(header)]
    for protocol, payload, connections in groups:
        direct = by_key.get((protocol, payload, connections, "direct"))
        proxy = by_key.get((protocol, payload, connections, "nginx-proxy"))
        for target in TARGETS:
            cell = by_key.get((protocol, payload, connections, target))
            if cell is None:
                continue
            if target == "nginx-proxy":
                ratio = "1.00x"
            else:
                ratio = _spread(ratio_of(cell, proxy), "{:.2f}x") if proxy and target != "direct" else "-"
            added50 = _spread(added(cell, direct, "p50_us"), "{:+.0f}us") if direct and target != "direct" else "-"
            added99 = _spread(added(cell, direct, "p99_us"), "{:+.0f}us") if direct and target != "direct" else "-"
            lines.append(
                f"{protocol:<8} {payload:<7} {connections:>5}  {target:<12} {cell.median('rps'):>9.0f} "
                f"{_fmt_us(cell.median('p50_us')):>8} {_fmt_us(cell.median('p99_us')):>8} "
                f"{_fmt(cell.median('cpu_us_per_request'), '{:.1f}'):>10} {ratio:>{wide}} "
                f"{added50:>{wide}} {added99:>{wide}} {cell.errors():>6}"
            )
        lines.append("")

    summary = []
    if several:
        summary.append("figures are medians over the rounds; ratios and added latency are each round's own, "
                       "summarised as median (range)")
    for protocol in ("http1", "h2c"):
        for payload in ("chat", "sse"):
            sluice = by_key.get((protocol, payload, 64, "sluice"))
            proxy = by_key.get((protocol, payload, 64, "nginx-proxy"))
            if sluice and proxy:
                summary.append(f"sluice / nginx-proxy at 64 connections, {protocol} {payload}: "
                               f"{_spread(ratio_of(sluice, proxy), '{:.2f}x')}")
    for connections in (1, 16):
        sluice = by_key.get(("http1", "chat", connections, "sluice"))
        direct = by_key.get(("http1", "chat", connections, "direct"))
        if sluice and direct:
            summary.append(
                f"sluice added latency over direct at {connections} connection(s), http1 chat: "
                f"p50 {_spread(added(sluice, direct, 'p50_us'), '{:+.0f}us')}, "
                f"p99 {_spread(added(sluice, direct, 'p99_us'), '{:+.0f}us')}"
            )
    sluice_cpu = [r.median("cpu_us_per_request") for (_, _, conns, target), r in by_key.items()
                  if target == "sluice" and conns >= 16]
    proxy_cpu = [r.median("cpu_us_per_request") for (_, _, conns, target), r in by_key.items()
                 if target == "nginx-proxy" and conns >= 16]
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
    for key in ("duration_s", "rounds", "sluice_binary", "date", "git"):
        if key in meta:
            summary.append(f"{key}: {meta[key]}")

    print("\n".join(lines + summary))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
