import SluiceLLM
import Testing

@Suite("SSEParser on recorded streams")
struct SSEParserFixtureTests {
    static let streams = WireFixture.names { $1.isEventStream }
    static let shortStreams = WireFixture.names { $1.isEventStream && $1.response.bytes.count <= 2500 }

    @Test("the recorded streams are all here")
    func present() {
        #expect(Self.streams.count == 15)
        #expect(Self.shortStreams.count == 4)
    }

    /// A cut can only change how the event it falls in is read: after the blank line that ends an
    /// event the parser keeps nothing but the last event ID. So every cut is checked from the
    /// parser's own state at the start of its event (a copy of the value): the event's bytes are
    /// fed in two parts and must yield what a one-shot parse of the stream up to there yields,
    /// leaving nothing pending. That covers every byte position at linear cost.
    @Test("every cut gives the events of one feed", arguments: streams)
    func everySplit(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        let windows = TestSupport.eventWindows(bytes)
        #expect(windows.first?.lowerBound == 0 && windows.last?.upperBound == bytes.count)
        var base = SSEParser()
        var seen = 0
        for window in windows {
            let reference = TestSupport.events(Array(bytes[..<window.upperBound]))
            let expected = Array(reference.dropFirst(seen))
            for cut in window.lowerBound...window.upperBound {
                var parser = base
                let events = parser.feed(bytes[window.lowerBound..<cut]) + parser.feed(bytes[cut..<window.upperBound])
                if events != expected || parser.hasIncompleteEvent {
                    Issue.record("\(name): cut at \(cut) gives \(events), expected \(expected)")
                    return
                }
            }
            seen += base.feed(bytes[window]).count
        }
        #expect(seen == TestSupport.events(bytes).count)
    }

    @Test("short streams cut literally in two, at every byte", arguments: shortStreams)
    func literalSplit(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        let whole = TestSupport.events(bytes)
        for cut in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(events == whole, "\(name): cut at \(cut)")
        }
    }

    @Test("every event's data is one JSON document (or OpenAI's [DONE])", arguments: streams)
    func payloads(name: String) throws {
        let fixture = WireFixture.load(name)
        let events = TestSupport.events(fixture.response.bytes)
        for event in events where event.data != "[DONE]" {
            let json = try #require(JSONValue.parse(Array(event.data.utf8)), "\(name): \(event.data)")
            if fixture.provider == "anthropic" {
                // Anthropic names each event after its JSON type.
                #expect(event.event == json["type"]?.string)
            } else {
                #expect(event.event == nil)
            }
        }
        if fixture.isOpenAIDialect { #expect(events.last?.data == "[DONE]") }
    }

    @Test(
        "event counts match the recordings",
        arguments: [
            ("openai-chat-streaming.json", 51),
            ("openai-chat-streaming-usage.json", 8),
            ("openai-chat-streaming-usage-reasoning.json", 4),
            ("openai-completions-streaming-usage.json", 27),
            ("gemini-stream-generate-content.json", 12),
        ])
    func counts(name: String, count: Int) {
        let bytes = WireFixture.load(name).response.bytes
        #expect(TestSupport.events(bytes).count == count)
        #expect(TestSupport.eventWindows(bytes).count == count)
    }

    @Test("Gemini's CRLF framing yields clean JSON")
    func geminiCRLF() throws {
        let bytes = WireFixture.load("gemini-stream-generate-content.json").response.bytes
        #expect(bytes.contains(0x0D))
        for event in TestSupport.events(bytes) {
            #expect(!event.data.contains("\r"))
            #expect(!event.data.hasSuffix("\n"))
        }
    }
}
