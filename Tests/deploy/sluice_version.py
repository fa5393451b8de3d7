"""The version the binary reports (`sluice --version`), which names the default sidecar image."""

from __future__ import annotations

from functools import cache

from conftest import run_cli


@cache
def sluice_version() -> str:
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split()[-1]
