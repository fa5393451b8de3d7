import SluiceLLM
import Testing

@Suite("SSEParser: WHATWG rules")
struct SSEParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var stream: String
        var events: [SSEEvent]

        init(_ stream: String, _ events: [SSEEvent]) {
            self.stream = stream
            self.events = events
        }

        var testDescription: String { stream.debugDescription }
    }

    static let cases: [Case] = [
        Case("data: a\n\n", [SSEEvent(data: "a")]),
        Case("data:a\r\n\r\n", [SSEEvent(data: "a")]),
        Case("data: a\r\rdata: b\r\r", [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case("data: a\r\n\ndata: b\n\r\n", [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case("data: a\ndata: b\n\n", [SSEEvent(data: "a\nb")]),
        Case("data: a\r\ndata: b\r\n\r\n", [SSEEvent(data: "a\nb")]),
        Case("event: e\r\ndata: x\r\n\r\n", [SSEEvent(event: "e", data: "x")]),
        Case("event: e\rdata: x\rdata: y\r\r", [SSEEvent(event: "e", data: "x\ny")]),
        Case("data: a\n\n\n\ndata: b\n\n", [SSEEvent(data: "a"), SSEEvent(data: "b")]),
        Case(": comment\ndata: x\n: another\n\n", [SSEEvent(data: "x")]),
        Case(":\n\n", []),
        Case("event: add\ndata: 1\n\ndata: 2\n\n", [SSEEvent(event: "add", data: "1"), SSEEvent(data: "2")]),
        Case("data\n\n", [SSEEvent(data: "")]),
        Case("data:\n\n", [SSEEvent(data: "")]),
        Case("data:\ndata:\n\n", [SSEEvent(data: "\n")]),
        Case("event: x\n\n", []),
        Case("event: x\n\ndata: y\n\n", [SSEEvent(data: "y")]),
        Case("id: 7\ndata: a\n\ndata: b\n\n", [SSEEvent(data: "a", id: "7"), SSEEvent(data: "b", id: "7")]),
        Case("id: 7\ndata: a\n\nid\ndata: b\n\n", [SSEEvent(data: "a", id: "7"), SSEEvent(data: "b")]),
        Case("id: 1\u{0}2\ndata: a\n\n", [SSEEvent(data: "a")]),
        Case("retry: 1000\ndata: a\n\n", [SSEEvent(data: "a", retry: 1000)]),
        Case("retry: 10a\ndata: a\n\n", [SSEEvent(data: "a")]),
        Case("data:  two spaces\n\n", [SSEEvent(data: " two spaces")]),
        Case("data:a: b\n\n", [SSEEvent(data: "a: b")]),
        Case("\u{FEFF}data: bom\n\n", [SSEEvent(data: "bom")]),
        Case("\u{FEFF}\ndata: bom\n\n", [SSEEvent(data: "bom")]),
        Case("data: \u{FEFF}kept\n\n", [SSEEvent(data: "\u{FEFF}kept")]),
        Case("unknown: x\ndata: y\n\n", [SSEEvent(data: "y")]),
        Case("DATA: x\n\n", []),
        Case("data: é 😀\n\n", [SSEEvent(data: "é 😀")]),
        Case("data: a\n\ndata: cut off", [SSEEvent(data: "a")]),
        Case("data: a\n\ndata: cut off\n", [SSEEvent(data: "a")]),
        Case(
            "event: message_stop\ndata: {\"type\":\"message_stop\"   }\n\n",
            [SSEEvent(event: "message_stop", data: "{\"type\":\"message_stop\"   }")]),
    ]

    @Test("one feed", arguments: cases)
    func oneFeed(_ case: Case) {
        #expect(TestSupport.events(Array(`case`.stream.utf8)) == `case`.events)
    }

    @Test("every cut into two feeds, and byte by byte, gives the same events", arguments: cases)
    func everySplit(_ case: Case) {
        let bytes = Array(`case`.stream.utf8)
        for cut in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...]) + parser.finish()
            #expect(events == `case`.events, "cut at \(cut)")
        }
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in bytes { events += parser.feed(CollectionOfOne(byte)) }
        #expect(events + parser.finish() == `case`.events)
    }

    @Test("feed(_:untilData:) hands over each event's data as the events carry it, at every cut", arguments: cases)
    func dataOnly(_ case: Case) {
        let bytes = Array(`case`.stream.utf8)
        let expected = `case`.events.map { Array($0.data.utf8) }
        for cut in 0...bytes.count {
            var parser = SSEParser()
            var seen: [[UInt8]] = []
            for part in [bytes[..<cut], bytes[cut...]] {
                let stopped = Array(part).withUnsafeBytes { buffer in
                    parser.feed(buffer) { data in
                        seen.append(Array(data))
                        return false
                    }
                }
                #expect(stopped == nil)
            }
            #expect(seen == expected, "cut at \(cut)")
        }
    }

    @Test("feed(_:untilData:) stops at the event it is told to, and says where that event ended")
    func dataOnlyStops() {
        let bytes = Array("data: a\n\ndata: b\n\ndata: c\n\n".utf8)
        var parser = SSEParser()
        var seen: [String] = []
        let end = bytes.withUnsafeBytes { buffer in
            parser.feed(buffer) { data in
                seen.append(String(decoding: data, as: UTF8.self))
                return seen.last == "b"
            }
        }
        #expect(seen == ["a", "b"])
        #expect(end == 18)
    }

    @Test("an event cut short is dropped unless the parser is lenient")
    func incompleteEvent() {
        var strict = SSEParser()
        #expect(strict.feed(Array("data: a\n\ndata: b".utf8)) == [SSEEvent(data: "a")])
        #expect(strict.hasIncompleteEvent)
        #expect(strict.finish().isEmpty)
        #expect(!strict.hasIncompleteEvent)

        var lenient = SSEParser(dispatchesIncompleteEvent: true)
        _ = lenient.feed(Array("event: e\ndata: b".utf8))
        #expect(lenient.finish() == [SSEEvent(event: "e", data: "b")])
        _ = lenient.feed(Array("data: c\n".utf8))
        #expect(lenient.finish() == [SSEEvent(data: "c")])
        #expect(lenient.finish().isEmpty)
    }

    @Test("a CR at the end of one feed and LF at the start of the next make one line end")
    func crlfAcrossFeeds() {
        var parser = SSEParser()
        #expect(parser.feed(Array("data: a\r".utf8)).isEmpty)
        #expect(parser.feed(Array("\n\r".utf8)) == [SSEEvent(data: "a")])
        #expect(parser.feed(Array("\ndata: b\r\n\r\n".utf8)) == [SSEEvent(data: "b")])
    }

    @Test("the event type defaults to message")
    func defaultType() {
        #expect(SSEEvent(data: "x").type == "message")
        #expect(SSEEvent(event: "ping", data: "x").type == "ping")
    }
}
