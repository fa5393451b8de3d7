import SluiceLLM
import Testing

@Suite("UsageSniffer on recorded responses")
struct UsageSnifferFixtureTests {
    /// OpenAI-dialect responses that report usage: plain bodies and streams with `include_usage`.
    static let openAIWithUsage = WireFixture.names { name, fixture in
        fixture.isOpenAIDialect && expectedOpenAIUsage(fixture) != nil
    }

    /// The usage an OpenAI response reports, read with Foundation's decoder: the body's `usage`,
    /// or the last stream chunk whose `usage` is not null.
    static func expectedOpenAIUsage(_ fixture: WireFixture) -> Usage? {
        let documents: [JSONValue]
        if fixture.isEventStream {
            documents = TestSupport.events(fixture.response.bytes).compactMap { JSONValue.parse(Array($0.data.utf8)) }
        } else {
            documents = JSONValue.parse(fixture.response.bytes).map { [$0] } ?? []
        }
        guard let usage = documents.last(where: { $0["usage"]?.object != nil })?["usage"] else { return nil }
        return Usage(
            promptTokens: usage["prompt_tokens"]?.int ?? 0,
            completionTokens: usage["completion_tokens"]?.int ?? 0,
            totalTokens: usage["total_tokens"]?.int,
            cachedTokens: usage["prompt_tokens_details"]?["cached_tokens"]?.int ?? 0,
            reasoningTokens: usage["completion_tokens_details"]?["reasoning_tokens"]?.int ?? 0)
    }

    static func sniff(_ fixture: WireFixture) -> Usage? {
        var sniffer = UsageSniffer(
            contentType: fixture.isEventStream ? "text/event-stream; charset=utf-8" : "application/json")
        sniffer.feed(fixture.response.bytes)
        return sniffer.usage
    }

    /// Checks that a cut anywhere leaves the usage unchanged, recording the first cut that does not.
    ///
    /// A JSON body is one document: it is cut in two at ``TestSupport/splitPoints(_:)``. In a stream
    /// a cut only affects the event it falls in (a blank line resets everything but the counts), so
    /// each event is fed in two parts, cut at every byte, to a copy of the sniffer as it stood at
    /// the event's start, and must agree with a one-shot sniff of the stream up to the event's end.
    /// Streams of up to 2.5 KB are also cut literally in two at every byte.
    static func checkEveryCut(_ name: String) {
        let fixture = WireFixture.load(name)
        let bytes = fixture.response.bytes
        let framing: UsageSniffer.Framing = fixture.isEventStream ? .sse : .json
        func oneShot(upTo end: Int) -> Usage? {
            var sniffer = UsageSniffer(framing: framing)
            sniffer.feed(bytes[..<end])
            return sniffer.usage
        }
        func twoParts(_ start: UsageSniffer, _ range: Range<Int>, cut: Int) -> Usage? {
            var sniffer = start
            sniffer.feed(bytes[range.lowerBound..<cut])
            sniffer.feed(bytes[cut..<range.upperBound])
            return sniffer.usage
        }
        let whole = oneShot(upTo: bytes.count)
        if framing == .sse {
            var base = UsageSniffer(framing: .sse)
            for window in TestSupport.eventWindows(bytes) {
                let expected = oneShot(upTo: window.upperBound)
                for cut in window.lowerBound...window.upperBound where twoParts(base, window, cut: cut) != expected {
                    Issue.record(
                        "\(name): cut at \(cut) in event \(window) disagrees with \(String(describing: expected))")
                    return
                }
                base.feed(bytes[window])
            }
        }
        let cuts =
            framing == .json ? TestSupport.splitPoints(bytes.count) : bytes.count <= 2500 ? Array(0...bytes.count) : []
        for cut in cuts where twoParts(UsageSniffer(framing: framing), 0..<bytes.count, cut: cut) != whole {
            Issue.record("\(name): cut at \(cut) disagrees with \(String(describing: whole))")
            return
        }
    }

    @Test("the OpenAI responses with usage are all covered")
    func coverage() {
        for name in [
            "openai-chat-streaming-usage.json", "openai-chat-streaming-usage-reasoning.json",
            "openai-completions-streaming-usage.json", "openai-chat-basic.json", "openai-embeddings-float.json",
            "openai-embeddings-batch-unicode.json", "azure-openai-chat-basic.json",
        ] {
            #expect(Self.openAIWithUsage.contains(name), "\(name)")
        }
        #expect(Self.openAIWithUsage.count == 23)
    }

