import SluiceLLM
import Testing

@Suite("UsageSniffer")
struct UsageSnifferTests {
    static func sniff(_ text: String, framing: UsageSniffer.Framing) -> Usage? {
        var sniffer = UsageSniffer(framing: framing)
        sniffer.feed(Array(text.utf8))
        return sniffer.usage
    }

    /// Feeds `text` cut at every pair of positions into three pieces.
    static func sniffAllThreeWaySplits(_ text: String, framing: UsageSniffer.Framing) -> Set<Usage?> {
        let bytes = Array(text.utf8)
        var results: Set<Usage?> = []
        for first in 0...bytes.count {
            for second in first...bytes.count {
                var sniffer = UsageSniffer(framing: framing)
                sniffer.feed(bytes[..<first])
                sniffer.feed(bytes[first..<second])
                sniffer.feed(bytes[second...])
                results.insert(sniffer.usage)
            }
        }
        return results
    }

    static let cachedAndReasoning = #"""
        {"id":"x","usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
        "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
        "completion_tokens_details":{"reasoning_tokens":192,"audio_tokens":0}}}
        """#

    @Test("cached and reasoning tokens, at every three-way cut")
    func cachedTokens() {
        let expected = Usage(
            promptTokens: 2006, completionTokens: 300, totalTokens: 2306, cachedTokens: 1920, reasoningTokens: 192)
        #expect(Self.sniff(Self.cachedAndReasoning, framing: .json) == expected)
        #expect(Self.sniffAllThreeWaySplits(Self.cachedAndReasoning, framing: .json) == [expected])
    }

    /// The real usage, `{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}`, after a decoy.
    static let realUsage = #""usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}"#

    @Test(
        "usage look-alikes off the top level are ignored",
        arguments: [
            #"{"choices":[{"message":{"content":"\"usage\":{\"prompt_tokens\":5}"}}],"# + realUsage + "}",
            #"{"choices":[{"usage":{"prompt_tokens":5}}],"# + realUsage + "}",
            #"{"meta":{"usage":{"prompt_tokens":5}},"# + realUsage + "}",
            #"{"u\"sage":{"prompt_tokens":9},"# + realUsage + "}",
            #"{"usage_extra_long_key_that_goes_on_and_on":{"prompt_tokens":9},"# + realUsage + "}",
            #"{"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3,"#
                + #""prompt_tokens_details":null,"extra":{"prompt_tokens":9}}}"#,
            #"{"usage":{"prompt_tokens":1,"x":[{"prompt_tokens":9}],"completion_tokens":2,"total_tokens":3}}"#,
        ])
    func lookAlikes(json: String) {
        #expect(Self.sniff(json, framing: .json) == Usage(promptTokens: 1, completionTokens: 2, totalTokens: 3))
    }

    @Test("SSE: usage null until the last chunk; comments, other fields, CRLF and [DONE] pass by")
    func eventStream() {
        let stream =
            ": keep-alive\r\n"
            + "event: chunk\r\nid: 1\r\n"
            + "data: {\"usage\":null,\"choices\":[{\"delta\":{\"content\":\"data: {\\\"usage\\\"\"}}]}\r\n\r\n"
            + "data: {\"choices\":[],\r\n"
            + "data: \"usage\":{\"prompt_tokens\":7,\"completion_tokens\":5,\"total_tokens\":12}}\r\n\r\n"
            + ": {\"usage\":{\"prompt_tokens\":99}}\r\nid: {\"usage\":{\"prompt_tokens\":98}}\r\n"
            + "event: {\"usage\":{\"prompt_tokens\":97}}\r\ndat: {\"usage\":{\"prompt_tokens\":96}}\r\n"
            + "data: [DONE]\r\n\r\n"
        let expected = Usage(promptTokens: 7, completionTokens: 5)
        #expect(Self.sniff(stream, framing: .sse) == expected)
        let bytes = Array(stream.utf8)
        for cut in 0...bytes.count {
            var sniffer = UsageSniffer(framing: .sse)
            sniffer.feed(bytes[..<cut])
            sniffer.feed(bytes[cut...])
            #expect(sniffer.usage == expected, "cut at \(cut)")
        }
    }

    @Test("a broken event does not poison the next one")
    func recovery() {
        let stream =
            "data: {\"usage\":{\"prompt_tokens\":\"unterminated\n\n"
            + "data: {\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":1}}\n\n"
        #expect(Self.sniff(stream, framing: .sse) == Usage(promptTokens: 4, completionTokens: 1))
    }

    @Test("nothing seen, nothing reported; negative and fractional counts are not counts")
    func edges() {
        #expect(Self.sniff("", framing: .json) == nil)
        #expect(Self.sniff("{\"usage\":null}", framing: .json) == nil)
        #expect(Self.sniff("not json at all {{{ ]]]", framing: .json) == nil)
        #expect(Self.sniff("{\"usage\":{\"prompt_tokens\":-5}}", framing: .json) == nil)
        #expect(
            Self.sniff("{\"usage\":{\"prompt_tokens\":5.9e3,\"completion_tokens\":2}}", framing: .json)
                == Usage(promptTokens: 5, completionTokens: 2))
    }

    @Test("a huge body passes through with constant work per byte")
    func hugeBody() {
        let filler = String(repeating: "lorem {\\\"usage\\\": [ipsum] } ", count: 40_000)
        let body =
            "{\"choices\":[{\"message\":{\"content\":\"\(filler)\"}}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}"
        var sniffer = UsageSniffer(framing: .json)
        let bytes = Array(body.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4096, bytes.count)
            sniffer.feed(bytes[offset..<end])
            offset = end
        }
        #expect(sniffer.usage == Usage(promptTokens: 3, completionTokens: 4))
    }

    @Test(
        "the framing follows the content type",
        arguments: [
            (String?("text/event-stream"), UsageSniffer.Framing.sse), ("text/event-stream; charset=utf-8", .sse),
            ("Text/Event-Stream", .sse), ("application/json", .json), (nil, .json), ("text/event", .json),
            ("text/event-streams", .sse),
        ])
    func contentType(contentType: String?, framing: UsageSniffer.Framing) {
        #expect(UsageSniffer(contentType: contentType).framing == framing)
    }

    @Test("the raw-buffer feed agrees with the collection feed")
    func rawBuffer() {
        var sniffer = UsageSniffer(framing: .json)
        Array(Self.cachedAndReasoning.utf8).withUnsafeBytes { sniffer.feed($0) }
        #expect(sniffer.usage == Self.sniff(Self.cachedAndReasoning, framing: .json))
    }

    @Test("a usage object handed over reads as the SSE event carrying it; the latest counts win")
    func usageObject() {
        let object = #"{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"#
            + #""prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":1}}"#
        var handedOver = UsageSniffer(framing: .sse)
        Array(#"{"prompt_tokens":1,"completion_tokens":1}"#.utf8).withUnsafeBytes { handedOver.feedUsageObject($0) }
        Array(object.utf8).withUnsafeBytes { handedOver.feedUsageObject($0) }
        let event = "data: {\"choices\":[],\"usage\":" + object + "}\n\n"
        #expect(handedOver.usage == Self.sniff(event, framing: .sse))
        #expect(
            handedOver.usage
                == Usage(promptTokens: 12, completionTokens: 5, totalTokens: 17, cachedTokens: 4, reasoningTokens: 1))
    }
}
