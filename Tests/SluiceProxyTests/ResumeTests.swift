import Foundation
import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("resume: a stream cut mid-answer is continued on a target that takes a prefill")
struct ResumeTests {
    static func policy(primaryPort: Int, anthropicPort: Int, resume: Bool) -> String {
        TestGateway.policy(
            providers: [
                TestGateway.provider("primary", port: primaryPort),
                TestGateway.provider(
                    "claude", type: "anthropic", port: anthropicPort, lines: ["api_key: { env: TEST_PROVIDER_KEY }"]),
            ],
            models: "  chat:\n    targets: [ { provider: primary, model: gpt-4o }, "
                + "{ provider: claude, model: claude-sonnet-4-5 } ]\n    resume: \(resume)")
    }

    static let sse = [("content-type", "text/event-stream")]
    static func chunk(_ text: String) -> String {
        #"data: {"id":"p","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"\#(text)"},"finish_reason":null}]}"# + "\n\n"
    }
    static let continuation = [
        "event: message_start\n" + #"data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"usage":{"input_tokens":20,"output_tokens":1}}}"# + "\n\n",
        "event: content_block_start\n" + #"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"# + "\n\n",
        "event: content_block_delta\n" + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" world"}}"# + "\n\n",
        "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":0}"# + "\n\n",
        "event: message_delta\n" + #"data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}"# + "\n\n",
        "event: message_stop\n" + #"data: {"type":"message_stop"}"# + "\n\n",
    ]
    static let body = #"{"model":"chat","stream":true,"messages":[{"role":"user","content":"Say hello world"}]}"#

    static func run(anthropic reply: TestProvider.Reply, resume: Bool = true) async throws
        -> (TestClient.Response, TestProvider)
    {
        let primary = try TestProvider { _, _ in .cut(headers: Self.sse, chunks: [Self.chunk("Hello")]) }
        defer { primary.stop() }
        let claude = try TestProvider { _, _ in reply }
        let gateway = try await TestGateway.start(
            policy: Self.policy(primaryPort: primary.port, anthropicPort: claude.port, resume: resume),
            environment: TestGateway.environment)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        await client.close()
        await gateway.stop()
        return (response, claude)
    }

    @Test("the continuation is spliced into the same stream, which ends with [DONE]; the prefill is what was sent")
    func resumes() async throws {
        let (response, claude) = try await Self.run(anthropic: .chunks(status: 200, headers: Self.sse, chunks: Self.continuation))
        defer { claude.stop() }
        #expect(response.status == 200)
        #expect(response.body.hasPrefix(Self.chunk("Hello")))
        #expect(response.body.contains(#""content":" world""#))
        #expect(response.body.hasSuffix("data: [DONE]\n\n"))
        #expect(!response.body.contains(#""error""#))
        let sent = try #require(claude.received.first?.body)
        let request = try #require(JSONSerialization.jsonObject(with: Data(sent.utf8)) as? [String: Any])
        let messages = try #require(request["messages"] as? [[String: Any]])
        #expect(messages.last?["role"] as? String == "assistant")
        #expect("\(messages.last?["content"] ?? "")".contains("Hello"))
    }

    @Test("a target that refuses the prefill: the app never sees the refusal; the stream ends with an error event")
    func prefillRefused() async throws {
        let refusal = #"{"type":"error","error":{"type":"invalid_request_error","message":"This model does not support assistant message prefill."}}"#
        let (response, claude) = try await Self.run(
            anthropic: .chunks(status: 400, headers: [("content-type", "application/json")], chunks: [refusal]))
        defer { claude.stop() }
        #expect(response.status == 200)
        #expect(response.body.hasPrefix(Self.chunk("Hello")))
        #expect(response.body.contains(#""error""#))
        #expect(!response.body.contains("prefill"))
        #expect(!response.body.contains("[DONE]"))
        #expect(claude.received.count == 1)
    }

    @Test("without resume, a cut stream ends with an error event and no other target is asked")
    func withoutResume() async throws {
        let (response, claude) = try await Self.run(
            anthropic: .chunks(status: 200, headers: Self.sse, chunks: Self.continuation), resume: false)
        defer { claude.stop() }
        #expect(response.body.contains(#""error""#))
        #expect(claude.received.isEmpty)
    }
}
