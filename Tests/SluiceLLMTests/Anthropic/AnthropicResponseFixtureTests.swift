import SluiceLLM
import Testing

/// Every recorded non-streamed Anthropic answer, translated and checked field by field against
/// the recording.
@Suite("Anthropic answer translation against the recordings")
struct AnthropicResponseFixtureTests {
    static let messages = AnthropicTestSupport.messages

    static func translate(_ name: String, thinking: AnthropicThinkingOutput = .omitted) throws -> (
        TranslatedCompletion, JSONValue, JSONValue
    ) {
        let fixture = WireFixture.load(name)
        let translator = AnthropicResponseTranslator(provider: "anthropic", thinking: thinking)
        let result = try translator.chatCompletion(fixture.response.bytes, created: AnthropicTestSupport.created)
        let recorded = try #require(JSONValue.parse(fixture.response.bytes))
        let translated = try #require(JSONValue.parse(result.body))
        return (result, recorded, translated)
    }

    @Test("the recorded answers are all here")
    func present() {
        #expect(Self.messages.count == 6)
    }

    @Test("every field follows from the recording", arguments: messages)
    func fieldByField(name: String) throws {
        let (result, recorded, translated) = try Self.translate(name)
        let blocks = try #require(recorded["content"]?.array)
        let text = blocks.filter { $0["type"]?.string == "text" }.compactMap { $0["text"]?.string }.joined()
        let toolUses = blocks.filter { $0["type"]?.string == "tool_use" }

        #expect(translated["id"] == recorded["id"])
        #expect(translated["object"]?.string == "chat.completion")
        #expect(translated["created"]?.int == AnthropicTestSupport.created)
        #expect(translated["model"] == recorded["model"])
        #expect(translated["choices"]?.array?.count == 1)
        let choice = try #require(translated["choices"]?[0])
        #expect(choice["index"]?.int == 0)
        #expect(choice["logprobs"]?.isNull == true)
        #expect(choice["finish_reason"]?.string == AnthropicTestSupport.finishReason(recorded["stop_reason"]?.string))
        let message = try #require(choice["message"])
        #expect(message["role"]?.string == "assistant")
        if text.isEmpty, !toolUses.isEmpty {
            #expect(message["content"]?.isNull == true)
        } else {
            #expect(message["content"]?.string == text)
        }
        #expect(message["reasoning_content"] == nil)

        let calls = message["tool_calls"]?.array ?? []
        #expect(calls.count == toolUses.count)
        for (call, use) in zip(calls, toolUses) {
            #expect(call["id"] == use["id"])
            #expect(call["type"]?.string == "function")
            #expect(call["function"]?["name"] == use["name"])
            let arguments = try #require(call["function"]?["arguments"]?.string)
            #expect(JSONValue.parse(Array(arguments.utf8)) == use["input"])
        }

        let usage = AnthropicTestSupport.expectedUsage([recorded["usage"]].compactMap { $0 })
        #expect(result.usage == usage)
        #expect(translated["usage"] == AnthropicTestSupport.openAIUsage(usage))
        #expect(result.id == recorded["id"]?.string)
        #expect(result.model == recorded["model"]?.string)
        #expect(result.finishReason == choice["finish_reason"]?.string)
    }

    @Test("usage agrees with the sniffer on both sides", arguments: messages)
    func sniffedUsage(name: String) throws {
        let fixture = WireFixture.load(name)
        let (result, _, _) = try Self.translate(name)
        var upstream = UsageSniffer(framing: .json)
        upstream.feed(fixture.response.bytes)
        #expect(upstream.usage == result.usage)
        var downstream = UsageSniffer(framing: .json)
        downstream.feed(result.body)
        #expect(downstream.usage?.promptTokens == result.usage.promptTokens)
        #expect(downstream.usage?.completionTokens == result.usage.completionTokens)
        #expect(downstream.usage?.cachedTokens == result.usage.cachedTokens)
    }

