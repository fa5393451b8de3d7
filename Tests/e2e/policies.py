"""Policy files for the tests, written as YAML text the way an operator would write them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wire import openai_recordings

# The provider keys Sluice holds. Tests check they reach the provider and nowhere else.
ENV_KEY_VARIABLE = "SLUICE_E2E_PROVIDER_KEY"
ENV_KEY = "sk-e2e-from-env-6f1d2c"
FILE_KEY = "sk-e2e-from-file-93ab7e"
TLS_KEY = "sk-e2e-tls-51c0d8"

# What applications send in Authorization. It must never reach a provider.
APP_KEY = "sk-app-must-not-leak-7d20e4"

MAX_BODY_BYTES = 256 * 1024

# Model names routed to the recording provider with a target model that replaces them.
RENAMED_MODEL = "house-chat"
RENAMED_TARGET = "gpt-4.1-nano"
FILE_KEYED_MODEL = "file-keyed-chat"
UNREACHABLE_MODEL = "unreachable-chat"
SILENT_MODEL = "silent-chat"
MOCK_CHAT_MODEL = "demo-chat"
MOCK_EMBEDDING_MODEL = "demo-embedding"


def recorded_models() -> list[str]:
    """Every model the OpenAI recordings ask for, routed unchanged to the recording provider."""
    return sorted({recording.model for recording in openai_recordings()})


@dataclass(frozen=True)
class MainPolicy:
    provider_url: str
    key_file: Path
    unreachable_url: str
    silent_url: str

    def yaml(self) -> str:
        passthrough = "\n".join(
            f"  {model}:\n    targets: [ {{ provider: upstream }} ]" for model in recorded_models()
        )
        return f"""\
version: 1

listen:
  app: 127.0.0.1:0
  admin: 127.0.0.1:0

server:
  max_body: {MAX_BODY_BYTES // 1024}KiB
  drain_timeout: 10s
  event_loop_threads: 1

providers:
  upstream:
    type: openai
    base_url: {self.provider_url}
    api_key: {{ env: {ENV_KEY_VARIABLE} }}
    timeouts: {{ connect: 2s, first_byte: 20s, idle: 60s }}
  upstream_file_key:
    type: openai
    base_url: {self.provider_url}
    api_key: {{ file: {self.key_file} }}
  unreachable:
    type: openai
    base_url: {self.unreachable_url}
    api_key: {{ env: {ENV_KEY_VARIABLE} }}
    timeouts: {{ connect: 1s }}
  silent:
    type: openai
    base_url: {self.silent_url}
    api_key: {{ env: {ENV_KEY_VARIABLE} }}
    timeouts: {{ connect: 1s, first_byte: 300ms }}
  demo:
    type: mock

models:
{passthrough}
  {RENAMED_MODEL}:
    targets: [ {{ provider: upstream, model: {RENAMED_TARGET} }} ]
  {FILE_KEYED_MODEL}:
    targets: [ {{ provider: upstream_file_key }} ]
  {UNREACHABLE_MODEL}:
    targets: [ {{ provider: unreachable }} ]
  {SILENT_MODEL}:
    targets: [ {{ provider: silent }} ]
  {MOCK_CHAT_MODEL}:
    targets: [ {{ provider: demo }} ]
  {MOCK_EMBEDDING_MODEL}:
    targets: [ {{ provider: demo }} ]
"""


def policy_head(server_extra: str = "") -> str:
    """The start of a test policy, up to `providers:`: ephemeral ports, one event loop, and
    `server_extra` (indented YAML) for more `server:` keys."""
    return f"""\
version: 1
listen:
  app: 127.0.0.1:0
  admin: 127.0.0.1:0
server:
  event_loop_threads: 1
{server_extra}"""


def mock_only_policy(model: str = "demo-chat") -> str:
    """The start of a policy the in-process mock serves alone: ephemeral ports, one event loop, `model`."""
    return policy_head() + f"""\
providers:
  demo:
    type: mock
models:
  {model}:
    targets: [ {{ provider: demo }} ]
"""


def single_provider_policy(base_url: str, model: str, provider_extra: str = "") -> str:
    """A policy with one `openai` provider `upstream`; `provider_extra` is indented YAML for it."""
    return policy_head("  drain_timeout: 10s\n") + f"""\
providers:
  upstream:
    type: openai
    base_url: {base_url}
    api_key: {{ env: {ENV_KEY_VARIABLE} }}
{provider_extra}
models:
  {model}:
    targets: [ {{ provider: upstream }} ]
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path
