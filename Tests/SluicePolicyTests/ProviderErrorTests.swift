import Testing

@testable import SluicePolicy

/// Problems in `providers:` other than secrets.
@Suite("Policy errors: providers")
struct ProviderErrorTests {
    /// The issues for the minimal policy plus one provider `openai` whose body is `lines`
    /// (indented four spaces); the first body line is line 6.
    private func providerIssues(_ lines: String, files: [String: String] = [:]) -> [String] {
        PolicyFixtures.issues(appending: "providers:\n  openai:\n" + lines, files: files)
    }

    @Test("an unknown provider type lists the types")
    func unknownType() {
        #expect(
            providerIssues("    type: opnai\n")
                == [
                    "policy.yaml:6:11: unknown provider type 'opnai' for provider 'openai'; "
                        + "expected one of: openai, anthropic, azure, gemini, bedrock, mock"
                ]
        )
    }

    @Test("type is required")
    func missingType() {
        #expect(
            providerIssues("    base_url: https://api.openai.com/v1\n")
                == ["policy.yaml:5:3: missing required key 'type' in provider 'openai'"]
        )
    }

    @Test("an unknown key in a provider lists the provider keys")
    func unknownKey() {
        #expect(
            providerIssues("    type: openai\n    apikey: { env: OPENAI_API_KEY }\n")
                == [
                    "policy.yaml:7:5: unknown key 'apikey' in provider 'openai'; "
                        + "expected one of: type, base_url, api_key, timeouts, tls, max_connections, breaker"
                ]
        )
    }

    @Test("a provider must be a mapping, and so must providers")
    func notMappings() {
        #expect(
            PolicyFixtures.issues(appending: "providers:\n  openai: openai\n")
                == ["policy.yaml:5:11: provider 'openai' must be a mapping, got string \"openai\""]
        )
        // With providers unreadable, model targets are not checked against an empty list.
        #expect(
            PolicyFixtures.issues(appending: "providers: [openai]\nmodels:\n  m: { targets: [{ provider: openai }] }\n")
                == ["policy.yaml:4:12: 'providers' must be a mapping, got a list"]
        )
    }

    @Test("max_connections must be a positive integer")
    func maxConnections() {
        #expect(
            providerIssues("    type: openai\n    max_connections: lots\n")
                == ["policy.yaml:7:22: 'max_connections' must be an integer, got string \"lots\""]
        )
        #expect(
            providerIssues("    type: openai\n    max_connections: \"8\"\n")
                == ["policy.yaml:7:22: 'max_connections' must be an integer, got string \"8\""]
        )
        #expect(
            providerIssues("    type: openai\n    max_connections: -3\n")
                == ["policy.yaml:7:22: 'max_connections' must be at least 1, got -3"]
        )
    }

    @Test(
        "timeouts must be positive durations with known names",
        arguments: [
            (
                "{ connect: 2 sec }",
                "policy.yaml:7:26: 'connect' is not a duration: \"2 sec\"; write e.g. 250ms, 2s, 5m"
            ),
            ("{ idle: 0s }", "policy.yaml:7:23: 'idle' must be longer than 0s"),
            (
                "{ first_byte: true }",
                "policy.yaml:7:29: 'first_byte' is not a duration: \"true\"; write e.g. 250ms, 2s, 5m"
            ),
            (
                "{ read: 5s }",
                "policy.yaml:7:17: unknown key 'read' in timeouts of provider 'openai'; expected one of: connect, first_byte, first_token, idle, total"
            ),
            ("30s", "policy.yaml:7:15: 'timeouts' must be a mapping, got string \"30s\""),
        ])
    func timeouts(value: String, expected: String) {
        #expect(providerIssues("    type: openai\n    timeouts: \(value)\n") == [expected])
    }

    @Test(
        "base_url must be an http or https URL",
        arguments: [
            (
                "ftp://files.example.com",
                "\"ftp://files.example.com\" (scheme 'ftp' is not supported; use http or https)"
            ),
            ("api.openai.com/v1", "\"api.openai.com/v1\" (it needs a scheme and a host)"),
            (
                "https://user:pass@example.com",
                "\"https://user:pass@example.com\" (credentials do not belong in the URL; use api_key)"
            ),
            ("https://example.com/v1?x=1", "\"https://example.com/v1?x=1\" (a base URL takes no query or fragment)"),
            ("https://example.com:0", "\"https://example.com:0\" (the port must be a number from 1 to 65535)"),
        ])
    func badBaseURL(value: String, detail: String) {
        #expect(
            providerIssues("    type: openai\n    base_url: \(value)\n")
                == ["policy.yaml:7:15: 'base_url' is not a usable URL: \(detail); write e.g. https://api.openai.com/v1"]
        )
    }

    @Test("azure and bedrock need a base_url", arguments: ["azure", "bedrock"])
    func baseURLRequired(type: String) {
        #expect(
            providerIssues("    type: \(type)\n")
                == ["policy.yaml:5:3: provider 'openai' of type \(type) needs a 'base_url'"]
        )
    }

    @Test("provider names stay plain")
    func badName() {
        #expect(
            PolicyFixtures.issues(appending: "providers:\n  my provider:\n    type: mock\n")
                == ["policy.yaml:5:3: provider name 'my provider' may contain only letters, digits, '-', '_' and '.'"]
        )
    }

    @Test("ca_file must exist and hold a PEM certificate")
    func caFile() {
        #expect(
            providerIssues("    type: openai\n    tls: { ca_file: /etc/sluice/ca.pem }\n")
                == [
                    "policy.yaml:7:21: cannot read ca_file of provider 'openai' at /etc/sluice/ca.pem: No such file or directory"
                ]
        )
        #expect(
            providerIssues(
                "    type: openai\n    tls: { ca_file: /etc/sluice/ca.pem }\n", files: ["/etc/sluice/ca.pem": "hello\n"]
            )
                == [
                    "policy.yaml:7:21: ca_file /etc/sluice/ca.pem of provider 'openai' holds no PEM certificate "
                        + "(no -----BEGIN CERTIFICATE----- line)"
                ]
        )
        #expect(
            providerIssues("    type: openai\n    tls: { verify: false }\n")
                == ["policy.yaml:7:12: unknown key 'verify' in tls of provider 'openai'; expected one of: ca_file"]
        )
    }
}
