import Logging
import NIOCore
import NIOPosix
import SluicePolicy
import SluiceProxy

/// A gateway started in-process on ephemeral ports under a policy written by the test.
struct TestGateway {
    let gateway: Gateway
    let appPort: Int
    let adminPort: Int?

    /// Starts a gateway on `yaml`; `workload` is the sidecar's own workload (`--workload`).
    static func start(
        policy yaml: String,
        environment: PolicyEnvironment = .inMemory(),
        workload: String? = nil
    ) async throws -> TestGateway {
        let loaded = try PolicyLoader.load(yaml: yaml, file: "test.yaml", environment: environment)
        let gateway = try Gateway(
            loaded: loaded,
            workload: workload,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let addresses = try await gateway.start()
        return TestGateway(gateway: gateway, appPort: addresses.app.port!, adminPort: addresses.admin?.port)
    }

    /// A policy with one OpenAI-compatible provider at `port` and a mock provider; `firstByte` and `idle` are
    /// its timeouts (`first_byte` also bounds the wait for a pooled connection).
    static func policy(
        providerPort: Int, maxConnections: Int = 64, firstByte: String = "1s", idle: String = "1s"
    ) -> String {
        """
        \(TestGateway.prelude(server: ["max_body: 64KiB"]))
        providers:
          upstream:
            type: openai
            base_url: http://127.0.0.1:\(providerPort)/v1
            api_key: { env: TEST_PROVIDER_KEY }
            timeouts: { connect: 1s, first_byte: \(firstByte), idle: \(idle) }
            max_connections: \(maxConnections)
          demo:
            type: mock
        models:
          gpt-4o-mini:
            targets: [ { provider: upstream } ]
          renamed:
            targets: [ { provider: upstream, model: gpt-5-nano } ]
          mock-model:
            targets: [ { provider: demo } ]
        """
    }

    static let environment = PolicyEnvironment.inMemory(variables: ["TEST_PROVIDER_KEY": "sk-provider-secret"])

    func client() async throws -> TestClient {
        try await TestClient(port: self.appPort, group: MultiThreadedEventLoopGroup.singleton)
    }

    func stop() async {
        await self.gateway.shutdown()
    }
}

extension TestGateway {
    /// The start of every in-process test policy, up to `providers:`: ephemeral ports (`app` may name
    /// one), one event loop, more `server` keys in `server`, and no release of start-up pages (the
    /// tests share one process: paging its code out at every start would slow the others).
    static func prelude(app: String = "127.0.0.1:0", server: [String] = []) -> String {
        (["version: 1", "listen:", "  app: \(app)", "  admin: 127.0.0.1:0", "server:", "  event_loop_threads: 1",
          "  release_startup_pages: false"] + server.map { "  " + $0 }).joined(separator: "\n")
    }

    /// A policy on ephemeral ports with one event loop; `providers` and `models` are the
    /// entries of those sections (indented two spaces, as ``provider(_:type:port:lines:)``
    /// writes them), `extra` is appended as top-level YAML.
    static func policy(providers: [String], models: String, extra: String = "") -> String {
        """
        \(TestGateway.prelude())
        providers:
        \(providers.joined())models:
        \(models)
        \(extra)
        """
    }

    /// One provider entry at `127.0.0.1:port` (`/v1` for OpenAI), with more of its keys in `lines`.
    static func provider(_ name: String, type: String = "openai", port: Int, lines: [String] = []) -> String {
        let base = type == "openai" ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
        return (["  \(name):", "    type: \(type)", "    base_url: \(base)"] + lines.map { "    " + $0 })
            .joined(separator: "\n") + "\n"
    }
}
