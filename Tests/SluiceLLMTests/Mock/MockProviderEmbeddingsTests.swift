import SluiceLLM
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("MockProvider: embeddings")
struct MockProviderEmbeddingsTests {
    let mock = MockProvider()

    func embed(_ json: String) throws -> JSONValue {
        try #require(JSONValue.parse(try mock.embeddings(Array(json.utf8), model: "text-embedding-3-small")))
    }

    func floats(_ item: JSONValue?) throws -> [Double] {
        try #require(item?["embedding"]?.array).map { try #require($0.double) }
    }

    func decodeBase64(_ item: JSONValue?) throws -> [Double] {
        let text = try #require(item?["embedding"]?.string)
        let data = try #require(Data(base64Encoded: text))
        let bytes = Array(data)
        return stride(from: 0, to: bytes.count, by: 4).map { offset in
            let bits =
                UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
                | UInt32(bytes[offset + 3]) << 24
            return Double(Float(bitPattern: bits))
        }
    }

    func length(_ vector: [Double]) -> Double { vector.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test("a list of unit vectors of the default length, shaped like OpenAI's")
    func floatVectors() throws {
        let reply = try embed(#"{"model":"text-embedding-3-small","input":"How do I reset my password?"}"#)
        let recorded = try #require(JSONValue.parse(WireFixture.load("openai-embeddings-float.json").response.bytes))
        #expect(reply.object.map { Set($0.keys) } == recorded.object.map { Set($0.keys) })
        #expect(reply["data"]?[0]?.object.map { Set($0.keys) } == recorded["data"]?[0]?.object.map { Set($0.keys) })
        #expect(reply["object"]?.string == "list")
        #expect(reply["data"]?[0]?["object"]?.string == "embedding")
        let vector = try floats(reply["data"]?[0])
        #expect(vector.count == MockProvider.defaultDimensions)
        #expect(abs(length(vector) - 1) < 1e-5)
        // 27 bytes of input: 7 tokens, as OpenAI counted this very input.
        #expect(reply["usage"] == .object(["prompt_tokens": .number(7), "total_tokens": .number(7)]))
    }

    @Test("dimensions and base64 are honoured; base64 holds the same little-endian floats")
    func base64() throws {
        let asFloats = try embed(#"{"input":"hello","dimensions":256}"#)
        let asBase64 = try embed(#"{"input":"hello","dimensions":256,"encoding_format":"base64"}"#)
        let direct = try floats(asFloats["data"]?[0])
        let decoded = try decodeBase64(asBase64["data"]?[0])
        #expect(direct.count == 256)
        #expect(decoded.map(Float.init) == direct.map(Float.init))
        #expect(abs(length(decoded) - 1) < 1e-5)
    }

    @Test("one vector per input, in order; equal texts get equal vectors; different texts differ")
    func batch() throws {
        let reply = try embed(#"{"input":["北京 🚀","Привет","北京 🚀"]}"#)
        let items = try #require(reply["data"]?.array)
        #expect(items.map { $0["index"]?.int } == [0, 1, 2])
        let vectors = try items.map { try floats($0) }
        #expect(vectors[0] == vectors[2])
        #expect(vectors[0] != vectors[1])
        #expect(try embed(#"{"input":"北京 🚀"}"#)["data"]?[0] == items[0])
        let tokens = try embed(#"{"input":[[1,2,3],[4]]}"#)
        #expect(tokens["usage"]?["prompt_tokens"]?.int == 4)
        #expect(tokens["data"]?.array?.count == 2)
    }

    @Test("deterministic bytes")
    func deterministic() throws {
        let json = Array(#"{"input":["a","b"],"encoding_format":"base64"}"#.utf8)
        #expect(try mock.embeddings(json, model: "m") == MockProvider().embeddings(json, model: "m"))
    }

    @Test(
        "bad inputs name the parameter",
        arguments: [
            (#"{"model":"m"}"#, SluiceError.missingField("input")),
            (#"{"input":""}"#, .invalidField("input", "it must not be empty")),
            (#"{"input":[]}"#, .invalidField("input", "it must not be empty")),
            (#"{"input":["a",""]}"#, .invalidField("input[1]", "it must not be empty")),
            (#"{"input":[[1],[]]}"#, .invalidField("input[1]", "it must not be empty")),
            (
                #"{"input":true}"#,
                .invalidFieldType("input", expected: "a string, an array of strings, or an array of token ids")
            ),
            (#"{"input":"a","dimensions":0}"#, .invalidField("dimensions", "it must be between 1 and 4096")),
            (#"{"input":"a","dimensions":"8"}"#, .invalidFieldType("dimensions", expected: "an integer")),
            (
                #"{"input":"a","encoding_format":"int8"}"#,
                .invalidField("encoding_format", "it must be 'float' or 'base64'")
            ),
        ])
    func badInput(json: String, error: SluiceError) {
        #expect(throws: error) { try mock.embeddings(Array(json.utf8), model: "m") }
    }
}
