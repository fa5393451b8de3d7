import NIOCore
import NIOHTTP1
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Every API error with its status and OpenAI envelope")
struct APIErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var method: HTTPMethod
        var path: String
        var body: String?
        var status: Int
        var fragments: [String]
        var testDescription: String { self.name }
    }

    static let cases: [Case] = [
        Case(name: "invalid JSON", method: .POST, path: "/v1/chat/completions", body: #"{"model": "gpt-4o-mini", "messages": [}"#,
             status: 400, fragments: [#""type":"invalid_request_error""#, "not valid JSON"]),
        Case(name: "missing model", method: .POST, path: "/v1/chat/completions", body: #"{"messages":[{"role":"user","content":"x"}]}"#,
             status: 400, fragments: [#""param":"model""#]),
        Case(name: "mistyped model", method: .POST, path: "/v1/chat/completions", body: #"{"model":42,"messages":[]}"#,
             status: 400, fragments: [#""param":"model""#, "expected a string"]),
        Case(name: "missing messages", method: .POST, path: "/v1/chat/completions", body: #"{"model":"gpt-4o-mini"}"#,
             status: 400, fragments: [#""param":"messages""#]),
        Case(name: "mistyped messages", method: .POST, path: "/v1/chat/completions", body: #"{"model":"gpt-4o-mini","messages":"hi"}"#,
             status: 400, fragments: [#""param":"messages""#, "expected an array"]),
        Case(name: "model with a line break", method: .POST, path: "/v1/chat/completions",
             body: #"{"model":"mock-model\r\nx-injected: 1","messages":[{"role":"user","content":"x"}]}"#,
             status: 400, fragments: [#""param":"model""#, "control characters"]),
        Case(name: "unknown model", method: .POST, path: "/v1/chat/completions", body: #"{"model":"gpt-9","messages":[{"role":"user","content":"x"}]}"#,
             status: 404, fragments: [#""code":"model_not_found""#, "gpt-9", "mock-model"]),
        Case(name: "unknown path", method: .POST, path: "/v1/nothing-here", body: "{}",
             status: 404, fragments: ["/v1/nothing-here"]),
        Case(name: "wrong method", method: .GET, path: "/v1/chat/completions", body: nil,
             status: 405, fragments: ["POST"]),
        Case(name: "body too large", method: .POST, path: "/v1/chat/completions",
             body: #"{"model":"mock-model","messages":[{"role":"user","content":""# + String(repeating: "x", count: 70_000) + #""}]}"#,
             status: 413, fragments: ["64 KiB"]),
    ]

    @Test("answers with status, envelope and a message naming the cause", arguments: cases)
    func error(_ errorCase: Case) async throws {
        let gateway = try await TestGateway.start(policy: TestGateway.policy(providerPort: 9), environment: TestGateway.environment)
        let client = try await gateway.client()
        let response = try await client.send(errorCase.method, errorCase.path, body: errorCase.body)
        #expect(response.status == errorCase.status)
        #expect(response.headers.first(name: "content-type") == "application/json")
        #expect(response.body.hasPrefix(#"{"error":{"#))
        for fragment in errorCase.fragments {
            #expect(response.body.contains(fragment), "\(response.body) lacks \(fragment)")
        }
        await client.close()
        await gateway.stop()
    }
}

@Suite("Pure pieces of the request path")
struct RequestPathUnitTests {
    @Test("the sniffer tells h2c's preface from HTTP/1.1 as soon as the bytes allow")
    func sniffer() {
        #expect(HTTPVersionSniffer.decide(ByteBuffer(string: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) == .http2)
        #expect(HTTPVersionSniffer.decide(ByteBuffer(string: "PRI * HTTP/2")) == nil)
        #expect(HTTPVersionSniffer.decide(ByteBuffer(string: "POST /v1/chat")) == .http1)
        #expect(HTTPVersionSniffer.decide(ByteBuffer(string: "G")) == .http1)
    }

    @Test("paths match with or without /v1 and ignore the query")
    func endpoints() {
        #expect(APIEndpoint.match(uri: "/v1/chat/completions") == .chatCompletions)
        #expect(APIEndpoint.match(uri: "/chat/completions?x=1") == .chatCompletions)
        #expect(APIEndpoint.match(uri: "/v1/models/") == .models)
        #expect(APIEndpoint.match(uri: "/v1/embeddings") == .embeddings)
        #expect(APIEndpoint.match(uri: "/v2/chat/completions") == nil)
    }

    @Test("an upstream endpoint's request target for each API path: its base path, then the path")
    func upstreamTargets() throws {
        #expect(APIEndpoint.allCases.map(\.ordinal) == Array(0..<APIEndpoint.allCases.count))
        let url = UpstreamURL(scheme: "http", host: "127.0.0.1", port: 8000, basePath: "/openai/v1")
        let upstream = try UpstreamEndpoint(
            providerName: "local", url: url, config: ProviderConfig(name: "local", type: .openai, baseURL: url))
        #expect(upstream.target(for: .chatCompletions) == "/openai/v1/chat/completions")
        #expect(upstream.target(for: .completions) == "/openai/v1/completions")
        #expect(upstream.target(for: .embeddings) == "/openai/v1/embeddings")
        #expect(upstream.target(for: .models) == "/openai/v1/models")
    }

    @Test("the body collector refuses past the limit, from content-length or from the count")
    func collector() {
        var collector = RequestBodyCollector(limit: 10)
        #expect(collector.append(ByteBuffer(string: "12345")) == .collect)
        #expect(collector.append(ByteBuffer(string: "67890")) == .collect)
        #expect(collector.body.map { String(buffer: $0) } == "1234567890")
        #expect(collector.append(ByteBuffer(string: "x")) == .reject)
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["content-length": "11"])
        #expect(RequestBodyCollector.declaresTooLarge(head, limit: 10))
        #expect(!RequestBodyCollector.declaresTooLarge(head, limit: 11))
    }

    @Test("the app's credentials and hop-by-hop headers never go upstream")
    func headerFilter() {
        let headers: HTTPHeaders = [
            "authorization": "Bearer app", "x-api-key": "k", "connection": "keep-alive", "user-agent": "OpenAI/Python",
            "accept-encoding": "gzip", "x-stainless-lang": "python",
        ]
        let forwarded = UpstreamHeaders.forwarded(from: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers))
        #expect(forwarded["authorization"].isEmpty)
        #expect(forwarded["x-api-key"].isEmpty)
        #expect(forwarded["connection"].isEmpty)
        #expect(forwarded["accept-encoding"].isEmpty)
        #expect(forwarded["user-agent"] == ["OpenAI/Python"])
        #expect(forwarded["x-stainless-lang"] == ["python"])
        // Names are matched ignoring case, and only whole names.
        let mixed: HTTPHeaders = [
            "Authorization": "Bearer app", "X-API-Key": "k", "Transfer-Encoding": "chunked", "X-Authorization": "kept",
            "hos": "kept", "hosts": "kept",
        ]
        let mixedHead = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: mixed)
        #expect(UpstreamHeaders.forwarded(from: mixedHead).map(\.name) == ["X-Authorization", "hos", "hosts"])
        let relayed: HTTPHeaders = ["Set-Cookie": "a=b", "Keep-Alive": "timeout=5", "x-ratelimit-limit-requests": "60"]
        #expect(
            UpstreamHeaders.relayed(from: HTTPResponseHead(version: .http1_1, status: .ok, headers: relayed)).map(\.name)
                == ["x-ratelimit-limit-requests"])
        // From HTTP/2, whose parser lets other control characters through, a value with one is dropped.
        let fromH2: HTTPHeaders = ["x-fine": "a\tb", "x-bell": "a\u{07}b", "x-del": "a\u{7F}"]
        #expect(
            UpstreamHeaders.forwarded(from: HTTPRequestHead(version: .http2, method: .POST, uri: "/", headers: fromH2))
                .map(\.name) == ["x-fine"])
        #expect(
            UpstreamHeaders.relayed(from: HTTPResponseHead(version: .http2, status: .ok, headers: fromH2)).map(\.name)
                == ["x-fine"])
    }

    @Test("cgroup cpu.max becomes a thread count", arguments: [("200000 100000", 2.0), ("50000 100000", 0.5)])
    func cpuMax(text: String, expected: Double) {
        #expect(CPUQuota.parseCPUMax(text) == expected)
    }

    @Test("cgroup cpu.max without a quota means no limit")
    func cpuMaxUnlimited() {
        #expect(CPUQuota.parseCPUMax("max 100000") == nil)
    }
}