    @Test("OpenAI usage matches the oracle at every cut", arguments: openAIWithUsage)
    func openAI(name: String) throws {
        let fixture = WireFixture.load(name)
        let expected = try #require(Self.expectedOpenAIUsage(fixture))
        #expect(Self.sniff(fixture) == expected)
        Self.checkEveryCut(name)
    }

    @Test(
        "reasoning and detail tokens come through",
        arguments: [
            (
                "openai-chat-streaming-usage-reasoning.json",
                Usage(promptTokens: 12, completionTokens: 100, reasoningTokens: 100)
            ),
            ("openai-chat-streaming-usage.json", Usage(promptTokens: 22, completionTokens: 4)),
            ("openai-completions-streaming-usage.json", Usage(promptTokens: 31, completionTokens: 25)),
            ("openai-chat-basic.json", Usage(promptTokens: 8, completionTokens: 377, reasoningTokens: 320)),
            ("openai-embeddings-float.json", Usage(promptTokens: 7)),
        ])
    func knownValues(name: String, expected: Usage) {
        #expect(Self.sniff(WireFixture.load(name)) == expected)
    }

    @Test(
        "a stream without include_usage and error bodies report nothing",
        arguments: [
            "openai-chat-streaming.json", "openai-chat-streaming-web-search.json",
            "openai-chat-error-missing-messages.json", "openai-chat-error-unknown-model.json",
            "anthropic-messages-error-not-found.json", "bedrock-converse-error-expired-token.json",
        ])
    func noUsage(name: String) {
        #expect(Self.sniff(WireFixture.load(name)) == nil)
    }

    static let otherProviders: [(String, Usage)] = [
        ("anthropic-messages-basic.json", Usage(promptTokens: 17, completionTokens: 220)),
        (
            "anthropic-messages-cache-read.json",
            Usage(promptTokens: 1167, completionTokens: 202, cachedTokens: 1163)
        ),
        (
            "anthropic-messages-cache-write.json",
            Usage(promptTokens: 1167, completionTokens: 187, cacheCreationTokens: 1163)
        ),
        ("anthropic-messages-streaming.json", Usage(promptTokens: 17, completionTokens: 171)),
        (
            "anthropic-messages-streaming-cache-read.json",
            Usage(promptTokens: 1169, completionTokens: 221, cachedTokens: 1165)
        ),
        ("anthropic-messages-streaming-thinking.json", Usage(promptTokens: 52, completionTokens: 216)),
        ("anthropic-messages-streaming-thinking-redacted.json", Usage(promptTokens: 92, completionTokens: 189)),
        ("anthropic-messages-streaming-tools.json", Usage(promptTokens: 506, completionTokens: 153)),
        ("anthropic-messages-streaming-tools-sonnet-4-6.json", Usage(promptTokens: 721, completionTokens: 113)),
        (
            "gemini-generate-content-basic.json",
            Usage(promptTokens: 5, completionTokens: 1935, totalTokens: 1940, reasoningTokens: 1058)
        ),
        ("gemini-stream-generate-content.json", Usage(promptTokens: 9, completionTokens: 527, totalTokens: 536)),
        (
            "gemini-stream-generate-content-thinking.json",
            Usage(promptTokens: 11, completionTokens: 1416, totalTokens: 1427, reasoningTokens: 713)
        ),
        ("bedrock-converse-tools.json", Usage(promptTokens: 269, completionTokens: 77, totalTokens: 346)),
        (
            "bedrock-converse-cache-read.json",
            Usage(promptTokens: 1040, completionTokens: 185, totalTokens: 1225, cachedTokens: 1028)
        ),
        ("bedrock-converse-guardrail-intervened.json", Usage(promptTokens: 54, completionTokens: 18)),
    ]

    @Test("Anthropic, Gemini and Bedrock usage, normalised, at every cut", arguments: otherProviders)
    func otherDialects(name: String, expected: Usage) {
        #expect(Self.sniff(WireFixture.load(name)) == expected)
        Self.checkEveryCut(name)
    }
}
