import Logging
import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Workloads: who is calling, what it may use, whose key goes upstream")
struct WorkloadTests {
    static let checkoutKey = "sk-sluice-checkout-key"
    static let searchKey = "sk-sluice-search-key"

    static func policy(providerPort: Int) -> String {
        """
        \(TestGateway.prelude())
        providers:
          upstream:
            type: openai
            base_url: http://127.0.0.1:\(providerPort)/v1
            api_key: { env: TEST_PROVIDER_KEY }
        models:
          gpt-4o-mini:
            targets: [ { provider: upstream } ]
          gpt-4o:
            targets: [ { provider: upstream } ]
        workloads:
          checkout:
            keys: [ "\(KeyHash(hashing: checkoutKey).description)" ]
            models: [ gpt-4o-mini ]
          search:
            keys: [ "\(KeyHash(hashing: searchKey).description)" ]
            require_key: true
            provider_keys: { upstream: { env: SEARCH_TEAM_KEY } }
          byok:
            credentials: passthrough
        """
    }

    static let environment = PolicyEnvironment.inMemory(
        variables: ["TEST_PROVIDER_KEY": "sk-provider-secret", "SEARCH_TEAM_KEY": "sk-search-team"]
    )
    static let chat = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#

    static func start(workload: String?, provider: TestProvider) async throws -> TestGateway {
        try await TestGateway.start(
            policy: Self.policy(providerPort: provider.port), environment: Self.environment, workload: workload)
    }


    @Test("a virtual key picks its workload, and the provider sees the policy's key, not the caller's")
    func keyToWorkload() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: "byok", provider: provider)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.chat, headers: [("authorization", "Bearer \(Self.checkoutKey)")])
        #expect(response.status == 200)
        #expect(provider.received.last?.head.headers["authorization"] == ["Bearer sk-provider-secret"])
        await client.close()
        await gateway.stop()
    }

    @Test("a workload's own provider key overrides the provider's")
    func overrideKey() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: nil, provider: provider)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.chat, headers: [("x-api-key", Self.searchKey)])
        #expect(response.status == 200)
        #expect(provider.received.last?.head.headers["authorization"] == ["Bearer sk-search-team"])
        await client.close()
        await gateway.stop()
    }

    @Test("passthrough forwards the caller's own key")
    func passthrough() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: "byok", provider: provider)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.chat, headers: [("authorization", "Bearer sk-callers-own")])
        #expect(response.status == 200)
        #expect(provider.received.last?.head.headers["authorization"] == ["Bearer sk-callers-own"])
        await client.close()
        await gateway.stop()
    }

    @Test("a model outside the allow-list is 403 naming the model and the workload")
    func notAllowed() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: "checkout", provider: provider)
        let client = try await gateway.client()
        let body = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#
        let response = try await client.send(.POST, "/v1/chat/completions", body: body)
        #expect(response.status == 403)
        #expect(response.body.contains("model_not_allowed"))
        #expect(response.body.contains("'checkout'") && response.body.contains("'gpt-4o'"))
        #expect(provider.received.isEmpty)
        await client.close()
        await gateway.stop()
    }

    @Test("/v1/models lists only what the caller's workload may use")
    func modelsFiltered() async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: "checkout", provider: provider)
        let client = try await gateway.client()
        let own = try await client.send(.GET, "/v1/models")
        #expect(own.body.contains("\"gpt-4o-mini\"") && !own.body.contains("\"gpt-4o\""))
        let search = try await client.send(.GET, "/v1/models", headers: [("authorization", "Bearer \(Self.searchKey)")])
        #expect(search.body.contains("\"gpt-4o-mini\"") && search.body.contains("\"gpt-4o\""))
        await client.close()
        await gateway.stop()
    }

    @Test("unknown keys, missing required keys and malformed headers are 401", arguments: [
        ("checkout", [("authorization", "Bearer sk-nobody-knows")]),
        ("search", []),
        ("checkout", [("authorization", "Basic dXNlcjpwYXNz")]),
    ])
    func unauthorized(workload: String, headers: [(String, String)]) async throws {
        let provider = try TestProvider.answeringEmptyObject()
        defer { provider.stop() }
        let gateway = try await Self.start(workload: workload, provider: provider)
        let client = try await gateway.client()
        let response = try await client.send(.POST, "/v1/chat/completions", body: Self.chat, headers: headers)
        #expect(response.status == 401)
        #expect(response.body.hasPrefix(#"{"error":{"#))
        #expect(provider.received.isEmpty)
        await client.close()
        await gateway.stop()
    }

    @Test("a sidecar workload the policy does not define refuses to start")
    func undefinedWorkload() throws {
        let loaded = try PolicyLoader.load(yaml: Self.policy(providerPort: 9), file: "w.yaml", environment: Self.environment)
        #expect(throws: PolicyCompileError.self) {
            _ = try PolicySnapshot(loaded, workload: "payments")
        }
    }
}
