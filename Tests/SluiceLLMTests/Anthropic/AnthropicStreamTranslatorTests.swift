import SluiceLLM
import Testing

/// Stream endings and faults that no recording shows, built from the recorded event shapes.
@Suite("Anthropic stream translation: endings and faults")
struct AnthropicStreamTranslatorTests {
    static let start = #"""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}


        """#
    static let text = #"""
        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}


        """#
    static let delta = #"""
        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":7}}


        """#
    static let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"

    static func translator(includeUsage: Bool = false, maxEventBytes: Int = 1 << 20) -> AnthropicStreamTranslator {
        AnthropicStreamTranslator(
            provider: "claude", includeUsage: includeUsage, created: 5, maxEventBytes: maxEventBytes)
    }

    static func data(_ output: [UInt8]) -> [String] {
        TestSupport.events(output).map(\.data)
    }

    @Test("the preamble is only the role chunk: no content before the first delta")
    func preamble() {
        var translator = Self.translator()
        let output = translator.feed(Array(Self.start.utf8))
        #expect(Self.data(output).count == 1)
        #expect(!translator.emittedContent)
        #expect(translator.phase == .streaming)
        _ = translator.feed(Array(Self.text.utf8))
        #expect(translator.emittedContent)
    }

    @Test("an error event mid-stream ends it with the in-band error frame and no [DONE]")
    func errorEvent() throws {
        var translator = Self.translator()
        let error =
            #"event: error"# + "\n"
            + #"data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"# + "\n\n"
        let output = translator.feed(Array((Self.start + Self.text + error + Self.stop).utf8)) + translator.finish()
        let frames = Self.data(output)
        #expect(frames.count == 3)
        let envelope = try #require(JSONValue.parse(Array(frames[2].utf8)))
        #expect(envelope["error"]?["code"]?.string == "overloaded_error")
        #expect(envelope["error"]?["type"]?.string == "server_error")
        #expect(!frames.contains("[DONE]"))
        guard case .failed(.upstream(let failure)) = translator.phase else {
            Issue.record("expected an upstream failure, got \(translator.phase)")
            return
        }
        #expect(failure.httpStatus == 503)
        #expect(translator.feed(Array(Self.stop.utf8)).isEmpty, "nothing after a failure")
    }

    @Test("a stream cut before its stop reason fails with an error frame, never a silent truncation")
    func truncated() throws {
        var translator = Self.translator()
        let output = translator.feed(Array((Self.start + Self.text).utf8)) + translator.finish()
        let frames = Self.data(output)
        #expect(frames.last != "[DONE]")
        let envelope = try #require(JSONValue.parse(Array(frames.last!.utf8)))
        #expect(envelope["error"]?["code"]?.string == "upstream_protocol_error")
        #expect(envelope["error"]?["message"]?.string?.contains("'claude'") == true)
        guard case .failed(.sluice(let error)) = translator.phase else {
            Issue.record("expected a Sluice failure, got \(translator.phase)")
            return
        }
        #expect(error.httpStatus == 502)
    }

    @Test("a stream that ends cleanly after its stop reason but without message_stop is finished with its usage")
    func noMessageStop() throws {
        var translator = Self.translator(includeUsage: true)
        let output = translator.feed(Array((Self.start + Self.text + Self.delta).utf8)) + translator.finish()
        let frames = Self.data(output)
        #expect(frames.last == "[DONE]")
        let usage = try #require(JSONValue.parse(Array(frames[frames.count - 2].utf8)))
        #expect(usage["usage"]?["completion_tokens"]?.int == 7)
        #expect(usage["usage"]?["prompt_tokens"]?.int == 10)
        #expect(translator.phase == .finished)
        #expect(translator.finishReason == "length")
    }

    @Test("a final event without its blank line still counts")
    func lastEventUnterminated() {
        var translator = Self.translator()
        let stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}"
        let output = translator.feed(Array((Self.start + Self.text + Self.delta + stop).utf8)) + translator.finish()
        #expect(Self.data(output).last == "[DONE]")
        #expect(translator.phase == .finished)
    }

    @Test("a malformed event is skipped and counted; the stream goes on")
    func malformed() {
        var translator = Self.translator()
        let junk =
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\n\n"
        let output = translator.feed(Array((Self.start + junk + Self.text + Self.delta + Self.stop).utf8))
        #expect(translator.malformedEvents == 1)
        #expect(Self.data(output).last == "[DONE]")
        #expect(Self.data(output).filter { $0.contains("Hello") }.count == 1)
    }

    @Test("an event larger than the limit fails the stream instead of growing without bound")
    func tooLarge() {
        var translator = Self.translator(maxEventBytes: 1024)
        _ = translator.feed(Array(Self.start.utf8))
        let huge = "event: content_block_delta\ndata: {\"text\":\"" + String(repeating: "x", count: 64 * 1024)
        var output: [UInt8] = []
        for chunk in Array(huge.utf8).chunked(4096) { output += translator.feed(chunk) }
        #expect(Self.data(output + translator.finish()).last?.contains("larger than 1 KiB") == true)
        guard case .failed = translator.phase else {
            Issue.record("expected a failure")
            return
        }
    }

    @Test("events before message_start still open with a role chunk")
    func missingStart() {
        var translator = Self.translator()
        let blockStart =
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        let frames = Self.data(translator.feed(Array((blockStart + Self.text + Self.delta + Self.stop).utf8)))
        #expect(frames.first?.contains(#""role":"assistant""#) == true)
        #expect(frames.last == "[DONE]")
    }

    @Test("a delta for a block that never started is skipped and counted")
    func orphanDelta() {
        var translator = Self.translator()
        let orphan = Self.text.replacingOccurrences(of: "\"index\":0", with: "\"index\":3")
        _ = translator.feed(Array((Self.start + orphan).utf8))
        #expect(translator.malformedEvents == 1)
        #expect(!translator.emittedContent)
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size` elements.
    fileprivate func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

extension String {
    /// `self` with every `target` replaced (FoundationEssentials has no such method).
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
