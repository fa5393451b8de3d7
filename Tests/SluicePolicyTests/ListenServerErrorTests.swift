import Testing

@testable import SluicePolicy

/// Problems in `listen:` and `server:`.
@Suite("Policy errors: listen and server")
struct ListenServerErrorTests {
    /// The issues for a policy whose `listen:` section holds `lines`.
    private func listenIssues(_ lines: String) -> [String] {
        PolicyFixtures.issues("version: 1\nlisten:\n" + lines)
    }

    @Test("listen needs app")
    func missingApp() {
        #expect(listenIssues("  admin: 127.0.0.1:9901\n") == ["policy.yaml:2:1: missing required key 'app' in listen"])
    }

    @Test("listen must be a mapping")
    func listenNotMapping() {
        #expect(
            PolicyFixtures.issues("version: 1\nlisten: 127.0.0.1:4000\n")
                == ["policy.yaml:2:9: 'listen' must be a mapping, got string \"127.0.0.1:4000\""]
        )
    }

    @Test("an unknown key in listen lists the listeners")
    func unknownListenKey() {
        #expect(
            listenIssues("  app: 127.0.0.1:4000\n  metrics: 127.0.0.1:9090\n")
                == ["policy.yaml:4:3: unknown key 'metrics' in listen; expected one of: app, admin, egress"]
        )
    }

    @Test(
        "a bad address says what is wrong and how to write it",
        arguments: [
            ("localhost", "\"localhost\" (no port)"),
            ("localhost:70000", "\"localhost:70000\" (the port must be a number from 0 to 65535)"),
            ("\"::1:4000\"", "\"::1:4000\" (IPv6 addresses need brackets)"),
            (":4000", "\":4000\" (no host)"),
            ("4000", "\"4000\" (no port)"),
            (
                "local host:4000",
                "\"local host:4000\" (the host may contain only letters, digits, '.', '-' and '_', "
                    + "or be an IPv6 address in brackets)"
            ),
        ]
    )
    func badAddress(value: String, detail: String) {
        #expect(
            listenIssues("  app: \(value)\n")
                == [
                    "policy.yaml:3:8: 'app' is not a HOST:PORT address: \(detail); write e.g. 127.0.0.1:4000 or [::1]:4000"
                ]
        )
    }

    @Test("an address of the wrong type")
    func addressWrongType() {
        #expect(
            listenIssues("  app: { host: localhost }\n")
                == ["policy.yaml:3:8: 'app' must be an address such as 127.0.0.1:4000, got a mapping"]
        )
    }

    @Test("app and admin on the same address")
    func appAdminCollide() {
        #expect(
            listenIssues("  app: 127.0.0.1:4000\n  admin: 127.0.0.1:4000\n")
                == [
                    "policy.yaml:4:10: 'admin' (127.0.0.1:4000) collides with 'app' (127.0.0.1:4000); "
                        + "give each listener its own port"
                ]
        )
    }

    @Test("app on the default admin address")
    func appOnDefaultAdmin() {
        #expect(
            listenIssues("  app: 127.0.0.1:9901\n")
                == [
                    "policy.yaml:3:8: 'app' (127.0.0.1:9901) collides with the default 'admin' address (127.0.0.1:9901); "
                        + "move 'app' or set 'admin' to another address"
                ]
        )
    }

    @Test("a wildcard host collides with any host on the same port; egress is checked too")
    func egressCollides() {
        #expect(
            listenIssues("  app: 0.0.0.0:4000\n  egress: 127.0.0.1:4000\n")
                == [
                    "policy.yaml:4:11: 'egress' (127.0.0.1:4000) collides with 'app' (0.0.0.0:4000); "
                        + "give each listener its own port"
                ]
        )
        #expect(
            listenIssues("  app: 127.0.0.1:4000\n  egress: 127.0.0.1:9901\n")
                == [
                    "policy.yaml:4:11: 'egress' (127.0.0.1:9901) collides with 'admin' (127.0.0.1:9901); "
                        + "give each listener its own port"
                ]
        )
    }

    /// The issues for the minimal policy plus a `server:` section holding `lines`.
    private func serverIssues(_ lines: String) -> [String] {
        PolicyFixtures.issues(appending: "server:\n" + lines)
    }

    @Test(
        "bad server values",
        arguments: [
            (
                "  max_body: 4 megs\n",
                "policy.yaml:5:13: 'max_body' is not a size: \"4 megs\"; write e.g. 512KiB, 4MiB, 1MB or a number of bytes"
            ),
            ("  max_body: 0\n", "policy.yaml:5:13: 'max_body' must be at least 1 byte"),
            ("  max_body: [1]\n", "policy.yaml:5:13: 'max_body' must be a size such as 512KiB or 4MiB, got a list"),
            (
                "  drain_timeout: 10\n",
                "policy.yaml:5:18: 'drain_timeout' is not a duration: \"10\"; write e.g. 250ms, 2s, 5m"
            ),
            (
                "  drain_timeout:\n",
                "policy.yaml:5:17: 'drain_timeout' must be a duration such as 250ms, 2s or 5m, got nothing"
            ),
            ("  event_loop_threads: 0\n", "policy.yaml:5:23: 'event_loop_threads' must be at least 1, got 0"),
            (
                "  event_loop_threads: many\n",
                "policy.yaml:5:23: 'event_loop_threads' must be an integer, got string \"many\""
            ),
            (
                "  event_loop_threads: 1.5\n",
                "policy.yaml:5:23: 'event_loop_threads' must be an integer, got number 1.5"
            ),
            (
                "  max_bdy: 1MB\n",
                "policy.yaml:5:3: unknown key 'max_bdy' in server; expected one of: max_body, drain_timeout, event_loop_threads, release_startup_pages"
            ),
            (
                "  release_startup_pages: sometimes\n",
                "policy.yaml:5:26: 'release_startup_pages' must be true or false, got string \"sometimes\""
            ),
        ])
    func badServer(lines: String, expected: String) {
        #expect(serverIssues(lines) == [expected])
    }

    @Test("server must be a mapping")
    func serverNotMapping() {
        #expect(
            PolicyFixtures.issues(appending: "server: [1, 2]\n") == [
                "policy.yaml:4:9: 'server' must be a mapping, got a list"
            ]
        )
    }
}
