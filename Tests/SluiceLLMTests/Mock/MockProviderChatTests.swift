import SluiceLLM
import Testing

@Suite("MockProvider: chat completions")
struct MockProviderChatTests {
    let mock = MockProvider()

    static func body(_ json: String) -> [UInt8] { Array(json.utf8) }

    static let question =
        #"{"model":"demo","messages":[{"role":"system","content":"Be brief."},"#
        + #"{"role":"user","content":"Which ocean contains Bouvet Island?"}]}"#

    func complete(_ json: String) throws -> JSONValue {
        let bytes = try mock.chatCompletion(
            Self.body(json), model: "gpt-4o-mini", id: "chatcmpl-mock1", created: 1_752_883_238)
        return try #require(JSONValue.parse(bytes))
    }

    func stream(_ json: String) throws -> [SSEEvent] {
        let frames = try mock.chatCompletionStream(
            Self.body(json), model: "gpt-4o-mini", id: "chatcmpl-mock1", created: 7)
        for frame in frames {
            // Each frame is exactly one event.
            #expect(TestSupport.events(frame).count == 1)
        }
        return TestSupport.events(frames.flatMap { $0 })
    }

    @Test("a chat.completion that quotes the question, with usage that adds up")
    func completion() throws {
        let reply = try complete(Self.question)
        #expect(reply["object"]?.string == "chat.completion")
        #expect(reply["id"]?.string == "chatcmpl-mock1")
        #expect(reply["model"]?.string == "gpt-4o-mini")
        #expect(reply["created"]?.int == 1_752_883_238)
        let choice = try #require(reply["choices"]?[0])
        #expect(choice["message"]?["role"]?.string == "assistant")
        #expect(choice["message"]?["content"]?.string == #"Mock answer to: "Which ocean contains Bouvet Island?""#)
        #expect(choice["finish_reason"]?.string == "stop")
        let usage = try #require(reply["usage"])
        // "Be brief." is 9 bytes (3 tokens), the question 35 bytes (9); the answer 53 bytes (14).
        #expect(usage["prompt_tokens"]?.int == 12)
        #expect(usage["completion_tokens"]?.int == 14)
        #expect(usage["total_tokens"]?.int == 26)
        #expect(usage["prompt_tokens_details"]?["cached_tokens"]?.int == 0)
    }

    @Test("keys in the order OpenAI sends them")
    func keyOrder() throws {
        let recorded = WireFixture.load("openai-chat-basic-byte-exact.json").response.bytes
        let bytes = try mock.chatCompletion(Self.body(Self.question), model: "m", id: "i", created: 1)
        #expect(try TestSupport.topLevelKeys(bytes) == TestSupport.topLevelKeys(recorded))
    }

