import Foundation
import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Streams fall back freely until their first content reaches the app")
struct StreamFallbackTests {
    static func policy(primaryPort: Int, backupPort: Int, primaryType: String = "openai") -> String {
        TestGateway.policy(
            providers: [
                TestGateway.provider(
                    "primary", type: primaryType, port: primaryPort,
                    lines: ["timeouts: { first_byte: 2s, first_token: 300ms, idle: 5s }"]),
                TestGateway.provider("backup", port: backupPort),
            ],
            models: "  chat:\n    targets: [ { provider: primary }, { provider: backup } ]")
    }

    static let sse = [("content-type", "text/event-stream")]
    static let role = #"data: {"id":"p","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"# + "\n\n"
    static let backupStream = [
        #"data: {"id":"b","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"from backup"}}]}"# + "\n\n",
        "data: [DONE]\n\n",
    ]
    static let body = #"{"model":"chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"#

    static func run(primary reply: TestProvider.Reply) async throws -> (TestClient.Response, Duration, TestProvider, TestProvider) {
        let primary = try TestProvider { _, _ in reply }
        let backup = try TestProvider { _, _ in .chunks(status: 200, headers: Self.sse, chunks: Self.backupStream) }
        let gateway = try await TestGateway.start(policy: Self.policy(primaryPort: primary.port, backupPort: backup.port))
        let client = try await gateway.client()
        let started = ContinuousClock.now
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        let elapsed = ContinuousClock.now - started
        await client.close()
        await gateway.stop()
        return (response, elapsed, primary, backup)
    }

    @Test("a stream cut after its role-only preamble falls back; the app sees only the backup's answer")
    func cutInPreamble() async throws {
        let (response, _, primary, backup) = try await Self.run(primary: .cut(headers: Self.sse, chunks: [Self.role]))
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 200)
        #expect(response.complete)
        #expect(response.body == Self.backupStream.joined())
        #expect(response.headers.first(name: "x-sluice-provider") == "backup")
        #expect(response.headers.first(name: "x-sluice-attempts") == "2")
    }

    @Test("a stream that sends no content within first_token falls back after one first_token timeout")
    func slowFirstToken() async throws {
        let gate = TestProvider.Gate()  // never opened: the role chunk, then silence
        let (response, elapsed, primary, backup) = try await Self.run(
            primary: .gated(headers: Self.sse, chunks: [Self.role, Self.backupStream[1]], gate: gate))
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 200)
        #expect(response.body == Self.backupStream.joined())
        #expect(backup.received.count == 1)
        #expect(elapsed >= .milliseconds(300))
    }

    @Test("after the first content, a cut ends the stream with an error event and no [DONE]")
    func cutAfterContent() async throws {
        let content = Self.backupStream[0].replacingOccurrences(of: "from backup", with: "partial")
        let (response, _, primary, backup) = try await Self.run(
            primary: .cut(headers: Self.sse, chunks: [Self.role, content]))
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 200)
        #expect(response.body.hasPrefix(Self.role + content))
        #expect(response.body.contains(#""error""#))
        #expect(!response.body.contains("[DONE]"))
        #expect(backup.received.isEmpty)
    }

    @Test("an Anthropic stream cut after message_start falls back too: nothing had reached the app")
    func anthropicCutInPreamble() async throws {
        let messageStart =
            "event: message_start\n"
            + #"data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":9,"output_tokens":1}}}"#
            + "\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"
        let primary = try TestProvider { _, _ in .cut(headers: Self.sse, chunks: [messageStart]) }
        let backup = try TestProvider { _, _ in .chunks(status: 200, headers: Self.sse, chunks: Self.backupStream) }
        defer { primary.stop(); backup.stop() }
        let policy = Self.policy(primaryPort: primary.port, backupPort: backup.port, primaryType: "anthropic")
        let gateway = try await TestGateway.start(policy: policy)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        #expect(response.status == 200)
        #expect(response.body == Self.backupStream.joined())
        #expect(primary.received.first?.head.uri == "/v1/messages")
        await client.close()
        await gateway.stop()
    }
}
