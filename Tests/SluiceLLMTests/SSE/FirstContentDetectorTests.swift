import Testing

@testable import SluiceLLM

@Suite("FirstContentDetector")
struct FirstContentDetectorTests {
    static let role = #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}],"usage":null}"# + "\n\n"
    static let text = #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"# + "\n\n"

    @Test("the role-only preamble, comments and empty deltas are not content; text is, even cut mid-event")
    func preambleThenText() {
        var detector = FirstContentDetector()
        let seen0 = detector.feed(Array((": ping\n\n" + Self.role).utf8))
        #expect(!seen0)
        let seen1 = detector.feed(Array(#"data: {"choices":[{"delta":{}}]}"#.utf8) + [0x0A, 0x0A])
        #expect(!seen1)
        let text = Array(Self.text.utf8)
        let seen2 = detector.feed(text.prefix(40))
        #expect(!seen2)
        let seen3 = detector.feed(text.dropFirst(40))
        #expect(seen3)
        #expect(detector.sawContent)
    }

    @Test("tool calls, a finish reason, [DONE] and errors count as content")
    func otherContent() {
        for event in [
            #"data: {"choices":[{"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":""}}]}}]}"#,
            #"data: {"choices":[{"delta":{},"finish_reason":"stop"}]}"#,
            "data: [DONE]",
            #"data: {"error":{"message":"overloaded"}}"#,
            #"data: {"choices":[{"text":"Hello","index":0}]}"#,
        ] {
            var detector = FirstContentDetector()
            let seen = detector.feed(Array((event + "\r\n\r\n").utf8))
            #expect(seen, "\(event)")
        }
    }

    @Test("recorded streams: content is found in every one")
    func recordings() {
        for name in WireFixture.names(where: { name, fixture in name.hasPrefix("openai-chat") && fixture.isEventStream }) {
            var detector = FirstContentDetector()
            let seen4 = detector.feed(WireFixture.load(name).response.bytes)
        #expect(seen4, "\(name)")
        }
    }
}

extension FirstContentDetectorTests {
    @Test("bytes that are no event-stream preamble let the stream go at once")
    func notAPreamble() {
        var raw = FirstContentDetector()
        let seenRaw = raw.feed(Array("a".utf8))
        #expect(seenRaw)
        var plain = FirstContentDetector()
        let seenPlain = plain.feed(Array("data: hello\n\n".utf8))
        #expect(seenPlain)
    }
}
