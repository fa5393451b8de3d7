"""Sluice as the injected sidecar runs it: an unprivileged user (uid 65532, `runAsNonRoot`).

Socket options that only root may set (SO_DEBUG, which `.socketOption(.tcp_nodelay)` really sets) made
every app connection reset and every provider connection fail there, while tests run as root passed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import http_client
import policies
import wire
from sluice_process import SluiceProcess, binary_path

SIDECAR_UID = 65532  # the uid the injected sidecar runs as (see SluiceKube's pod mutation)


def unprivileged_prefix() -> tuple[str, ...]:
    """Drops to the sidecar's uid when the tests run as root; an unprivileged run needs nothing."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to run Sluice as an unprivileged user"
    return (setpriv, f"--reuid={SIDECAR_UID}", f"--regid={SIDECAR_UID}", "--clear-groups")


def test_an_unprivileged_sluice_serves_the_app_and_reaches_its_provider(provider, sluice_env):
    recording = wire.load("openai-chat-basic-byte-exact")
    provider.serve(recording)
    # The binary and policy where the unprivileged user can read them (pytest's tmp dirs are 0700).
    home = Path(tempfile.mkdtemp(prefix="sluice-unprivileged-"))
    process = None
    try:
        home.chmod(0o755)
        binary = home / "sluice"
        shutil.copy2(binary_path(), binary)
        binary.chmod(0o755)
        policy_text = policies.single_provider_policy(provider.base_url, recording.model) + f"""\
  {policies.MOCK_CHAT_MODEL}:
    targets: [ {{ provider: demo }} ]
"""
        policy_text = policy_text.replace("providers:\n", "providers:\n  demo:\n    type: mock\n", 1)
        policy = policies.write(home, "policy.yaml", policy_text)
        policy.chmod(0o644)
        process = SluiceProcess(policy, {**os.environ, **sluice_env}, binary=binary, prefix=unprivileged_prefix())
        process.start()
        headers = {"authorization": f"Bearer {policies.APP_KEY}", "content-type": "application/json"}

        mock = http_client.post(
            process.app_port, "/v1/chat/completions",
            {"model": policies.MOCK_CHAT_MODEL, "messages": [{"role": "user", "content": "hi"}]}, headers)
        assert mock.status == 200, mock.body

        relayed = http_client.post(process.app_port, recording.path, recording.request_body, headers)
        assert relayed.status == 200, relayed.body
        assert relayed.body == recording.body
    finally:
        if process is not None:
            assert process.stop() == 0, process.output()
        shutil.rmtree(home, ignore_errors=True)
