/// The policy `sluice run` uses when given none, and the one `examples/quickstart/policy.yaml`
/// holds: one mock provider, so a first run needs no account and no key.
///
/// A test keeps this text and the file identical; change both together.
public enum QuickstartPolicy {
    /// The policy text, byte for byte the example file (a raw string, so its `\` stays as is).
    public static let yaml: String = #"""
        # Sluice quickstart policy: runs with no provider account.
        #
        # The `demo` provider is a mock that answers in-process, so this file works as is:
        #   sluice run --policy examples/quickstart/policy.yaml
        #   curl http://127.0.0.1:4000/v1/chat/completions \
        #     -H 'content-type: application/json' \
        #     -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]}'
        #
        # To use a real provider, add it under `providers` (its key from the environment or a file,
        # never written here) and point a model's target at it, e.g.:
        #   openai:
        #     type: openai
        #     api_key: { env: OPENAI_API_KEY }
        version: 1

        listen:
          app: 127.0.0.1:4000      # point your SDK's base URL here: http://127.0.0.1:4000/v1
          admin: 127.0.0.1:9901    # /healthz /readyz /metrics /config /status

        providers:
          demo:
            type: mock

        models:
          gpt-4o-mini:
            targets:
              - { provider: demo }
          gpt-4o:
            targets:
              - { provider: demo }
          text-embedding-3-small:
            targets:
              - { provider: demo }

        """#
}
