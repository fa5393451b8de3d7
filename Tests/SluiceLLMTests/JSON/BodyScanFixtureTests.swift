import SluiceLLM
import Testing

/// BodyScan against every JSON body the providers actually sent, checked against Foundation's
/// `JSONDecoder` as an independent oracle.
@Suite("BodyScan on recorded traffic")
struct BodyScanFixtureTests {
    /// Every fixture; each contributes its request body and, when it is JSON, its response body.
    static let fixtures = WireFixture.allNames
    static let openAIRequests = WireFixture.names { $1.isOpenAIDialect }

    @Test("every fixture has been found", arguments: ["openai-chat-basic.json", "azure-openai-chat-basic.json"])
    func fixturesPresent(name: String) {
        #expect(Self.fixtures.contains(name))
        #expect(Self.fixtures.count >= 61)
    }

    @Test(
        "request and JSON response bodies are valid and every top-level field matches the oracle",
        arguments: fixtures)
    func scansLikeTheOracle(name: String) throws {
        let fixture = WireFixture.load(name)
        var bodies = [fixture.request.bytes]
        if fixture.isJSONResponse { bodies.append(fixture.response.bytes) }
        for body in bodies {
            let oracle = try #require(JSONValue.parse(body)?.object, "\(name): oracle rejects the body")
            let scan = try BodyScan.scan(body, fields: Set(oracle.keys))
            for (key, expected) in oracle {
                let field = try #require(scan[key], "\(name): \(key) not reported")
                #expect(JSONValue.parse(body[field.valueRange]) == expected, "\(name): \(key) range")
                switch expected {
                case .string(let text):
                    #expect(field.kind == .string && field.string == text, "\(name): \(key)")
                case .bool(let flag):
                    #expect(field.kind == .bool && field.bool == flag, "\(name): \(key)")
                case .number(let number):
                    #expect(field.kind == .number, "\(name): \(key)")
                    if let integer = field.integer { #expect(Double(integer) == number) }
                case .null:
                    #expect(field.kind == .null)
                case .array(let items):
                    #expect(field.kind == .array && field.isEmptyContainer == items.isEmpty, "\(name): \(key)")
                case .object(let members):
                    #expect(field.kind == .object && field.isEmptyContainer == members.isEmpty, "\(name): \(key)")
                }
            }
            #expect(scan["no_such_field"] == nil)
        }
    }

    @Test("swapping the model keeps every other byte", arguments: openAIRequests)
    func replacingModel(name: String) throws {
        let body = WireFixture.load(name).request.bytes
        let scan = try BodyScan.scanRequest(body)
        let model = try #require(scan["model"])
        let replacement = JSONText.quoted("sluice/\"target\"-model")
        let swapped = JSONText.replacing(body, range: model.valueRange, with: replacement)

        #expect(swapped[..<model.valueRange.lowerBound] == body[..<model.valueRange.lowerBound])
        let tail = model.valueRange.lowerBound + replacement.utf8.count
        #expect(Array(swapped[tail...]) == Array(body[model.valueRange.upperBound...]))
        #expect(try BodyScan.scanRequest(swapped).model == "sluice/\"target\"-model")

        var expected = try #require(JSONValue.parse(body)?.object)
        expected["model"] = .string("sluice/\"target\"-model")
        #expect(JSONValue.parse(swapped) == .object(expected))
    }

    @Test(
        "model, stream and stream_options.include_usage as the apps sent them",
        arguments: [
            ("openai-chat-streaming-usage.json", "gpt-4o-mini", true, true),
            ("openai-chat-streaming-usage-reasoning.json", "gpt-5-nano", true, true),
            ("openai-completions-streaming-usage.json", "babbage-002", true, true),
            ("openai-chat-streaming.json", "gpt-5-nano", true, false),
            ("openai-chat-basic.json", "gpt-5-nano", false, false),
            ("openai-embeddings-float.json", "text-embedding-3-small", false, false),
        ])
    func requestFlags(name: String, model: String, stream: Bool, includeUsage: Bool) throws {
        let scan = try BodyScan.scanRequest(WireFixture.load(name).request.bytes)
        #expect(scan.model == model)
        #expect(scan.isStream == stream)
        #expect(scan.includeUsage == includeUsage)
    }
}
