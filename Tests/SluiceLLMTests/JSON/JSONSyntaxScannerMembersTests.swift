import Testing

@testable import SluiceLLM

@Suite("JSONSyntaxScanner.scanMembers: the top-level members of a document, validated, nothing built")
struct JSONSyntaxScannerMembersTests {
    private static func members(_ text: String) throws(BodyScanError) -> [(key: String, value: String, kind: ScannedField.Kind)] {
        try members(Array(text.utf8))
    }

    private static func members(_ bytes: [UInt8]) throws(BodyScanError) -> [(key: String, value: String, kind: ScannedField.Kind)] {
        var found: [(key: String, value: String, kind: ScannedField.Kind)] = []
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(BodyScanError) in
                var scanner = JSONSyntaxScanner(bytes: buffer, maxDepth: BodyScan.maxDepth)
                try scanner.scanMembers { key, _, value, info throws(BodyScanError) in
                    found.append((
                        String(decoding: buffer[key], as: UTF8.self), String(decoding: buffer[value], as: UTF8.self),
                        info.kind
                    ))
                }
            }
        }
        try result.get()
        return found
    }

    @Test("each member in order: key text, the value's exact bytes and kind; an empty object has none")
    func visitsMembers() throws {
        let found = try Self.members(#" {"a" : [1, {"b":2}] ,"c\"d":"x","e":null, "f":{}} "#)
        #expect(found.map(\.key) == ["a", #"c\"d"#, "e", "f"])
        #expect(found.map(\.value) == [#"[1, {"b":2}]"#, #""x""#, "null", "{}"])
        #expect(found.map(\.kind) == [.array, .string, .null, .object])
        #expect(try Self.members("{ }").isEmpty)
    }

    @Test("every document BodyScan refuses is refused with the same offset and reason", arguments: BodyScanSyntaxTests.invalid)
    func refusesLikeBodyScan(_ case: BodyScanSyntaxTests.Invalid) {
        #expect(throws: BodyScanError(offset: `case`.offset, reason: `case`.reason)) {
            _ = try Self.members(`case`.bytes)
        }
    }

    @Test("a key means what it decodes to")
    func keys() {
        let text = Array(#""usage""us\u0061ge""usag""choices""#.utf8)
        text.withUnsafeBytes { bytes in
            #expect(JSONSyntaxScanner.key(bytes, 1..<6, hasEscapes: false, is: "usage"))
            #expect(JSONSyntaxScanner.key(bytes, 8..<18, hasEscapes: true, is: "usage"))
            #expect(!JSONSyntaxScanner.key(bytes, 20..<24, hasEscapes: false, is: "usage"))
            #expect(!JSONSyntaxScanner.key(bytes, 26..<33, hasEscapes: false, is: "usage"))
            #expect(JSONSyntaxScanner.key(bytes, 26..<33, hasEscapes: false, is: "choices"))
        }
    }
}
