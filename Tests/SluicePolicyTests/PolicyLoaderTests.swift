import Testing

@testable import SluicePolicy

@Suite("Loading valid policies")
struct PolicyLoaderTests {
    /// The design's example policy, less the sections this version does not read yet.
    static let full = """
        version: 1

        listen:
          app: 127.0.0.1:4000        # OpenAI- and Anthropic-compatible API
          admin: 127.0.0.1:9901
          egress: 127.0.0.1:15001

        server:
          max_body: 512KiB
          drain_timeout: 5s
          event_loop_threads: 2
          release_startup_pages: false

        providers:
          openai:
            type: openai
            base_url: https://api.openai.com/v1
            api_key: { file: /var/run/secrets/sluice/openai }
            timeouts: { connect: 2s, first_byte: 30s, idle: 60s }
          anthropic:
            type: anthropic
            base_url: https://api.anthropic.com
            api_key: { env: ANTHROPIC_API_KEY }
            max_connections: 16
          local:
            type: openai
            base_url: https://vllm.internal:8443/v1/
            tls: { ca_file: /etc/sluice/ca.pem }
            timeouts: { first_byte: 2m }
          demo:
            type: mock

        models:
          gpt-4o:
            targets:
              - { provider: openai, model: gpt-4o }
              - { provider: anthropic, model: claude-sonnet-4-5 }
            retry: { attempts: 2, backoff: 200ms, on: [connect, timeout, 429, 5xx] }
          cheap:
            strategy: weighted
            targets:
              - { provider: openai, model: gpt-4o-mini, weight: 80 }
              - { provider: demo, weight: 20 }
          llama:
            strategy: least_latency
            targets:
              - provider: local
                model: meta-llama/Llama-3.1-8B-Instruct

        """

    static let variables = ["ANTHROPIC_API_KEY": "sk-ant-secret"]
    static let files = [
        "/var/run/secrets/sluice/openai": "sk-openai-secret\n",
        "/etc/sluice/ca.pem": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    ]

    @Test("the design's example loads with every value in place")
    func fullPolicy() throws {
        let loaded = try PolicyFixtures.load(Self.full, variables: Self.variables, files: Self.files)
        let policy = loaded.policy
        #expect(policy.version == 1)
        #expect(policy.listen.app == HostPort(host: "127.0.0.1", port: 4000))
        #expect(policy.listen.admin == HostPort(host: "127.0.0.1", port: 9901))
        #expect(policy.listen.egress == HostPort(host: "127.0.0.1", port: 15001))
        #expect(
            policy.server
                == ServerSettings(
                    maxBodyBytes: 512 * 1024, drainTimeout: .seconds(5), eventLoopThreads: 2, releaseStartupPages: false))

