import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Streams the provider got wrong: a malformed chunk, no [DONE]")
struct StreamCleanupTests {
    static let sse = [("content-type", "text/event-stream")]
    static func chunk(_ text: String) -> String {
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\#(text)"}}]}"# + "\n\n"
    }
    static let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}"#

    static func answer(_ chunks: [String]) async throws -> TestClient.Response {
        let provider = try TestProvider { _, _ in .chunks(status: 200, headers: Self.sse, chunks: chunks) }
        defer { provider.stop() }
        let gateway = try await TestGateway.start(
            policy: TestGateway.policy(providerPort: provider.port), environment: TestGateway.environment)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        await client.close()
        await gateway.stop()
        return response
    }

    @Test("a malformed chunk is skipped; the chunks around it and [DONE] arrive")
    func malformedChunk() async throws {
        let broken = #"data: {"choices":[{"delta":{"content":"x"}"# + "\n\n"
        let response = try await Self.answer([Self.chunk("a"), broken, Self.chunk("b"), "data: [DONE]\n\n"])
        #expect(response.status == 200)
        #expect(response.body == Self.chunk("a") + Self.chunk("b") + "data: [DONE]\n\n")
    }

    @Test("a stream that ends cleanly without [DONE] is finished for the app at once")
    func noDone() async throws {
        let response = try await Self.answer([Self.chunk("a"), Self.chunk("b")])
        #expect(response.complete)
        #expect(response.body == Self.chunk("a") + Self.chunk("b") + "data: [DONE]\n\n")
    }
}