    @Test("the same request gives the same bytes")
    func deterministic() throws {
        let first = try mock.chatCompletion(Self.body(Self.question), model: "m", id: "i", created: 1)
        let second = try MockProvider().chatCompletion(Self.body(Self.question), model: "m", id: "i", created: 1)
        #expect(first == second)
        #expect(
            try mock.chatCompletionStream(Self.body(Self.question), model: "m", id: "i", created: 1)
                == MockProvider().chatCompletionStream(Self.body(Self.question), model: "m", id: "i", created: 1))
    }

    @Test("content parts: text parts are read, other parts skipped")
    func contentParts() throws {
        let json =
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"What is"},"#
            + #"{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},"#
            + #"{"type":"text","text":"this?"}]}]}"#
        #expect(
            try complete(json)["choices"]?[0]?["message"]?["content"]?.string == #"Mock answer to: "What is this?""#)
    }

    @Test("the last user message is the question, cut to 200 characters")
    func truncation() throws {
        let long = String(repeating: "é", count: 250)
        let json =
            #"{"messages":[{"role":"user","content":"first"},{"role":"user","content":"\#(long)"},"#
            + #"{"role":"assistant","content":"earlier answer"}]}"#
        let content = try #require(try complete(json)["choices"]?[0]?["message"]?["content"]?.string)
        #expect(content == "Mock answer to: \"" + String(repeating: "é", count: 200) + "…\"")
    }

    @Test("a stream: role, words, finish, [DONE]; no usage chunk unless asked")
    func streamWithoutUsage() throws {
        let events = try stream(Self.question)
        #expect(events.last?.data == "[DONE]")
        let chunks = try events.dropLast().map { try #require(JSONValue.parse(Array($0.data.utf8))) }
        #expect(chunks.allSatisfy { $0["object"]?.string == "chat.completion.chunk" && $0["usage"] == nil })
        #expect(chunks.first?["choices"]?[0]?["delta"]?["role"]?.string == "assistant")
        #expect(chunks.last?["choices"]?[0]?["finish_reason"]?.string == "stop")
        let words = chunks.dropFirst().dropLast().compactMap { $0["choices"]?[0]?["delta"]?["content"]?.string }
        #expect(words.count >= 3)
        #expect(words.count == chunks.count - 2)
        let whole = try complete(Self.question)["choices"]?[0]?["message"]?["content"]?.string
        #expect(words.joined() == whole)
    }

    @Test("a stream with include_usage ends with a usage chunk like OpenAI's")
    func streamWithUsage() throws {
        let json =
            #"{"model":"m","stream":true,"stream_options":{"include_usage":true},"#
            + #""messages":[{"role":"user","content":"Answer in up to 3 words: Which ocean contains Bouvet Island?"}]}"#
        let events = try stream(json)
        let chunks = try events.dropLast().map { try #require(JSONValue.parse(Array($0.data.utf8))) }
        #expect(chunks.dropLast().allSatisfy { $0["usage"] == .null })
        let last = try #require(chunks.last)
        #expect(last["choices"] == .array([]))
        let usage = try complete(json)["usage"]
        #expect(last["usage"] == usage)

        // The sniffer reads the same usage off the wire.
        var sniffer = UsageSniffer(framing: .sse)
        for frame in try mock.chatCompletionStream(Self.body(json), model: "m", id: "i", created: 1) {
            sniffer.feed(frame)
        }
        #expect(sniffer.usage?.totalTokens == usage?["total_tokens"]?.int)
        #expect(sniffer.usage?.promptTokens == usage?["prompt_tokens"]?.int)
    }

    @Test("chunks have the keys, in the order, of the recorded gpt-4o-mini stream")
    func chunkShape() throws {
        let recorded = TestSupport.events(WireFixture.load("openai-chat-streaming-usage.json").response.bytes)
        let json = WireFixture.load("openai-chat-streaming-usage.json").request.bytes
        let frames = try mock.chatCompletionStream(json, model: "gpt-4o-mini-2024-07-18", id: "x", created: 1)
        let mine = frames.map { TestSupport.events($0)[0] }
        #expect(mine.count >= 7 && recorded.count == 8)
        func keys(_ event: SSEEvent) throws -> [String] { try TestSupport.topLevelKeys(Array(event.data.utf8)) }
        // Role chunk, a content chunk, the finish chunk, the usage chunk.
        for (my, theirs) in [
            (mine[0], recorded[0]), (mine[1], recorded[1]), (mine[mine.count - 3], recorded[5]),
            (mine[mine.count - 2], recorded[6]),
        ] {
            #expect(try keys(my) == keys(theirs))
            let myChoice = JSONValue.parse(Array(my.data.utf8))?["choices"]?[0]
            let theirChoice = JSONValue.parse(Array(theirs.data.utf8))?["choices"]?[0]
            #expect(myChoice?.object.map { Set($0.keys) } == theirChoice?.object.map { Set($0.keys) })
            #expect(
                myChoice?["delta"]?.object.map { Set($0.keys) } == theirChoice?["delta"]?.object.map { Set($0.keys) })
        }
        #expect(mine.last?.data == "[DONE]")
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var json: String
        var error: SluiceError
        var testDescription: String { json }
    }

    static let badRequests: [BadRequest] = [
        BadRequest(json: #"{"model":"m"}"#, error: .missingField("messages")),
        BadRequest(json: #"{"messages":[]}"#, error: .invalidField("messages", "it must contain at least one message")),
        BadRequest(
            json: #"{"messages":"hi"}"#, error: .invalidFieldType("messages", expected: "an array of message objects")),
        BadRequest(json: #"{"messages":[{"content":"hi"}]}"#, error: .missingField("messages[0].role")),
        BadRequest(
            json: #"{"messages":[{"role":"user","content":"a"},{"role":"user","content":42}]}"#,
            error: .invalidFieldType("messages[1].content", expected: "a string or an array of content parts")),
        BadRequest(
            json: #"{"messages":[{"role":"user","content":[{"type":"text"}]}]}"#,
            error: .missingField("messages[0].content[0].text")),
        BadRequest(
            json: #"{"messages":[{"role":"user","content":"hi"}],}"#,
            error: .invalidJSON(BodyScanError(offset: 45, reason: "expected a string key after ','"))),
        BadRequest(json: "", error: .invalidJSON(BodyScanError(offset: 0, reason: "body is empty"))),
    ]

    @Test("bad requests name the parameter", arguments: badRequests)
    func badRequest(_ bad: BadRequest) {
        #expect(throws: bad.error) {
            try mock.chatCompletion(Self.body(bad.json), model: "m", id: "i", created: 1)
        }
        #expect(throws: bad.error) {
            try mock.chatCompletionStream(Self.body(bad.json), model: "m", id: "i", created: 1)
        }
    }

    @Test("the token rule: a quarter of the UTF-8 bytes, rounded up")
    func tokenRule() {
        #expect(MockProvider.tokenCount("") == 0)
        #expect(MockProvider.tokenCount("abcd") == 1)
        #expect(MockProvider.tokenCount("abcde") == 2)
        #expect(MockProvider.tokenCount("é😀") == 2)
    }
}