        #expect(
            policy.providers["openai"]
                == ProviderConfig(
                    name: "openai", type: .openai, baseURL: UpstreamURL("https://api.openai.com/v1"),
                    apiKey: .file("/var/run/secrets/sluice/openai"),
                    timeouts: Timeouts(connect: .seconds(2), firstByte: .seconds(30), idle: .seconds(60))
                )
        )
        #expect(
            policy.providers["anthropic"]
                == ProviderConfig(
                    name: "anthropic", type: .anthropic, apiKey: .env("ANTHROPIC_API_KEY"), maxConnections: 16)
        )
        let local = try #require(policy.providers["local"])
        #expect(local.baseURL == UpstreamURL(scheme: "https", host: "vllm.internal", port: 8443, basePath: "/v1"))
        #expect(local.tls.caFile == "/etc/sluice/ca.pem")
        #expect(local.timeouts == Timeouts(firstByte: .seconds(120)))
        #expect(local.apiKey == nil)
        #expect(policy.providers["demo"] == ProviderConfig(name: "demo", type: .mock))
        #expect(policy.providers["demo"]?.baseURL == nil)

        #expect(
            policy.models["gpt-4o"]
                == ModelRoute(
                    name: "gpt-4o",
                    targets: [
                        RouteTarget(provider: "openai", model: "gpt-4o"),
                        RouteTarget(provider: "anthropic", model: "claude-sonnet-4-5"),
                    ],
                    retry: RetrySettings(
                        attempts: 2, backoff: .milliseconds(200), on: ["connect", "timeout", "429", "5xx"])
                )
        )
        #expect(
            policy.models["cheap"]
                == ModelRoute(
                    name: "cheap",
                    targets: [
                        RouteTarget(provider: "openai", model: "gpt-4o-mini", weight: 80),
                        RouteTarget(provider: "demo", weight: 20),
                    ],
                    strategy: .weighted
                )
        )
        #expect(policy.models["llama"]?.strategy == .leastLatency)
        #expect(
            policy.models["llama"]?.targets == [
                RouteTarget(provider: "local", model: "meta-llama/Llama-3.1-8B-Instruct")
            ])

        #expect(loaded.secrets["openai"]?.value == "sk-openai-secret")
        #expect(loaded.secrets["anthropic"]?.value == "sk-ant-secret")
        #expect(loaded.secrets.count == 2)
    }

    @Test("a minimal policy gets every default")
    func defaults() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal).policy
        #expect(policy == Policy(listen: ListenSettings(app: HostPort(host: "127.0.0.1", port: 4000))))
        #expect(policy.listen.admin == HostPort(host: "127.0.0.1", port: 9901))
        #expect(policy.listen.egress == nil)
        #expect(policy.server.maxBodyBytes == 4 * 1024 * 1024)
        #expect(policy.server.drainTimeout == .seconds(20))
        #expect(policy.server.eventLoopThreads == nil)
        #expect(policy.server.releaseStartupPages)
        #expect(policy.providers.isEmpty)
        #expect(policy.models.isEmpty)
    }

    @Test("provider defaults: base URL by type, timeouts, connections, retry fields")
    func providerDefaults() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.minimal + """
                providers:
                  openai: { type: openai }
                  anthropic: { type: anthropic }
                  gemini: { type: gemini }
                models:
                  m:
                    targets: [{ provider: openai }]
                    retry: { attempts: 3 }

                """
        ).policy
        let openai = try #require(policy.providers["openai"])
        #expect(openai.baseURL?.description == "https://api.openai.com/v1")
        #expect(openai.timeouts == Timeouts(connect: .seconds(2), firstByte: .seconds(30), idle: .seconds(60)))
        #expect(openai.maxConnections == 64)
        #expect(openai.tls == TLSSettings())
        #expect(policy.providers["anthropic"]?.baseURL?.description == "https://api.anthropic.com")
        #expect(policy.providers["gemini"]?.baseURL?.description == "https://generativelanguage.googleapis.com/v1beta")
        let route = try #require(policy.models["m"])
        #expect(route.strategy == .ordered)
        #expect(
            route.retry
                == RetrySettings(attempts: 3, backoff: .milliseconds(200), on: ["connect", "timeout", "429", "5xx"]))
    }

    @Test("admin can be turned off with off, false or null", arguments: ["off", "false", "null", "~", ""])
    func adminOff(value: String) throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal + "  admin: \(value)\n").policy
        #expect(policy.listen.admin == nil)
    }

    @Test("listeners may all use port 0, and IPv6 and wildcard hosts")
    func ephemeralAndIPv6() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            listen:
              app: 127.0.0.1:0
              admin: 127.0.0.1:0
              egress: "[::1]:15001"

            """
        ).policy
        #expect(policy.listen.app.port == 0)
        #expect(policy.listen.admin?.port == 0)
        #expect(policy.listen.egress == HostPort(host: "::1", port: 15001))
    }

    @Test("event_loop_threads: auto means the CPU quota decides")
    func autoThreads() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal + "server:\n  event_loop_threads: auto\n").policy
        #expect(policy.server.eventLoopThreads == nil)
    }

    @Test("empty sections keep their defaults")
    func emptySections() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal + "server:\nproviders:\nmodels:\n").policy
        #expect(policy.server == ServerSettings())
        #expect(policy.providers.isEmpty)
        #expect(policy.models.isEmpty)
    }

    @Test("sizes may be a bare number of bytes")
    func bareBytes() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal + "server:\n  max_body: 1000\n").policy
        #expect(policy.server.maxBodyBytes == 1000)
    }

    @Test("anchors and merge keys share settings between providers; own keys win")
    func mergeKeys() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.minimal + """
                providers:
                  base: &base
                    type: openai
                    timeouts: &slow { connect: 5s, first_byte: 2m }
                  vllm:
                    <<: *base
                    base_url: http://vllm:8000/v1
                    max_connections: 8
                  ollama:
                    <<: [*base]
                    type: openai
                    base_url: http://ollama:11434/v1
                    timeouts: *slow

                """
        ).policy
        let vllm = try #require(policy.providers["vllm"])
        #expect(vllm.type == .openai)
        #expect(vllm.timeouts.connect == .seconds(5))
        #expect(vllm.timeouts.firstByte == .seconds(120))
        #expect(vllm.maxConnections == 8)
        #expect(vllm.baseURL?.host == "vllm")
        #expect(policy.providers["ollama"]?.timeouts.connect == .seconds(5))
        #expect(policy.providers["ollama"]?.baseURL?.port == 11434)
    }

    @Test("relative secret and CA paths are resolved against the policy file's folder")
    func relativePaths() throws {
        let yaml =
            PolicyFixtures.minimal + """
                providers:
                  openai:
                    type: openai
                    api_key: { file: keys/openai }
                    tls: { ca_file: ca.pem }

                """
        let loaded = try PolicyFixtures.load(
            yaml,
            files: ["/etc/sluice/keys/openai": "sk-1\r\n", "/etc/sluice/ca.pem": "-----BEGIN CERTIFICATE-----\n"],
            file: "/etc/sluice/policy.yaml"
        )
        #expect(loaded.policy.providers["openai"]?.apiKey == .file("/etc/sluice/keys/openai"))
        #expect(loaded.policy.providers["openai"]?.tls.caFile == "/etc/sluice/ca.pem")
        #expect(loaded.secrets["openai"]?.value == "sk-1")
    }

    @Test("load(path:) reads the policy file through the environment")
    func loadPath() throws {
        let environment = PolicyEnvironment.inMemory(files: ["/etc/sluice/policy.yaml": PolicyFixtures.minimal])
        let loaded = try PolicyLoader.load(path: "/etc/sluice/policy.yaml", environment: environment)
        #expect(loaded.policy.listen.app.port == 4000)
        #expect(loaded.sha256 == SHA256.hex(of: PolicyFixtures.minimal.utf8))
    }

    @Test("retry conditions take named failures and HTTP statuses")
    func retryConditions() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.minimal + """
                providers: { demo: { type: mock } }
                models:
                  m:
                    targets: [{ provider: demo }]
                    retry: { on: [connect, timeout, 429, 5xx, context_length, content_filter, 503], backoff: 0s }

                """
        ).policy
        #expect(
            policy.models["m"]?.retry?.on == [
                "connect", "timeout", "429", "5xx", "context_length", "content_filter", "503",
            ]
        )
        #expect(policy.models["m"]?.retry?.backoff == .zero)
    }
}
