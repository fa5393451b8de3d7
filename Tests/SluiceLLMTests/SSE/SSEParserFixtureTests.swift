import SluiceLLM
import Testing

@Suite("SSEParser on recorded streams")
struct SSEParserFixtureTests {
    static let streams = WireFixture.names { $1.isEventStream }

    @Test("the recorded streams are all here")
    func present() {
        #expect(Self.streams.count == 15)
    }

    @Test("every cut into two feeds gives the events of one feed", arguments: streams)
    func everySplit(name: String) {
        let bytes = WireFixture.load(name).response.bytes
        let whole = TestSupport.events(bytes)
        #expect(!whole.isEmpty)
        for cut in TestSupport.splitPoints(bytes.count) {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...])
            #expect(!parser.hasIncompleteEvent, "\(name) cut at \(cut)")
            if events != whole {
                Issue.record("\(name): cut at \(cut) gives different events")
                return
            }
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

    @Test("event counts match the recordings", arguments: [
        ("openai-chat-streaming.json", 51),
        ("openai-chat-streaming-usage.json", 8),
        ("openai-chat-streaming-usage-reasoning.json", 4),
        ("openai-completions-streaming-usage.json", 27),
        ("gemini-stream-generate-content.json", 12),
    ])
    func counts(name: String, count: Int) {
        #expect(TestSupport.events(WireFixture.load(name).response.bytes).count == count)
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
