import SluiceLLM
import Testing

/// Every recorded Anthropic stream, translated in one feed and checked chunk by chunk against
/// the recorded events.
@Suite("Anthropic stream translation against the recordings")
struct AnthropicStreamFixtureTests {
    static let streams = AnthropicTestSupport.streams

    @Test("the recorded streams are all here")
    func present() {
        #expect(Self.streams.count == 6)
    }

    @Test("every chunk follows from the recorded events", arguments: streams, [true, false])
    func chunkByChunk(name: String, includeUsage: Bool) throws {
        let bytes = WireFixture.load(name).response.bytes
        let events = AnthropicTestSupport.anthropicEvents(bytes)
        let (output, translator) = AnthropicTestSupport.translate(bytes, includeUsage: includeUsage)
        let frames = AnthropicTestSupport.frames(output)
        #expect(translator.phase == .finished)
        #expect(translator.malformedEvents == 0)
        #expect(translator.emittedContent)

        let start = try #require(events.first { $0.type == "message_start" }?.json["message"])
        #expect(frames.last == .some(nil), "the stream ends with [DONE]")
        #expect(frames.dropLast().allSatisfy { $0 != nil }, "[DONE] comes once, last")
        var chunks = frames.compactMap { $0 }
        for chunk in chunks {
            #expect(chunk["id"] == start["id"])
            #expect(chunk["object"]?.string == "chat.completion.chunk")
            #expect(chunk["created"]?.int == AnthropicTestSupport.created)
            #expect(chunk["model"] == start["model"])
        }
        let usage = AnthropicTestSupport.expectedUsage(
            events.compactMap { $0.json["usage"] ?? $0.json["message"]?["usage"] })
        #expect(translator.usage == usage)
        if includeUsage {
            try #require(!chunks.isEmpty)
            let last = chunks.removeLast()
            #expect(last["choices"]?.array?.isEmpty == true)
            #expect(last["usage"] == AnthropicTestSupport.openAIUsage(usage))
            #expect(chunks.allSatisfy { $0["usage"] == .null })
        } else {
            #expect(chunks.allSatisfy { $0["usage"] == nil })
        }
        let deltas = chunks.compactMap { $0["choices"]?[0]?["delta"] }
        #expect(deltas.count == chunks.count, "every other chunk has one choice")
        #expect(deltas.first == .object(["role": .string("assistant"), "content": .string("")]))
        #expect(deltas.dropFirst().allSatisfy { $0["role"] == nil })

        // Text: the text deltas, in order and unchanged.
        let sourceDeltas = events.filter { $0.type == "content_block_delta" }.compactMap { $0.json["delta"] }
        let sourceText = sourceDeltas.compactMap { $0["type"]?.string == "text_delta" ? $0["text"]?.string : nil }
        #expect(deltas.compactMap { $0["content"]?.string }.filter { !$0.isEmpty } == sourceText)

        // Finish: one chunk, with an empty delta, carrying the recorded stop reason.
        let stopReason = events.first { $0.type == "message_delta" }?.json["delta"]?["stop_reason"]?.string
        let finishes = chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.string }
        #expect(finishes == [AnthropicTestSupport.finishReason(stopReason)])
        #expect(chunks.last?["choices"]?[0]?["delta"] == .object([:]))
        #expect(deltas.allSatisfy { $0["reasoning_content"] == nil })
    }

    @Test("tool calls open with id and name, then carry every input fragment as received", arguments: streams)
    func toolCalls(name: String) throws {
        let bytes = WireFixture.load(name).response.bytes
        let events = AnthropicTestSupport.anthropicEvents(bytes)
        let (output, _) = AnthropicTestSupport.translate(bytes)
        let calls = AnthropicTestSupport.frames(output).compactMap { $0?["choices"]?[0]?["delta"]?["tool_calls"]?[0] }

        let starts = events.filter { $0.type == "content_block_start" }.filter {
            $0.json["content_block"]?["type"]?.string == "tool_use"
        }
        #expect(calls.filter { $0["id"] != nil }.count == starts.count)
        for (number, start) in starts.enumerated() {
            let block = try #require(start.json["content_block"])
            let index = try #require(start.json["index"])
            let fragments = events.filter {
                $0.type == "content_block_delta" && $0.json["index"] == index
                    && $0.json["delta"]?["type"]?.string == "input_json_delta"
            }.compactMap { $0.json["delta"]?["partial_json"]?.string }
            let mine = calls.filter { $0["index"]?.int == number }
            let opening = try #require(mine.first)
            #expect(opening["id"] == block["id"])
            #expect(opening["type"]?.string == "function")
            #expect(opening["function"]?["name"] == block["name"])
            #expect(opening["function"]?["arguments"]?.string == "")
            let sent = mine.dropFirst().compactMap { $0["function"]?["arguments"]?.string }
            #expect(sent == fragments.filter { !$0.isEmpty }, "\(name): fragments of tool call \(number)")
            #expect(mine.dropFirst().allSatisfy { $0["id"] == nil && $0["function"]?["name"] == nil })
        }
    }

    @Test("the tool stream's arguments split mid-token and add up to the recorded input")
    func splitArguments() throws {
        let bytes = WireFixture.load("anthropic-messages-streaming-tools.json").response.bytes
        let (output, translator) = AnthropicTestSupport.translate(bytes)
        let calls = AnthropicTestSupport.frames(output).compactMap { $0?["choices"]?[0]?["delta"]?["tool_calls"]?[0] }
        func arguments(_ index: Int) -> [String] {
            calls.filter { $0["index"]?.int == index }.compactMap { $0["function"]?["arguments"]?.string }
        }
        #expect(arguments(0).prefix(4) == ["", #"{""#, "locati", #"on": "San F"#])
        #expect(arguments(0).joined() == #"{"location": "San Francisco, CA", "unit": "celsius"}"#)
        #expect(arguments(1).joined() == #"{"timezone": "America/Los_Angeles"}"#)
        #expect(translator.finishReason == "tool_calls")
    }

    @Test(
        "thinking streams as reasoning_content on request, never the signature or redacted data",
        arguments: [
            "anthropic-messages-streaming-thinking.json", "anthropic-messages-streaming-thinking-redacted.json",
        ])
    func thinking(name: String) throws {
        let bytes = WireFixture.load(name).response.bytes
        let events = AnthropicTestSupport.anthropicEvents(bytes)
        let (output, _) = AnthropicTestSupport.translate(bytes, thinking: .reasoningContent)
        let deltas = AnthropicTestSupport.frames(output).compactMap { $0?["choices"]?[0]?["delta"] }
        let thoughts = events.compactMap { $0.json["delta"]?["thinking"]?.string }
        #expect(deltas.compactMap { $0["reasoning_content"]?.string } == thoughts)
        let text = String(decoding: output, as: UTF8.self)
        for secret in events.compactMap({
            $0.json["delta"]?["signature"]?.string ?? $0.json["content_block"]?["data"]?.string
        }) {
            #expect(!text.contains(secret))
        }
    }

    @Test("usage agrees with the sniffer on the recorded stream", arguments: streams)
    func sniffedUsage(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        var sniffer = UsageSniffer(framing: .sse)
        sniffer.feed(bytes)
        let (output, translator) = AnthropicTestSupport.translate(bytes)
        #expect(translator.usage == sniffer.usage)
        var downstream = UsageSniffer(framing: .sse)
        downstream.feed(output)
        #expect(downstream.usage?.promptTokens == sniffer.usage?.promptTokens)
        #expect(downstream.usage?.completionTokens == sniffer.usage?.completionTokens)
        #expect(downstream.usage?.cachedTokens == sniffer.usage?.cachedTokens)
    }

    @Test("the newer wire format reports its cache counts and usage from message_delta")
    func sonnet46() throws {
        let bytes = WireFixture.load("anthropic-messages-streaming-tools-sonnet-4-6.json").response.bytes
        let (_, translator) = AnthropicTestSupport.translate(bytes)
        #expect(translator.usage?.promptTokens == 721)
        #expect(translator.usage?.completionTokens == 113)
        #expect(translator.model == "claude-sonnet-4-6")
        #expect(translator.id == "msg_01JqiwuyYfmoZBJx1GLkqxLf")
    }
}
