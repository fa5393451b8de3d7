import SluiceLLM
import Testing

/// The law of an incremental translator: however the bytes are cut, the output is the same.
@Suite("Anthropic stream translation under every chunking")
struct AnthropicStreamSplitTests {
    static let streams = AnthropicTestSupport.streams

    static func translator() -> AnthropicStreamTranslator {
        AnthropicStreamTranslator(
            provider: "anthropic", includeUsage: true, created: AnthropicTestSupport.created,
            thinking: .reasoningContent)
    }

    /// Every byte position, at linear cost: a cut only changes how the event it falls in is
    /// read, so each cut is fed from a copy of the translator as it stood at the start of that
    /// event (a value type), and must give that event's output with nothing left pending.
    @Test("every cut inside every event gives the output of one feed", arguments: streams)
    func everyCut(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        var base = Self.translator()
        var output: [UInt8] = []
        for window in TestSupport.eventWindows(bytes) {
            var whole = base
            let expected = whole.feed(bytes[window])
            for cut in window.lowerBound...window.upperBound {
                var split = base
                let got = split.feed(bytes[window.lowerBound..<cut]) + split.feed(bytes[cut..<window.upperBound])
                if got != expected || split.hasUnfinishedEvent || split.phase != whole.phase
                    || split.emittedContent != whole.emittedContent || split.usage != whole.usage
                {
                    Issue.record("\(name): a cut at byte \(cut) changes the output")
                    return
                }
            }
            output += expected
            base = whole
        }
        output += base.finish()
        #expect(output == AnthropicTestSupport.translate(bytes, thinking: .reasoningContent).output)
    }

    /// The whole stream in two feeds from a fresh translator. Every position is already covered
    /// event by event above; this cross-checks whole streams at a documented subset, since each
    /// cut costs a whole translation: every position in the first and last 128 bytes (the
    /// preamble, the usage and the ending) and every 61st between.
    @Test("the stream cut literally in two gives the output of one feed", arguments: streams)
    func literalCuts(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        let reference = AnthropicTestSupport.translate(bytes, thinking: .reasoningContent).output
        let count = bytes.count
        let cuts = Array(0..<128) + Array(stride(from: 128, to: count - 128, by: 61)) + Array((count - 128)...count)
        for cut in cuts {
            var translator = Self.translator()
            let output = translator.feed(bytes[..<cut]) + translator.feed(bytes[cut...]) + translator.finish()
            if output != reference {
                Issue.record("\(name): cut at \(cut)")
                return
            }
        }
    }

    @Test("one byte at a time gives the output of one feed", arguments: streams)
    func byteByByte(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        var translator = Self.translator()
        var output: [UInt8] = []
        for byte in bytes { output += translator.feed(CollectionOfOne(byte)) }
        output += translator.finish()
        #expect(output == AnthropicTestSupport.translate(bytes, thinking: .reasoningContent).output)
    }

    @Test("random chunk sizes give the output of one feed", arguments: streams)
    func randomChunks(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        let reference = AnthropicTestSupport.translate(bytes, thinking: .reasoningContent).output
        var random = SplitMix64(seed: 0x5eed)
        for _ in 0..<50 {
            var translator = Self.translator()
            var output: [UInt8] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int(random.next() % 300) + 1)
                output += translator.feed(bytes[start..<end])
                start = end
            }
            output += translator.finish()
            #expect(output == reference)
        }
    }
}
