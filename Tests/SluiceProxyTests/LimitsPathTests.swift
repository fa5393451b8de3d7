import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Limits through the gateway: 429s, concurrency, usage and spend")
struct LimitsPathTests {
    static func policy(providerPort: Int, limits: String, extra: String = "") -> String {
        """
        \(TestGateway.prelude())
        providers:
          upstream:
            type: openai
            base_url: http://127.0.0.1:\(providerPort)/v1
            api_key: { env: TEST_PROVIDER_KEY }
            timeouts: { connect: 1s, first_byte: 5s, idle: 5s }
          demo:
            type: mock
        models:
          gpt-4o-mini:
            targets: [ { provider: upstream } ]
          mock-model:
            targets: [ { provider: demo } ]
        workloads:
          checkout:
            limits:
        \(limits)
        \(extra)
        """
    }

    static func start(limits: String, extra: String = "", provider: TestProvider) async throws -> TestGateway {
        try await TestGateway.start(
            policy: Self.policy(providerPort: provider.port, limits: limits, extra: extra),
            environment: TestGateway.environment, workload: "checkout")
    }

    static let mockChat = #"{"model":"mock-model","messages":[{"role":"user","content":"hello there"}]}"#

    static func json(_ body: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }


    @Test("over requests_per_minute: 429 rate_limit_exceeded naming the limit, with retry-after and x-ratelimit-*")
    func requestsPerMinute() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      requests_per_minute: 2", provider: provider)
        let client = try await gateway.client()
        let started = ContinuousClock.now
        for remaining in ["1", "0"] {
            let ok = try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat)
            #expect(ok.status == 200)
            #expect(ok.headers.first(name: "x-ratelimit-limit-requests") == "2")
            #expect(ok.headers.first(name: "x-ratelimit-remaining-requests") == remaining)
        }
        let refused = try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat)
        #expect(refused.status == 429)
        let error = try #require(try Self.json(refused.body)["error"] as? [String: Any])
        #expect(error["code"] as? String == "rate_limit_exceeded")
        #expect(error["type"] as? String == "rate_limit_error")
        let message = try #require(error["message"] as? String)
        #expect(message.hasPrefix("Rate limit reached for workload 'checkout': requests_per_minute is 2. Try again in "))
        // 30 s for the next request at 2 per minute, less what refilled since the first: the
        // bounds come from the time the test measured, not from a guess at its speed.
        let elapsedMs = Int((ContinuousClock.now - started).components.seconds * 1000)
            + Int((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000) + 1
        let retryAfterMs = try #require(refused.headers.first(name: "retry-after-ms").flatMap(Int.init))
        #expect((30_000 - elapsedMs...30_000).contains(retryAfterMs))
        let retryAfter = try #require(refused.headers.first(name: "retry-after").flatMap(Int.init))
        #expect(retryAfter == (retryAfterMs + 999) / 1000)
        #expect(refused.headers.first(name: "x-ratelimit-remaining-requests") == "0")
        #expect(refused.headers.first(name: "x-ratelimit-reset-requests")?.hasSuffix("s") == true)
        #expect(refused.headers.first(name: "x-should-retry") == nil)
        await client.close()
        await gateway.stop()
    }

    @Test("an exhausted day budget: 429 budget_exceeded, x-should-retry false, the reset time; spend on /status")
    func budget() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        // $1,000 per million tokens makes one mock answer cost a few cents.
        let gateway = try await Self.start(
            limits: "      budget: { usd_per_day: 0.01 }",
            extra: "prices:\n  demo/mock-model: { input: 1000, output: 1000 }", provider: provider)
        let client = try await gateway.client()
        #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat).status == 200)
        let refused = try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat)
        #expect(refused.status == 429)
        #expect(refused.headers.first(name: "x-should-retry") == "false")
        #expect(refused.headers.first(name: "retry-after").flatMap(Int.init).map { $0 > 0 && $0 <= 86_400 } == true)
        let error = try #require(try Self.json(refused.body)["error"] as? [String: Any])
        #expect(error["code"] as? String == "budget_exceeded")
        #expect((error["message"] as? String)?.contains("of usd_per_day $0.01 this UTC day; it resets at ") == true)
        let admin = try await TestClient(port: gateway.adminPort!, group: MultiThreadedEventLoopGroup.singleton)
        let status = try Self.json(try await admin.send(.GET, "/status").body)
        let limits = try #require(status["limits"] as? [String: Any])
        let checkout = try #require((limits["workloads"] as? [String: Any])?["checkout"] as? [String: Any])
        let spend = try #require(checkout["spend_usd"] as? [String: Any])
        #expect((spend["day"] as? Double).map { $0 > 0.01 } == true)
        #expect(try await admin.send(.GET, "/metrics").body.contains("sluice_spend_nano_usd_total{workload=\"checkout\"}"))
        await admin.close()
        await client.close()
        await gateway.stop()
    }

    @Test("max_concurrent counts a stream until its last byte")
    func concurrentStreams() async throws {
        let gate = TestProvider.Gate()
        let provider = try TestProvider { _, _ in
            .gated(headers: [("content-type", "text/event-stream")], chunks: ["data: {\"choices\":[]}\n\n", "data: [DONE]\n\n"], gate: gate)
        }
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      max_concurrent: 1", provider: provider)
        let stream = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}"#
        let first = Task {
            let client = try await gateway.client()
            defer { Task { await client.close() } }
            return try await client.send(.POST, "/v1/chat/completions", body: stream)
        }
        // Wait until the provider holds the first stream open.
        while provider.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let client = try await gateway.client()
        let refused = try await client.send(.POST, "/v1/chat/completions", body: stream)
        #expect(refused.status == 429)
        #expect(refused.body.contains("max_concurrent is 1"))
        gate.open()
        #expect(try await first.value.status == 200)
        let again = try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat.replacingOccurrences(of: "mock-model", with: "mock-model"))
        #expect(again.status == 200)
        await client.close()
        await gateway.stop()
    }

    static let streamChunks = [
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}"# + "\n\n",
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"# + "\n\n",
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":400,"completion_tokens":100,"total_tokens":500}}"# + "\n\n",
        "data: [DONE]\n\n",
    ]

    @Test("every stream asks for usage upstream; the app gets the usage chunk only when it asked; tokens settle on it")
    func forcedUsage() async throws {
        let provider = try TestProvider { _, _ in
            .chunks(status: 200, headers: [("content-type", "text/event-stream")], chunks: Self.streamChunks)
        }
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      tokens_per_minute: 6000", provider: provider)
        let client = try await gateway.client()
        let started = ContinuousClock.now
        let plain = try await client.send(
            .POST, "/v1/chat/completions",
            body: #"{"model":"gpt-4o-mini","stream":true,"max_tokens":2000,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(plain.status == 200)
        #expect(!plain.body.contains("\"choices\":[]"))
        #expect(plain.body.hasSuffix("data: [DONE]\n\n"))
        #expect(provider.received.last?.body.contains(#""stream_options":{"include_usage":true}"#) == true)
        let asked = try await client.send(
            .POST, "/v1/chat/completions",
            body: #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(asked.body.contains(#""choices":[],"usage":{"prompt_tokens":400"#))
        // Two answers of 500 tokens each settled: the reservations (over 2,000 each) were released.
        let admin = try await TestClient(port: gateway.adminPort!, group: MultiThreadedEventLoopGroup.singleton)
        let status = try Self.json(try await admin.send(.GET, "/status").body)
        let tokens = try #require(
            (((status["limits"] as? [String: Any])?["workloads"] as? [String: Any])?["checkout"] as? [String: Any])?["tokens"]
                as? [String: Any])
        let remaining = try #require(tokens["remaining"] as? Int)
        // 6,000 − 2 × 500, plus what refilled meanwhile (100 a second); unreleased reservations
        // would have left under 2,100.
        let elapsed = ContinuousClock.now - started
        let refilled = Int(elapsed.components.seconds) * 100 + 100
        #expect((5_000...5_000 + refilled).contains(remaining))
        await admin.close()
        await client.close()
        await gateway.stop()
    }

    @Test("a stream whose provider sends no usage still settles: on what was delivered, not on the reservation")
    func blindStreamSettles() async throws {
        let provider = try TestProvider { _, _ in
            .chunks(
                status: 200, headers: [("content-type", "text/event-stream")],
                chunks: [Self.streamChunks[0], Self.streamChunks[1], Self.streamChunks[3]])
        }
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      tokens_per_minute: 10000", provider: provider)
        let client = try await gateway.client()
        let answer = try await client.send(
            .POST, "/v1/chat/completions",
            body: #"{"model":"gpt-4o-mini","stream":true,"max_tokens":5000,"messages":[{"role":"user","content":"hi"}]}"#)
        #expect(answer.status == 200)
        let next = try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat)
        let remaining = try #require(next.headers.first(name: "x-ratelimit-remaining-tokens").flatMap(Int.init))
        // The first request reserved over 5,000 tokens; it settled on about a dozen.
        #expect(remaining > 8_000)
        await client.close()
        await gateway.stop()
    }

    @Test("reload: unchanged limits keep their counters; a changed limit applies from the next request")
    func reload() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      requests_per_minute: 2", provider: provider)
        let client = try await gateway.client()
        for _ in 0..<2 { #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat).status == 200) }
        func reload(_ limits: String, extra: String) async throws {
            let yaml = Self.policy(providerPort: provider.port, limits: limits, extra: extra)
            let loaded = try PolicyLoader.load(yaml: yaml, file: "test.yaml", environment: TestGateway.environment)
            #expect(await gateway.gateway.apply(loaded))
        }
        // Another part of the policy changes; checkout's limit does not.
        try await reload("      requests_per_minute: 2", extra: "prices:\n  demo/mock-model: { input: 1, output: 1 }")
        #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat).status == 429)
        // Raised to 5: the two already used stay used, three more are admitted.
        try await reload("      requests_per_minute: 5", extra: "")
        for _ in 0..<3 { #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat).status == 200) }
        #expect(try await client.send(.POST, "/v1/chat/completions", body: Self.mockChat).status == 429)
        await client.close()
        await gateway.stop()
    }

    @Test("a huge or negative max_tokens is clamped: a clear 429 or an admission, never a crash")
    func hostileMaxTokens() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(limits: "      tokens_per_minute: 1000", provider: provider)
        let client = try await gateway.client()
        let huge = #"{"model":"mock-model","max_tokens":9223372036854775807,"messages":[{"role":"user","content":"hi"}]}"#
        let refused = try await client.send(.POST, "/v1/chat/completions", body: huge)
        #expect(refused.status == 429)
        #expect(refused.body.contains("Request too large"))
        #expect(refused.headers.first(name: "x-should-retry") == "false")
        let negative = #"{"model":"mock-model","max_tokens":-9223372036854775808,"messages":[{"role":"user","content":"hi"}]}"#
        #expect(try await client.send(.POST, "/v1/chat/completions", body: negative).status == 200)
        await client.close()
        await gateway.stop()
    }

    @Test("a client that leaves while its request waits out a retry-after frees its concurrency slot")
    func leavesDuringRetryPause() async throws {
        let provider = try TestProvider { _, _ in
            .chunks(status: 429, headers: [("retry-after", "5"), ("content-length", "2")], chunks: ["{}"])
        }
        defer { provider.stop() }
        let yaml = Self.policy(providerPort: provider.port, limits: "      max_concurrent: 1")
            .replacingOccurrences(
                of: "targets: [ { provider: upstream } ]",
                with: "targets: [ { provider: upstream } ]\n    retry: { attempts: 2, on: [429] }")
        let gateway = try await TestGateway.start(policy: yaml, environment: TestGateway.environment, workload: "checkout")
        let leaving = try await gateway.client()
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#
        let waiting = Task { try? await leaving.send(.POST, "/v1/chat/completions", body: body) }
        while provider.received.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await leaving.close()
        _ = await waiting.value
        let admin = try await TestClient(port: gateway.adminPort!, group: MultiThreadedEventLoopGroup.singleton)
        var inFlight = -1
        for _ in 0..<200 where inFlight != 0 {
            let status = try Self.json(try await admin.send(.GET, "/status").body)
            inFlight = ((((status["limits"] as? [String: Any])?["workloads"] as? [String: Any])?["checkout"]
                as? [String: Any])?["in_flight"] as? Int) ?? -1
            if inFlight != 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(inFlight == 0)
        await admin.close()
        await gateway.stop()
    }
}