    @Test("two tool calls with compact arguments, after the text")
    func tools() throws {
        let (result, _, translated) = try Self.translate("anthropic-messages-tools.json")
        let calls = try #require(translated["choices"]?[0]?["message"]?["tool_calls"]?.array)
        #expect(
            calls.map { $0["function"]?["arguments"]?.string } == [
                #"{"location":"New York, NY","unit":"fahrenheit"}"#, #"{"timezone":"America/New_York"}"#,
            ])
        #expect(calls.map { $0["id"]?.string } == ["toolu_012r6TBCWjRHG71j6zruYyUL", "toolu_01SkeBKkLCNYWNuivqFerGDd"])
        #expect(result.finishReason == "tool_calls")
        #expect(result.usage == Usage(promptTokens: 514, completionTokens: 152))
    }

    @Test("a tool-only answer has null content")
    func toolOnly() throws {
        let (_, _, translated) = try Self.translate("anthropic-messages-tool-result.json")
        let message = try #require(translated["choices"]?[0]?["message"])
        #expect(message["content"] == .null)
        #expect(message["tool_calls"]?[0]?["function"]?["name"]?.string == "get_time")
    }

    @Test("thinking is left out by default and exposed as reasoning_content on request")
    func thinking() throws {
        let name = "anthropic-messages-thinking.json"
        let (_, recorded, omitted) = try Self.translate(name)
        let (_, _, exposed) = try Self.translate(name, thinking: .reasoningContent)
        let answer = #"The letter 'r' appears 3 times in the word "strawberry"."#
        #expect(omitted["choices"]?[0]?["message"]?["content"]?.string == answer)
        #expect(omitted["choices"]?[0]?["message"]?["reasoning_content"] == nil)
        #expect(exposed["choices"]?[0]?["message"]?["content"]?.string == answer)
        #expect(exposed["choices"]?[0]?["message"]?["reasoning_content"] == recorded["content"]?[0]?["thinking"])
        // The signature never reaches the app.
        let signature = try #require(recorded["content"]?[0]?["signature"]?.string)
        let (result, _, _) = try Self.translate(name, thinking: .reasoningContent)
        #expect(!String(decoding: result.body, as: UTF8.self).contains(signature))
    }

    @Test(
        "cache writes and reads count as prompt tokens; reads are cached tokens",
        arguments: [
            ("anthropic-messages-cache-write.json", 1163, 0, 187),
            ("anthropic-messages-cache-read.json", 0, 1163, 202),
        ])
    func cache(name: String, written: Int, read: Int, output: Int) throws {
        let (result, _, translated) = try Self.translate(name)
        #expect(result.usage.promptTokens == 4 + written + read)
        #expect(result.usage.cacheCreationTokens == written)
        #expect(translated["usage"]?["prompt_tokens"]?.int == 4 + written + read)
        #expect(translated["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.int == read)
        #expect(translated["usage"]?["total_tokens"]?.int == 4 + written + read + output)
    }

    @Test("a body that is not a message is a protocol error naming the provider")
    func notAMessage() {
        let translator = AnthropicResponseTranslator(provider: "claude")
        for body in [#"{"type":"error","error":{"type":"api_error","message":"x"}}"#, "<html>", ""] {
            let error = #expect(throws: SluiceError.self) {
                try translator.chatCompletion(Array(body.utf8), created: 0)
            }
            #expect(error?.code == .upstreamProtocol)
            #expect(error?.message.contains("'claude'") == true)
        }
    }

    @Test(
        "stop reasons map to finish reasons",
        arguments: [
            ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
            ("refusal", "content_filter"), ("pause_turn", "stop"), ("model_context_window_exceeded", "length"),
        ])
    func stopReasons(stopReason: String, finishReason: String) throws {
        let body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"x"}],\
            "stop_reason":"\(stopReason)","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}
            """
        let result = try AnthropicResponseTranslator(provider: "a").chatCompletion(Array(body.utf8), created: 0)
        #expect(result.finishReason == finishReason)
        #expect(JSONValue.parse(result.body)?["choices"]?[0]?["finish_reason"]?.string == finishReason)
    }
}
