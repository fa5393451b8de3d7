import SluiceLLM
import Testing

@Suite("SSEWriter")
struct SSEWriterTests {
    @Test("data frames")
    func dataFrames() {
        #expect(SSEWriter.data("{\"a\":1}") == Array("data: {\"a\":1}\n\n".utf8))
        #expect(SSEWriter.data("") == Array("data: \n\n".utf8))
        #expect(SSEWriter.done == Array("data: [DONE]\n\n".utf8))
    }

    @Test(
        "a payload with line breaks becomes several data lines and parses back",
        arguments: ["a\nb", "a\r\nb", "a\rb", "{\n  \"pretty\": true\n}", "trailing\n"])
    func multiline(payload: String) {
        let frame = SSEWriter.data(payload)
        let expected = payload.replacingLineBreaks()
        #expect(TestSupport.events(frame) == [SSEEvent(data: expected)])
    }

    @Test("named events, as Anthropic sends them")
    func events() {
        let frame = SSEWriter.event("message_stop", data: Array("{\"type\":\"message_stop\"}".utf8))
        #expect(frame == Array("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".utf8))
        #expect(TestSupport.events(frame) == [SSEEvent(event: "message_stop", data: "{\"type\":\"message_stop\"}")])
    }

    @Test("comments are ignored by parsers")
    func comments() {
        let frame = SSEWriter.comment("keep-alive\nsneaky")
        #expect(frame == Array(": keep-alivesneaky\n\n".utf8))
        #expect(TestSupport.events(frame + SSEWriter.data("x")) == [SSEEvent(data: "x")])
    }

    @Test("appending builds several frames in one buffer")
    func appending() {
        var buffer: [UInt8] = []
        SSEWriter.appendData(Array("1".utf8), to: &buffer)
        SSEWriter.appendEvent("e", data: Array("2".utf8), to: &buffer)
        #expect(TestSupport.events(buffer) == [SSEEvent(data: "1"), SSEEvent(event: "e", data: "2")])
    }
}

extension String {
    /// CRLF and CR turned into LF, as an SSE parser joins data lines.
    fileprivate func replacingLineBreaks() -> String {
        var out = ""
        var afterCR = false
        for scalar in unicodeScalars {
            if afterCR, scalar == "\n" {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            out.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
        }
        return out
    }
}
