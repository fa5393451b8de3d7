import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Fallback across targets when the first fails before answering")
struct FallbackTests {
    static func policy(primaryPort: Int, backupPort: Int, retry: String = "") -> String {
        """
        \(TestGateway.prelude())
        providers:
          primary:
            type: openai
            base_url: http://127.0.0.1:\(primaryPort)/v1
            timeouts: { connect: 1s, first_byte: 300ms, idle: 1s }
          backup:
            type: openai
            base_url: http://127.0.0.1:\(backupPort)/v1
        models:
          chat:
            targets: [ { provider: primary, model: primary-model }, { provider: backup, model: backup-model } ]
        \(retry)
        """
    }

    static let body = #"{"model":"chat","messages":[{"role":"user","content":"hi"}]}"#

    static func backup() throws -> TestProvider {
        try TestProvider { _, body in
            .chunks(status: 200, headers: [("content-type", "application/json")], chunks: [#"{"served_by":"backup"}"#])
        }
    }

    static func run(
        primary: TestProvider.Reply?,
        requests: Int = 1,
        _ check: (TestProvider?, TestProvider, [TestClient.Response]) throws -> Void
    ) async throws {
        let backup = try Self.backup()
        defer { backup.stop() }
        let primaryProvider = try primary.map { reply in try TestProvider { _, _ in reply } }
        defer { primaryProvider?.stop() }
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let gateway = try await TestGateway.start(
            policy: Self.policy(primaryPort: primaryProvider?.port ?? refusing.port, backupPort: backup.port)
        )
        let client = try await gateway.client()
        var responses: [TestClient.Response] = []
        for _ in 0..<requests {
            responses.append(try await client.send(.POST, "/v1/chat/completions", body: Self.body))
        }
        try check(primaryProvider, backup, responses)
        await client.close()
        await gateway.stop()
    }

    @Test("a refused connection moves on to the next target at once")
    func refused() async throws {
        try await Self.run(primary: nil) { _, backup, responses in
            let response = responses[0]
            #expect(response.status == 200)
            #expect(response.body.contains("backup"))
            #expect(response.headers.first(name: "x-sluice-provider") == "backup")
            #expect(response.headers.first(name: "x-sluice-model") == "backup-model")
            #expect(response.headers.first(name: "x-sluice-attempts") == "2")
            #expect(backup.received.first?.body.contains("\"backup-model\"") == true)
        }
    }

    @Test("a 503 from the first target is not shown to the app; the fallback answers")
    func serverError() async throws {
        try await Self.run(primary: .chunks(status: 503, headers: [("content-length", "2")], chunks: ["{}"])) { primary, _, responses in
            #expect(responses[0].status == 200)
            #expect(responses[0].body.contains("backup"))
            #expect(primary?.received.count == 1)
        }
    }

    @Test("a provider that never answers costs one first_byte timeout, then the fallback answers")
    func silent() async throws {
        try await Self.run(primary: .silence) { primary, _, responses in
            #expect(responses[0].status == 200)
            #expect(responses[0].body.contains("backup"))
            #expect(primary?.received.count == 1)
        }
    }

    @Test("a 4xx the caller caused is passed on, never retried elsewhere")
    func callerError() async throws {
        let error = #"{"error":{"message":"bad request","type":"invalid_request_error","param":null,"code":null}}"#
        try await Self.run(primary: .chunks(status: 400, headers: [("content-type", "application/json")], chunks: [error])) {
            primary, backup, responses in
            #expect(responses[0].status == 400)
            #expect(responses[0].body == error)
            #expect(backup.received.isEmpty)
        }
    }

    @Test("after five failures the breaker opens and the dead target is skipped")
    func breaker() async throws {
        try await Self.run(primary: .chunks(status: 500, headers: [("content-length", "2")], chunks: ["{}"]), requests: 12) {
            primary, backup, responses in
            #expect(responses.allSatisfy { $0.status == 200 })
            #expect(primary?.received.count == 5)
            #expect(backup.received.count == 12)
            #expect(responses.last?.headers.first(name: "x-sluice-attempts") == "1")
        }
    }

    @Test("with the first target down, every request of a 1,000-request run succeeds through the fallback")
    func outage() async throws {
        try await Self.run(primary: nil, requests: 1000) { _, backup, responses in
            #expect(responses.filter { $0.status != 200 }.isEmpty)
            #expect(backup.received.count == 1000)
        }
    }

    @Test("when every target fails, the app hears the last failure")
    func allFail() async throws {
        let primary = try RefusingPort()
        let backup = try RefusingPort()
        defer {
            primary.close()
            backup.close()
        }
        let gateway = try await TestGateway.start(policy: Self.policy(primaryPort: primary.port, backupPort: backup.port))
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        #expect(response.status == 502)
        #expect(response.body.contains("provider 'backup'"))
        #expect(response.headers.first(name: "x-sluice-attempts") == "2")
        await client.close()
        await gateway.stop()
    }

    @Test("attempts are counted by outcome, and /status shows each target's breaker and health")
    func visibility() async throws {
        let backup = try Self.backup()
        defer { backup.stop() }
        let primary = try TestProvider { _, _ in .chunks(status: 500, headers: [("content-length", "2")], chunks: ["{}"]) }
        defer { primary.stop() }
        let gateway = try await TestGateway.start(policy: Self.policy(primaryPort: primary.port, backupPort: backup.port))
        let client = try await gateway.client()
        for _ in 0..<6 {
            #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.body).status == 200)
        }
        let metrics = gateway.gateway.state.metrics.render()
        #expect(metrics.contains(#"sluice_attempts_total{provider="primary",outcome="500"} 5"#))
        let admin = try await TestClient(port: gateway.adminPort!, group: MultiThreadedEventLoopGroup.singleton)
        let status = try await admin.send(.GET, "/status")
        #expect(status.body.contains(#""target":"primary/primary-model","breaker":"open""#))
        #expect(status.body.contains(#""target":"backup/backup-model","breaker":"closed""#))
        await admin.close()
        await client.close()
        await gateway.stop()
    }
}
