import SluiceLLM
import Testing

@Suite("JSONText")
struct JSONTextTests {
    @Test(
        "quoted strings escape what JSON requires and nothing else",
        arguments: [
            ("plain", #""plain""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("back\\slash", #""back\\slash""#),
            ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
            ("\u{8}\u{C}", #""\b\f""#),
            ("\u{0}\u{1F}", #""\u0000\u001f""#),
            ("é 😀 / \u{7F}", "\"é 😀 / \u{7F}\""),
            ("", #""""#),
        ])
    func quoted(input: String, expected: String) throws {
        #expect(JSONText.quoted(input) == expected)
        // The literal reads back to the input, through BodyScan and through Foundation.
        let body = Array("{\"model\":\(expected)}".utf8)
        #expect(try BodyScan.scanRequest(body).model == input)
        #expect(JSONValue.parse(body)?["model"]?.string == input)
    }

    @Test("every control character round-trips")
    func controls() throws {
        let all = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let body = Array("{\"model\":\(JSONText.quoted(all))}".utf8)
        #expect(try BodyScan.scanRequest(body).model == all)
    }

    @Test("replacing changes only the range")
    func replacing() {
        let body = Array(#"{"a":1,"model":"x","b":2}"#.utf8)
        let out = JSONText.replacing(body, range: 15..<18, with: JSONText.quoted("longer-name"))
        #expect(String(decoding: out, as: UTF8.self) == #"{"a":1,"model":"longer-name","b":2}"#)
        #expect(JSONText.replacing(body, range: 0..<0, with: "") == body)
    }
}
