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

extension FirstContentDetectorTests {
    @Test("escaped quotes and backslashes inside strings do not end them: a key inside a value is no key")
    func escapes() {
        // `content` appears only inside string values here, behind escaped quotes and backslashes.
        let tricky = #"data: {"id":"x\"content\":\"yes","note":"a\\","choices":[{"delta":{"role":"assistant"}}]}"# + "\n\n"
        var detector = FirstContentDetector()
        let seenTricky = detector.feed(Array(tricky.utf8))
        #expect(!seenTricky)
        // The same key for real, after a long escaped value, is found.
        let real = #"data: {"id":"\\\"\\\"\\\"\\\"\\\"","choices":[{"delta":{"content":"Hi"}}]}"# + "\n\n"
        let seenReal = detector.feed(Array(real.utf8))
        #expect(seenReal)
    }

    @Test("a line that starts as no SSE field after several preamble events is content, in one read or byte by byte")
    func badLineAfterPreamble() {
        let stream = Array((Self.role + ": keep-alive\n\n" + Self.role + "oops\n\n").utf8)
        var whole = FirstContentDetector()
        let seenWhole = whole.feed(stream)
        #expect(seenWhole)
        var bytewise = FirstContentDetector()
        var seen: [Bool] = []
        for byte in stream { seen.append(bytewise.feed([byte])) }
        #expect(seen.firstIndex(of: true) == stream.count - "ops\n\n".count - 1)
    }
}

extension FirstContentDetectorTests {
    @Test("recorded streams cut anywhere: content is seen in the read that completes its event, as byte by byte")
    func recordingsCutAnywhere() {
        let streams = WireFixture.names { name, fixture in name.hasPrefix("openai-chat") && fixture.isEventStream }
        for name in streams {
            let stream = WireFixture.load(name).response.bytes
            var bytewise = FirstContentDetector()
            let seenAt = stream.indices.first { bytewise.feed([stream[$0]]) }
            #expect(seenAt != nil, "\(name)")
            guard let seenAt else { continue }
            for cut in stride(from: 0, through: min(stream.count, seenAt + 64), by: 5) {
                var detector = FirstContentDetector()
                let seenFirst = detector.feed(stream[..<cut])
                #expect(seenFirst == (seenAt < cut), "\(name) cut at \(cut)")
                let seenSecond = detector.feed(stream[cut...])
                #expect(seenSecond, "\(name) cut at \(cut)")
            }
        }
    }

    @Test("events read in place and by the parser agree: a byte-order mark, other fields, CRLF, empty data")
    func inPlaceAndParsed() {
        let cases: [(String, Bool)] = [
            ("\u{FEFF}" + Self.role + Self.text, true),
            // A byte-order mark starts no SSE field: when in doubt, the stream goes on.
            ("\u{FEFF}" + Self.role, true),
            ("event: message\n" + Self.role, false),
            (Self.role + "id: 7\n" + Self.role, false),
            (Self.role.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"), false),
            (Self.role + "data:\n\n", true),
            (Self.role + "data:" + String(Self.text.dropFirst(5)), true),
        ]
        for (stream, content) in cases {
            var whole = FirstContentDetector()
            let seen = whole.feed(Array(stream.utf8))
            #expect(seen == content, "\(stream.debugDescription)")
        }
    }

    @Test("each content key is told by its bytes and length; near misses are no key")
    func contentKeys() {
        let expected: [(String, FirstContentDetector.ContentKey?)] = [
            ("content", .text), ("text", .text), ("refusal", .text), ("reasoning_content", .text),
            ("finish_reason", .text), ("arguments", .text), ("tool_calls", .object), ("function_call", .object),
            ("error", .object), ("role", nil), ("contents", nil), ("Content", nil), ("tool_call", nil),
            ("finish_reasons", nil), ("", nil), ("errors", nil), ("refusa1", nil),
        ]
        for (key, kind) in expected {
            let found = Array(key.utf8).withUnsafeBytes { FirstContentDetector.contentKey($0) }
            #expect(found == kind, "\(key)")
            if kind != nil { #expect(FirstContentDetector.keyLengths & (1 << UInt64(key.utf8.count)) != 0, "\(key)") }
        }
    }
}
