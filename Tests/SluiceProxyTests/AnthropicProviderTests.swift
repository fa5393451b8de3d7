import Foundation
import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("An OpenAI-speaking app served by an Anthropic provider (recorded answers)")
struct AnthropicProviderTests {
    static func policy(providerPort: Int) -> String {
        """
        \(TestGateway.prelude())
        providers:
          claude:
            type: anthropic
            base_url: http://127.0.0.1:\(providerPort)
            api_key: { env: TEST_PROVIDER_KEY }
        models:
          sonnet:
            targets: [ { provider: claude, model: claude-sonnet-4-5 } ]
        """
    }

    static func start(_ recording: String) async throws -> (TestProvider, TestGateway) {
        let reply = try WireRecording.load(recording).reply
        let provider = try TestProvider { _, _ in reply }
        let gateway = try await TestGateway.start(policy: Self.policy(providerPort: provider.port), environment: TestGateway.environment)
        return (provider, gateway)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    @Test("a plain answer comes back as a chat.completion; the provider got a Messages request with its key")
    func plain() async throws {
        let (provider, gateway) = try await Self.start("anthropic-messages-basic")
        defer { provider.stop() }
        let client = try await gateway.client()
        let body = #"{"model":"sonnet","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Tell me a joke about OpenTelemetry"}]}"#
        let response = try await client.send(.POST, "/v1/chat/completions", body: body, headers: [("authorization", "Bearer app-key")])
        #expect(response.status == 200)
        let answer = try Self.json(response.body)
        #expect(answer["object"] as? String == "chat.completion")
        let message = ((answer["choices"] as! [[String: Any]])[0]["message"] as! [String: Any])
        #expect((message["content"] as? String)?.hasPrefix("Sure, here's a joke about OpenTelemetry") == true)
        #expect((answer["usage"] as? [String: Any])?["prompt_tokens"] != nil)
        let sent = try #require(provider.received.first)
        #expect(sent.head.uri == "/v1/messages")
        #expect(sent.head.headers["x-api-key"] == ["sk-provider-secret"])
        #expect(sent.head.headers["authorization"].isEmpty)
        #expect(sent.head.headers["anthropic-version"] == ["2023-06-01"])
        let request = try Self.json(sent.body)
        #expect(request["model"] as? String == "claude-sonnet-4-5")
        #expect(request["system"] != nil)
        #expect(request["max_tokens"] as? Int != nil)
        await client.close()
        await gateway.stop()
    }

    @Test("a streamed tool call becomes OpenAI chunks with tool_calls deltas, ending with [DONE]")
    func streamedTools() async throws {
        let (provider, gateway) = try await Self.start("anthropic-messages-streaming-tools")
        defer { provider.stop() }
        let client = try await gateway.client()
        let body = #"""
            {"model":"sonnet","stream":true,"messages":[{"role":"user","content":"weather in SF?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]}
            """#
        let response = try await client.send(.POST, "/v1/chat/completions", body: body)
        #expect(response.status == 200)
        #expect(response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true)
        #expect(response.body.hasSuffix("data: [DONE]\n\n"))
        let payloads = response.body.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: {") }
        let chunks = try payloads.map { try Self.json(String($0.dropFirst(6))) }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        // Argument fragments per tool call, joined in order: each must be one JSON document.
        var arguments: [Int: String] = [:]
        for chunk in chunks {
            guard let choice = (chunk["choices"] as? [[String: Any]])?.first,
                let delta = choice["delta"] as? [String: Any],
                let calls = delta["tool_calls"] as? [[String: Any]]
            else { continue }
            for call in calls {
                let index = call["index"] as? Int ?? -1
                let fragment = (call["function"] as? [String: Any])?["arguments"] as? String ?? ""
                arguments[index, default: ""] += fragment
            }
        }
        #expect(arguments.count == 2)
        for (index, text) in arguments {
            #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil, "tool call \(index): \(text)")
        }
        let finish = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }
        #expect(finish.last == "tool_calls")
        await client.close()
        await gateway.stop()
    }

    @Test("Anthropic's error comes back in OpenAI's envelope with the right status")
    func error() async throws {
        let (provider, gateway) = try await Self.start("anthropic-messages-error-authentication")
        defer { provider.stop() }
        let client = try await gateway.client()
        let body = #"{"model":"sonnet","messages":[{"role":"user","content":"hi"}]}"#
        let response = try await client.send(.POST, "/v1/chat/completions", body: body)
        #expect(response.status == 401)
        let envelope = try Self.json(response.body)
        let error = try #require(envelope["error"] as? [String: Any])
        #expect(error["message"] as? String == "invalid x-api-key")
        await client.close()
        await gateway.stop()
    }

    @Test("embeddings are not something an Anthropic provider serves: 400 naming the provider")
    func notChat() async throws {
        let (provider, gateway) = try await Self.start("anthropic-messages-basic")
        defer { provider.stop() }
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/embeddings", body: #"{"model":"sonnet","input":"x"}"#)
        #expect(response.status == 400)
        #expect(response.body.contains("Anthropic provider 'claude'"))
        #expect(provider.received.isEmpty)
        await client.close()
        await gateway.stop()
    }
}
