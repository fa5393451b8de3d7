import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

/// One fault per test from a fault-injecting provider: which target answered, how many attempts
/// each saw, and how long it took.
@Suite("Faults a provider can have, through the gateway")
struct FaultTests {
    static func policy(primaryPort: Int, backupPort: Int, retry: String) -> String {
        TestGateway.policy(
            providers: [
                TestGateway.provider("primary", port: primaryPort, lines: ["timeouts: { first_byte: 2s, idle: 300ms }"]),
                TestGateway.provider("backup", port: backupPort),
            ],
            models: "  chat:\n    targets: [ { provider: primary }, { provider: backup } ]\n    retry: \(retry)")
    }

    static let body = #"{"model":"chat","messages":[{"role":"user","content":"hi"}]}"#
    static let ok = TestProvider.Reply.chunks(
        status: 200, headers: [("content-type", "application/json")], chunks: [#"{"served_by":"primary"}"#])

    /// The primary answers its n-th request (from 0) with `replies(n)`; the backup always answers.
    static func run(
        retry: String = "{ attempts: 2, backoff: 50ms, on: [connect, timeout, 429, 5xx] }",
        stream: Bool = false,
        _ replies: @escaping @Sendable (Int) -> TestProvider.Reply
    ) async throws -> (response: TestClient.Response, primary: Int, backup: Int, elapsed: Duration) {
        let count = NIOLockedValueBox(0)
        let primary = try TestProvider { _, _ in
            let index = count.withLockedValue { value -> Int in
                defer { value += 1 }
                return value
            }
            return replies(index)
        }
        let backup = try TestProvider { _, _ in
            .chunks(status: 200, headers: [("content-type", "application/json")], chunks: [#"{"served_by":"backup"}"#])
        }
        defer {
            primary.stop()
            backup.stop()
        }
        let gateway = try await TestGateway.start(
            policy: Self.policy(primaryPort: primary.port, backupPort: backup.port, retry: retry))
        let client = try await gateway.client()
        let started = ContinuousClock.now
        let body = stream ? Self.body.replacingOccurrences(of: #""model""#, with: #""stream":true,"model""#) : Self.body
        let response = try await client.send(.POST, "/v1/chat/completions", body: body)
        let elapsed = ContinuousClock.now - started
        await client.close()
        await gateway.stop()
        return (response, primary.received.count, backup.received.count, elapsed)
    }

    @Test("429 with retry-after: waited out on the primary, which then answers")
    func rateLimitedWithRetryAfter() async throws {
        let result = try await Self.run { index in
            index == 0
                ? .chunks(status: 429, headers: [("retry-after-ms", "300"), ("content-length", "2")], chunks: ["{}"])
                : Self.ok
        }
        #expect(result.response.body.contains("primary"))
        #expect((result.primary, result.backup) == (2, 0))
        #expect(result.elapsed >= .milliseconds(300))
    }

    @Test("429 without retry-after, always: a backoff, a second try, then the fallback")
    func rateLimitedAlways() async throws {
        let result = try await Self.run { _ in
            .chunks(status: 429, headers: [("content-length", "2")], chunks: ["{}"])
        }
        #expect(result.response.body.contains("backup"))
        #expect((result.primary, result.backup) == (2, 1))
        #expect(result.response.headers.first(name: "x-sluice-attempts") == "3")
    }

    @Test("500 once: the primary again after a backoff, and it answers")
    func serverErrorOnce() async throws {
        let result = try await Self.run { index in
            index == 0 ? .chunks(status: 500, headers: [("content-length", "2")], chunks: ["{}"]) : Self.ok
        }
        #expect(result.response.body.contains("primary"))
        #expect((result.primary, result.backup) == (2, 0))
    }

    @Test("a reset before the headers: retried, then the fallback answers")
    func resetBeforeHeaders() async throws {
        let result = try await Self.run { _ in .hangUp }
        #expect(result.response.status == 200)
        #expect(result.response.body.contains("backup"))
        #expect(result.backup == 1)
    }

    @Test("a stream that stalls after its content past idle ends with an error event, not a truncated answer")
    func streamStall() async throws {
        let gate = TestProvider.Gate()  // never opened
        let content = #"data: {"choices":[{"index":0,"delta":{"content":"Hi"}}]}"# + "\n\n"
        let result = try await Self.run(retry: "{ on: [timeout] }", stream: true) { _ in
            .gated(headers: [("content-type", "text/event-stream")], chunks: [content, "data: [DONE]\n\n"], gate: gate)
        }
        #expect(result.response.body.hasPrefix(content))
        #expect(result.response.body.contains(#""code":"upstream_timeout""#))
        #expect(!result.response.body.contains("[DONE]"))
        #expect(result.backup == 0)
    }
}
