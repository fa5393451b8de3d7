import SluiceLLM
import Testing

@Suite("MockProvider: legacy completions")
struct MockProviderCompletionsTests {
    let mock = MockProvider()

    func complete(_ json: String) throws -> JSONValue {
        try #require(
            JSONValue.parse(try mock.completion(Array(json.utf8), model: "babbage-002", id: "cmpl-1", created: 5)))
    }

    @Test("a string prompt: one choice that quotes it, usage that adds up")
    func stringPrompt() throws {
        let reply = try complete(#"{"model":"babbage-002","prompt":"def fib(n):"}"#)
        #expect(reply["object"]?.string == "text_completion")
        #expect(reply["choices"]?[0]?["text"]?.string == #"Mock answer to: "def fib(n):""#)
        #expect(reply["choices"]?[0]?["finish_reason"]?.string == "stop")
        #expect(reply["choices"]?[0]?["logprobs"] == .null)
        // "def fib(n):" is 11 bytes (3 tokens); the answer is 29 bytes (8).
        #expect(
            reply["usage"]
                == .object(["prompt_tokens": .number(3), "completion_tokens": .number(8), "total_tokens": .number(11)]))
    }

    @Test("an array of prompts gets one choice per prompt; token prompts cost a token per id")
    func arrays() throws {
        let reply = try complete(#"{"prompt":["one","two"]}"#)
        #expect(reply["choices"]?.array?.count == 2)
        #expect(reply["choices"]?[1]?["index"]?.int == 1)
        #expect(reply["choices"]?[1]?["text"]?.string == #"Mock answer to: "two""#)
        let tokens = try complete(#"{"prompt":[1,2,3]}"#)
        #expect(tokens["usage"]?["prompt_tokens"]?.int == 3)
        #expect(tokens["choices"]?[0]?["text"]?.string == #"Mock answer to: "3 tokens""#)
        let lists = try complete(#"{"prompt":[[1,2],[3]]}"#)
        #expect(lists["choices"]?.array?.count == 2)
        #expect(lists["usage"]?["prompt_tokens"]?.int == 3)
    }

    @Test("a stream shaped like the recorded babbage stream, usage only when asked")
    func stream() throws {
        let fixture = WireFixture.load("openai-completions-streaming-usage.json")
        let recorded = TestSupport.events(fixture.response.bytes)
        let frames = try mock.completionStream(
            fixture.request.bytes, model: "babbage:2023-07-21-v2", id: "cmpl-1", created: 5)
        let events = TestSupport.events(frames.flatMap { $0 })
        #expect(events.last?.data == "[DONE]")
        func keys(_ event: SSEEvent) throws -> [String] { try TestSupport.topLevelKeys(Array(event.data.utf8)) }
        #expect(try keys(events[0]) == keys(recorded[0]))
        #expect(try keys(events[events.count - 2]) == keys(recorded[recorded.count - 2]))
        let usageChunk = try #require(JSONValue.parse(Array(events[events.count - 2].data.utf8)))
        let texts = try events.dropLast(3).map {
            try #require(JSONValue.parse(Array($0.data.utf8))?["choices"]?[0]?["text"]?.string)
        }
        #expect(texts.count >= 3)
        let whole = try #require(
            JSONValue.parse(try mock.completion(fixture.request.bytes, model: "m", id: "i", created: 1)))
        #expect(texts.joined() == whole["choices"]?[0]?["text"]?.string)
        #expect(usageChunk["usage"] == whole["usage"])
        #expect(usageChunk["choices"] == .array([]))

        let plain = try mock.completionStream(
            Array(#"{"prompt":"x","stream":true}"#.utf8), model: "m", id: "i", created: 1)
        let chunks = TestSupport.events(plain.flatMap { $0 }).dropLast().compactMap {
            JSONValue.parse(Array($0.data.utf8))
        }
        #expect(chunks.allSatisfy { $0["usage"] == nil && $0["choices"]?.array?.count == 1 })
        #expect(chunks.last?["choices"]?[0]?["finish_reason"]?.string == "stop")
    }

    @Test(
        "bad prompts name the parameter",
        arguments: [
            (#"{"model":"m"}"#, SluiceError.missingField("prompt")),
            (#"{"prompt":[]}"#, .invalidField("prompt", "it must not be empty")),
            (
                #"{"prompt":42}"#,
                .invalidFieldType("prompt", expected: "a string, an array of strings, or an array of token ids")
            ),
            (
                #"{"prompt":["a",1]}"#,
                .invalidFieldType(
                    "prompt", expected: "a string, an array of strings, or an array of token ids, not a mixture")
            ),
            (#"{"prompt":["a",{}]}"#, .invalidFieldType("prompt[1]", expected: "a string or an array of token ids")),
        ])
    func badPrompt(json: String, error: SluiceError) {
        #expect(throws: error) { try mock.completion(Array(json.utf8), model: "m", id: "i", created: 1) }
        #expect(throws: error) { try mock.completionStream(Array(json.utf8), model: "m", id: "i", created: 1) }
    }
}
