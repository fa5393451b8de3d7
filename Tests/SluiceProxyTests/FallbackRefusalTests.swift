import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Fallback on a prompt too long for the context, and on a content filter")
struct FallbackRefusalTests {
    static func policy(primaryPort: Int, backupPort: Int, on: String) -> String {
        TestGateway.policy(
            providers: [TestGateway.provider("primary", port: primaryPort), TestGateway.provider("backup", port: backupPort)],
            models: "  chat:\n    targets: [ { provider: primary, model: small-context }, "
                + "{ provider: backup, model: large-context } ]\n    retry: { on: [\(on)] }")
    }

    static let contextLength =
        #"{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
    static let contentFilter =
        #"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400}}"#
    static let body = #"{"model":"chat","messages":[{"role":"user","content":"a very long prompt"}]}"#

    static func exchange(primaryAnswer: String, on: String) async throws -> (TestClient.Response, TestProvider, TestProvider) {
        let primary = try TestProvider { _, _ in
            .chunks(status: 400, headers: [("content-type", "application/json")], chunks: [primaryAnswer])
        }
        let backup = try TestProvider { _, _ in
            .chunks(status: 200, headers: [("content-type", "application/json")], chunks: [#"{"served_by":"backup"}"#])
        }
        let gateway = try await TestGateway.start(
            policy: Self.policy(primaryPort: primary.port, backupPort: backup.port, on: on))
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.body)
        await client.close()
        await gateway.stop()
        return (response, primary, backup)
    }

    @Test("context_length: a prompt too long for the first target goes to the next, without retrying the first")
    func contextLengthFallsBack() async throws {
        let (response, primary, backup) = try await Self.exchange(primaryAnswer: Self.contextLength, on: "context_length")
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 200)
        #expect(response.body.contains("backup"))
        #expect(response.headers.first(name: "x-sluice-model") == "large-context")
        #expect(response.headers.first(name: "x-sluice-attempts") == "2")
        #expect(primary.received.count == 1)
        #expect(backup.received.count == 1)
    }

    @Test("content_filter in retry.on: the next target is asked, the filtering one is not asked again")
    func contentFilterFallsBack() async throws {
        let (response, primary, backup) = try await Self.exchange(primaryAnswer: Self.contentFilter, on: "content_filter")
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 200)
        #expect(primary.received.count == 1)
        #expect(backup.received.count == 1)
    }

    @Test("a content filter the route does not fall back on reaches the app in the provider's own words")
    func contentFilterReachesApp() async throws {
        let (response, primary, backup) = try await Self.exchange(primaryAnswer: Self.contentFilter, on: "context_length")
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 400)
        #expect(response.body == Self.contentFilter)
        #expect(backup.received.isEmpty)
    }

    @Test("an ordinary 400 is the caller's: never retried, relayed as the provider wrote it")
    func ordinaryBadRequest() async throws {
        let plain = #"{"error":{"message":"Unsupported parameter: 'foo'.","type":"invalid_request_error","param":"foo","code":"unsupported_parameter"}}"#
        let (response, primary, backup) = try await Self.exchange(primaryAnswer: plain, on: "context_length, content_filter")
        defer { primary.stop(); backup.stop() }
        #expect(response.status == 400)
        #expect(response.body == plain)
        #expect(primary.received.count == 1)
        #expect(backup.received.isEmpty)
    }
}
