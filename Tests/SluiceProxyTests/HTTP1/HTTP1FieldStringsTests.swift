import Testing

@testable import SluiceProxy

@Suite("HTTP/1.1 field strings: made once per connection, always the bytes given")
struct HTTP1FieldStringsTests {
    private static func string(_ text: String, from cache: HTTP1FieldStrings) -> String {
        Array(text.utf8).withUnsafeBytes { cache.string($0) }
    }

    @Test("short, long and over-long text all come back as given, cached or not")
    func givesTheBytes() {
        let cache = HTTP1FieldStrings()
        for text in ["", "a", "content-length", "x-ratelimit-remaining-requests", String(repeating: "x", count: 300)] {
            #expect(Self.string(text, from: cache) == text)
            #expect(Self.string(text, from: cache) == text)
        }
    }

    @Test("a repeated long value is the same string: no new storage")
    func reusesStorage() {
        let cache = HTTP1FieldStrings()
        var first = Self.string("Bearer sk-app-key-0123456789", from: cache)
        var second = Self.string("Bearer sk-app-key-0123456789", from: cache)
        let firstStart = first.withUTF8 { $0.baseAddress }
        let secondStart = second.withUTF8 { $0.baseAddress }
        #expect(firstStart == secondStart)
    }

    @Test("names that differ only in the middle, read in turn, each keep their one string")
    func middleDifferences() {
        let cache = HTTP1FieldStrings()
        let names = [
            "x-ratelimit-limit-requests", "x-ratelimit-reset-requests", "x-ratelimit-limit-tokens",
            "x-ratelimit-reset-tokens", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
        ]
        func start(_ text: String) -> UnsafePointer<UInt8>? {
            var made = Self.string(text, from: cache)
            return made.withUTF8 { $0.baseAddress }
        }
        let first = names.map(start)
        for _ in 0..<3 { #expect(names.map(start) == first) }
    }

    @Test("four strings that share a set, read in turn, each keep their one string")
    func fullSet() {
        // What an answer's fields met: two fields of every answer and the `date` value in one set.
        var bySet: [Int: [String]] = [:]
        var index = 0
        while bySet.values.allSatisfy({ $0.count < 4 }) {
            let text = "x-field-with-a-long-name-\(index)"
            let first = Array(text.utf8).withUnsafeBytes { HTTP1FieldStrings.place($0).first }
            bySet[first, default: []].append(text)
            index += 1
        }
        let texts = bySet.values.first { $0.count == 4 }!
        let cache = HTTP1FieldStrings()
        func start(_ text: String) -> UnsafePointer<UInt8>? {
            var made = Self.string(text, from: cache)
            return made.withUTF8 { $0.baseAddress }
        }
        let first = texts.map(start)
        for _ in 0..<3 { #expect(texts.map(start) == first) }
    }

    @Test("texts that share a slot or differ only inside never get each other's bytes")
    func neverMixesUp() {
        let cache = HTTP1FieldStrings()
        var generator = SystemRandomNumberGenerator()
        // Same length, same first and last eight bytes: only the middle differs.
        let base = Array("x-ratelimit-reset-requests-and-more".utf8)
        var texts: [String] = []
        for index in 0..<200 {
            var bytes = base
            bytes[12] = UInt8(ascii: "a") + UInt8(index % 26)
            bytes[16] = UInt8(ascii: "a") + UInt8(index / 26)
            texts.append(String(decoding: bytes, as: UTF8.self))
        }
        for length in 16...40 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &generator) }
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        for _ in 0..<3 {
            for text in texts.shuffled(using: &generator) {
                #expect(Self.string(text, from: cache) == text)
            }
        }
    }
}
