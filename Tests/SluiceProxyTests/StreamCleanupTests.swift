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

    static func answer(_ chunks: [String], headers: [(String, String)] = Self.sse) async throws -> TestClient.Response {
        let provider = try TestProvider { _, _ in .chunks(status: 200, headers: headers, chunks: chunks) }
        defer { provider.stop() }
        let gateway = try await TestGateway.start(
            policy: TestGateway.policy(providerPort: provider.port), environment: TestGateway.environment)
        let client = try await gateway.client()
        // An answer that never ends is cut here, and comes back incomplete, rather than hanging the suite.
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            await client.close()
        }
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        watchdog.cancel()
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

    @Test("a stream the provider frames with content-length arrives whole and unframed when the filter changes its length")
    func contentLengthStream() async throws {
        // The app did not ask for usage: the usage chunk comes out, and the provider's length no longer holds
        // (kept, it left the app waiting for bytes that never come).
        let usage =
            #"data: {"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}"#
            + "\n\n"
        let chunks = [Self.chunk("a"), usage, "data: [DONE]\n\n"]
        let length = chunks.reduce(0) { $0 + $1.utf8.count }
        let response = try await Self.answer(chunks, headers: Self.sse + [("content-length", String(length))])
        #expect(response.status == 200)
        #expect(response.complete)
        #expect(response.headers.first(name: "content-length") == nil)
        #expect(response.body == Self.chunk("a") + "data: [DONE]\n\n")
    }

    @Test("a stream that ends cleanly without [DONE] is finished for the app at once")
    func noDone() async throws {
        let response = try await Self.answer([Self.chunk("a"), Self.chunk("b")])
        #expect(response.complete)
        #expect(response.body == Self.chunk("a") + Self.chunk("b") + "data: [DONE]\n\n")
    }
}
