import SluiceLLM
import Testing

@Suite("BodyScan syntax")
struct BodyScanSyntaxTests {
    struct Invalid: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var offset: Int
        var reason: String

        init(_ text: String, _ offset: Int, _ reason: String) {
            self.init(bytes: Array(text.utf8), offset, reason)
        }

        init(bytes: [UInt8], _ offset: Int, _ reason: String) {
            self.bytes = bytes
            self.offset = offset
            self.reason = reason
        }

        var testDescription: String { String(decoding: bytes, as: UTF8.self) }
    }

    static let badUTF8 = "invalid UTF-8 in string"

    static let invalid: [Invalid] = [
        Invalid("", 0, "body is empty"),
        Invalid("  \n\t", 0, "body is empty"),
        Invalid("[1,2]", 0, "top-level value must be a JSON object"),
        Invalid("\"model\"", 0, "top-level value must be a JSON object"),
        Invalid("  42", 2, "top-level value must be a JSON object"),
        Invalid("\u{FEFF}{}", 0, "top-level value must be a JSON object"),
        Invalid("{", 1, "unexpected end of body"),
        Invalid("{\"model\"", 8, "unexpected end of body"),
        Invalid("{\"model\" \"gpt\"}", 9, "expected ':' after object key"),
        Invalid("{\"model\":}", 9, "expected a value"),
        Invalid("{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after object member"),
        Invalid("{\"a\":1,}", 7, "expected a string key after ','"),
        Invalid("{,}", 1, "expected a string key or '}'"),
        Invalid("{a:1}", 1, "expected a string key or '}'"),
        Invalid("{\"a\":[1 2]}", 8, "expected ',' or ']' after array element"),
        Invalid("{\"a\":[1,]}", 8, "expected a value"),
        Invalid("{\"a\":[}", 6, "expected a value"),
        Invalid("{\"a\":{\"b\":1]}", 11, "expected ',' or '}' after object member"),
        Invalid("{\"a\":01}", 5, "leading zeros are not allowed in numbers"),
        Invalid("{\"a\":-}", 6, "expected a digit after '-'"),
        Invalid("{\"a\":1.}", 7, "expected a digit after the decimal point"),
        Invalid("{\"a\":1e}", 7, "expected a digit in the exponent"),
        Invalid("{\"a\":1e+}", 8, "expected a digit in the exponent"),
        Invalid("{\"a\":+1}", 5, "expected a value"),
        Invalid("{\"a\":.5}", 5, "expected a value"),
        Invalid("{\"a\":tru}", 5, "invalid literal"),
        Invalid("{\"a\":True}", 5, "expected a value"),
        Invalid("{\"a\":nul", 8, "unexpected end of body"),
        Invalid("{\"a\":\"x}", 5, "unterminated string"),
        Invalid("{\"a\":\"\\", 5, "unterminated string"),
        Invalid("{\"a\":\"x\ny\"}", 7, "unescaped control character in string"),
        Invalid("{\"a\":\"\\x\"}", 6, "invalid escape sequence in string"),
        Invalid("{\"a\":\"\\u12G4\"}", 6, "expected four hex digits after \\u"),
        Invalid("{\"a\":\"\\uD83D\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uDE00\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uDFFF\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uDC00\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uD800\\uE000\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uDBFF\\uDBFF\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uD800x\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid("{\"a\":\"\\uD83D\\u0041\"}", 6, "unpaired UTF-16 surrogate in \\u escape"),
        Invalid(bytes: Array("{\"a\":\"".utf8) + [0xC3, 0x28] + Array("\"}".utf8), 6, "invalid UTF-8 in string"),
        Invalid(bytes: Array("{\"a\":\"".utf8) + [0xC0, 0xAF] + Array("\"}".utf8), 6, "invalid UTF-8 in string"),
        Invalid(bytes: Array("{\"a\":\"".utf8) + [0xED, 0xA0, 0x80] + Array("\"}".utf8), 6, "invalid UTF-8 in string"),
        Invalid(bytes: Array("{\"a\":\"".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\"}".utf8), 6, Self.badUTF8),
        Invalid(bytes: Array("{\"a\":\"".utf8) + [0xE2, 0x82], 6, "invalid UTF-8 in string"),
        // Punctuation at the very end, or followed by a byte at or below a space that is no whitespace: the
        // cases that leave the walk's compact fast path.
        Invalid("{\"a\":", 5, "unexpected end of body"),
        Invalid("{\"a\":1,", 7, "unexpected end of body"),
        Invalid("{\"a\":\u{01}1}", 5, "expected a value"),
        Invalid("{\"a\":1,\u{01}\"b\":2}", 7, "expected a string key after ','"),
        Invalid("{\"a\":1\u{01}}", 6, "expected ',' or '}' after object member"),
        Invalid("{\"a\":1}x", 7, "unexpected data after the top-level object"),
        Invalid("{\"a\":1}{}", 7, "unexpected data after the top-level object"),
        Invalid(bytes: Array("{\"a\":1}".utf8) + [0xFF], 7, "unexpected data after the top-level object"),
    ]

    @Test("invalid documents fail with the exact offset and reason, whatever is asked for", arguments: invalid)
    func rejects(_ case: Invalid) {
        for fields: Set<String> in [[], ["a", "model"]] {
            #expect(throws: BodyScanError(offset: `case`.offset, reason: `case`.reason)) {
                try BodyScan.scan(`case`.bytes, fields: fields)
            }
        }
    }

    @Test("inside a long string, a bad byte is found at its exact offset wherever it falls among plain text")
    func badByteInLongString() {
        // The string walk skips plain text eight bytes at a time: a control character, a byte that does not
        // start UTF-8 and a bad escape must each stop it at any of the eight places of a word.
        let cases: [([UInt8], String, Int)] = [
            ([0x01], "unescaped control character in string", 0),
            ([0x1F], "unescaped control character in string", 0),
            ([0xFF], Self.badUTF8, 0),
            ([0x80], Self.badUTF8, 0),
            (Array(#"\q"#.utf8), "invalid escape sequence in string", 0),
        ]
        for (bad, reason, shift) in cases {
            for place in 0..<24 {
                let text = Array(#"{"content":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: place) + bad
                    + [UInt8](repeating: UInt8(ascii: "b"), count: 20) + Array(#""}"#.utf8)
                #expect(throws: BodyScanError(offset: 12 + place + shift, reason: reason), "at \(place)") {
                    try BodyScan.scan(text, fields: ["content"])
                }
            }
        }
        // And plain text of every length is read to its closing quote, with the quote and escapes after it.
        for length in 0..<40 {
            let value = String(repeating: "x", count: length) + #"\"é"#
            let text = Array(("{\"content\":\"" + value + "\",\"n\":1}").utf8)
            #expect((try? BodyScan.scan(text, fields: ["n"]))?["n"] != nil, "length \(length)")
        }
    }

    @Test("whitespace around colons and commas reads as the compact form does")
    func spacedPunctuation() throws {
        let compact = #"{"a":1,"b":{"c":[1,2],"d":"x"},"e":null}"#
        let spaced = " {\t\"a\" :\n1 ,\r\n\"b\": { \"c\" : [ 1 , 2 ] ,\"d\":\"x\" } , \"e\" : null }\n"
        let fields: Set<String> = ["a", "b", "e"]
        let compactScan = try BodyScan.scan(Array(compact.utf8), fields: fields)
        let spacedScan = try BodyScan.scan(Array(spaced.utf8), fields: fields)
        for field in fields {
            let compactField = try #require(compactScan[field])
            let spacedField = try #require(spacedScan[field])
            #expect(compactField.kind == spacedField.kind, "\(field)")
        }
    }

    @Test("the description adds the position")
    func description() {
        let error = BodyScanError(offset: 37, reason: "expected ',' or '}' after object member")
        #expect(error.description == "expected ',' or '}' after object member at byte 37")
        #expect(BodyScanError(offset: 0, reason: "body is empty").description == "body is empty")
    }

    @Test("nesting up to 128 levels is accepted, 129 is refused at the bracket that goes over")
    func depthLimit() throws {
        func nested(_ arrays: Int) -> [UInt8] {
            Array(
                ("{\"a\":" + String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays) + "}").utf8)
        }
        _ = try BodyScan.scan(nested(127), fields: ["a"])
        #expect(throws: BodyScanError(offset: 5 + 127, reason: "nesting deeper than 128 levels")) {
            try BodyScan.scan(nested(128), fields: ["a"])
        }
        #expect(throws: BodyScanError(offset: 5 + 127, reason: "nesting deeper than 128 levels")) {
            try BodyScan.scan(nested(128), fields: [])
        }
    }

    @Test("each kind of value is reported with its exact range")
    func kinds() throws {
        let text =
            #"{"s":"x\u00e9\n","n":-12.5e3,"i":-42,"big":123456789012345678901234,"t":true,"f":false,"#
            + #""z":null,"ea":[ ],"eo":{ },"a":[1],"o":{"k":1}}"#
        let body = Array(text.utf8)
        let scan = try BodyScan.scan(body, fields: ["s", "n", "i", "big", "t", "f", "z", "ea", "eo", "a", "o"])
        func raw(_ key: String) throws -> String {
            String(decoding: body[try #require(scan[key]).valueRange], as: UTF8.self)
        }
        #expect(scan["s"]?.kind == .string)
        #expect(scan["s"]?.string == "xé\n")
        #expect(try raw("s") == #""x\u00e9\n""#)
        #expect(scan["n"]?.kind == .number && scan["n"]?.integer == nil)
        #expect(try raw("n") == "-12.5e3")
        #expect(scan["i"]?.integer == -42)
        #expect(scan["big"]?.kind == .number && scan["big"]?.integer == nil)
        #expect(scan["t"]?.bool == true && scan["t"]?.kind == .bool)
        #expect(scan["f"]?.bool == false)
        #expect(scan["z"]?.kind == .null && scan["z"]?.string == nil)
        #expect(scan["ea"]?.kind == .array && scan["ea"]?.isEmptyContainer == true)
        #expect(scan["eo"]?.kind == .object && scan["eo"]?.isEmptyContainer == true)
        #expect(try raw("eo") == "{ }")
        #expect(scan["a"]?.kind == .array && scan["a"]?.isEmptyContainer == false)
        #expect(scan["o"]?.kind == .object && scan["o"]?.isEmptyContainer == false)
        #expect(try raw("o") == #"{"k":1}"#)
        #expect(scan["k"] == nil, "only top-level keys are reported")
        #expect(scan.foundFields.count == 11)
    }

    @Test("whitespace around tokens is outside the value range")
    func whitespace() throws {
        let body = Array(" \t\r\n{ \"model\" :\n \"m\" , \"stream\":true } \n".utf8)
        let scan = try BodyScan.scanRequest(body)
        let model = try #require(scan["model"])
        #expect(String(decoding: body[model.valueRange], as: UTF8.self) == "\"m\"")
        #expect(scan.isStream)
    }

    @Test("escapes decode: surrogate pairs, quotes, slashes, controls")
    func escapes() throws {
        let body = Array(#"{"model":"\ud83d\ude00 \u00E9 \\ \" \/ \b\f\r\t \u0000"}"#.utf8)
        #expect(try BodyScan.scanRequest(body).model == "😀 é \\ \" / \u{8}\u{C}\r\t \u{0}")
        let edges = Array(#"{"model":"\uD800\uDC00\uDBFF\uDFFF\uD7FF\uE000\uFFFF"}"#.utf8)
        #expect(try BodyScan.scanRequest(edges).model == "\u{10000}\u{10FFFF}\u{D7FF}\u{E000}\u{FFFF}")
        // UTF-8 at the edges of each range of table 3-7: U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+10000, U+10FFFF.
        let boundaries: [UInt8] = [
            0xC2, 0x80, 0xDF, 0xBF, 0xE0, 0xA0, 0x80, 0xED, 0x9F, 0xBF, 0xEE, 0x80, 0x80,
            0xF0, 0x90, 0x80, 0x80, 0xF4, 0x8F, 0xBF, 0xBF,
        ]
        let utf8 = Array(#"{"model":""#.utf8) + boundaries + Array(#""}"#.utf8)
        #expect(try BodyScan.scanRequest(utf8).model == "\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{10000}\u{10FFFF}")
        let raw = Array(#"{"model":"😀 é"}"#.utf8)
        #expect(try BodyScan.scanRequest(raw).model == "😀 é")
    }

    @Test("a key written with escapes is the key it decodes to")
    func escapedKeys() throws {
        #expect(try BodyScan.scanRequest(Array(#"{"mod\u0065l":"x"}"#.utf8)).model == "x")
        #expect(throws: BodyScanError(offset: 13, reason: "duplicate key \"model\"")) {
            try BodyScan.scanRequest(Array(#"{"model":"a","m\u006fdel":"b"}"#.utf8))
        }
    }

    @Test("a wanted key given twice is refused: the provider might read the other one")
    func duplicates() throws {
        #expect(throws: BodyScanError(offset: 13, reason: "duplicate key \"model\"")) {
            try BodyScan.scan(Array(#"{"model":"a","model":"b"}"#.utf8), fields: ["model"])
        }
        // Keys nobody asked for may repeat, as most parsers allow.
        _ = try BodyScan.scan(Array(#"{"x":1,"x":2,"model":"a"}"#.utf8), fields: ["model"])
        #expect(throws: BodyScanError(offset: 40, reason: "duplicate key \"include_usage\"")) {
            try BodyScan.scanRequest(Array(#"{"stream_options":{"include_usage":true,"include_usage":false}}"#.utf8))
        }
    }

    @Test(
        "stream_options.include_usage is read from the nested object only",
        arguments: [
            (#"{"stream":true,"stream_options":{"include_usage":true}}"#, true),
            (#"{"stream_options":{"x":[{"include_usage":false}],"include_usage":true}}"#, true),
            (#"{"stream_options":{"include_usage":false}}"#, false),
            (#"{"stream_options":{"include_usage":"true"}}"#, false),
            (#"{"stream_options":null}"#, false),
            (#"{"stream_options":[{"include_usage":true}]}"#, false),
            (#"{"include_usage":true}"#, false),
            (#"{"metadata":{"stream_options":{"include_usage":true}}}"#, false),
        ])
    func includeUsage(json: String, expected: Bool) throws {
        let scan = try BodyScan.scanRequest(Array(json.utf8))
        #expect(scan.includeUsage == expected)
    }

    @Test("the nested object itself is reported, with its members")
    func nestedRanges() throws {
        let body = Array(#"{"stream_options": {"include_usage": true }, "model":"m"}"#.utf8)
        let scan = try BodyScan.scanRequest(body)
        let options = try #require(scan["stream_options"])
        #expect(options.kind == .object && !options.isEmptyContainer)
        #expect(String(decoding: body[options.valueRange], as: UTF8.self) == #"{"include_usage": true }"#)
        let flag = try #require(scan["stream_options", "include_usage"])
        #expect(String(decoding: body[flag.valueRange], as: UTF8.self) == "true")
        #expect(scan["stream_options", "other"] == nil)
        #expect(
            try BodyScan.scanRequest(Array(#"{"stream_options":{ }}"#.utf8))["stream_options"]?.isEmptyContainer == true
        )
    }

    @Test("the raw-buffer and array entry points agree")
    func rawBuffer() throws {
        let body = Array(#"{"model":"gpt-4o","stream":false}"#.utf8)
        let viaBuffer = try body.withUnsafeBytes { try BodyScan.scan($0, fields: ["model", "stream"]) }
        let viaArray = try BodyScan.scan(body, fields: ["model", "stream"])
        #expect(viaBuffer.foundFields == viaArray.foundFields)
        #expect(viaBuffer["stream"]?.bool == false)
        #expect(throws: BodyScanError(offset: 1, reason: "unexpected end of body")) {
            try Array("{".utf8).withUnsafeBytes { try BodyScan.scanRequest($0) }
        }
    }
}
