import Testing

@testable import SluiceLLM

@Suite("ByteSearch: the next of two bytes, a word at a time")
struct ByteSearchTests {
    /// The answer by walking byte by byte.
    static func expected(_ bytes: [UInt8], _ first: UInt8, _ second: UInt8, from start: Int, to end: Int) -> Int? {
        (start..<end).first { bytes[$0] == first || bytes[$0] == second }
    }

    @Test("agrees with a byte-by-byte walk for every placement of the targets, start and end")
    func everyPlacement() {
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        // Bytes next to the targets in value (0x21, 0x23, 0x5B, 0x5D, 0xA2, 0xDC) and zero, which the
        // has-zero-byte trick is most likely to confuse.
        let fillers: [UInt8] = [0x00, 0x21, 0x23, 0x5B, 0x5D, 0xA2, 0xDC, UInt8(ascii: "a")]
        for length in 0...24 {
            for filler in fillers {
                for hit in -1..<length {
                    for other in [-1, hit + 1, hit + 9] where other < length {
                        var bytes = [UInt8](repeating: filler, count: length)
                        if hit >= 0 { bytes[hit] = quote }
                        if other >= 0 { bytes[other] = backslash }
                        for start in 0...min(length, 3) {
                            let found = bytes.withUnsafeBytes {
                                ByteSearch.firstIndex(of: quote, or: backslash, in: $0, from: start, to: length)
                            }
                            #expect(found == Self.expected(bytes, quote, backslash, from: start, to: length))
                        }
                    }
                }
            }
        }
    }

    @Test("a byte past `end` is not found")
    func stopsAtEnd() {
        let bytes = Array("abcdefghij\n".utf8)
        let found = bytes.withUnsafeBytes { ByteSearch.firstIndex(of: 0x0A, or: 0x0D, in: $0, from: 0, to: 10) }
        #expect(found == nil)
    }

    @Test("quotes and brackets: agrees with a byte-by-byte walk, every byte value next to every target")
    func quoteOrBracket() {
        let targets = Set("\"{}[]".utf8)
        for filler in 0...255 {
            for length in [1, 7, 8, 9, 16, 17] {
                for hit in -1..<length {
                    var bytes = [UInt8](repeating: UInt8(filler), count: length)
                    if hit >= 0 { bytes[hit] = Array("\"{}[]".utf8)[hit % 5] }
                    let expected = bytes.firstIndex { targets.contains($0) }
                    let found = bytes.withUnsafeBytes { ByteSearch.firstQuoteOrBracket(in: $0, from: 0, to: length) }
                    #expect(found == expected, "filler \(filler), length \(length), hit \(hit)")
                }
            }
        }
    }

    /// Plain string text, byte by byte: printable ASCII but `"` and `\`.
    static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    static func word(_ bytes: [UInt8]) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @Test("plain string text: every byte value at every place among plain and among borrow-prone neighbours")
    func plainStringTextEveryByte() {
        // Neighbours just above the limits (0x20, 0x21, 0x23, 0x5D, 0x7F) are where a borrow could hide a byte.
        for filler: UInt8 in [0x20, 0x21, 0x23, 0x5D, 0x7F, UInt8(ascii: "a")] {
            for place in 0..<8 {
                for value in UInt8.min...UInt8.max {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[place] = value
                    #expect(
                        ByteSearch.isPlainStringText(Self.word(bytes)) == Self.isPlain(value),
                        "byte \(value) at \(place) among \(filler)")
                }
            }
        }
    }

    /// Eight mostly plain bytes, one in `oneIn` any byte at all: words that are almost plain are common.
    static func mostlyPlainWord(oneIn: Int, using generator: inout SystemRandomNumberGenerator) -> [UInt8] {
        (0..<8).map { _ in
            Int.random(in: 0..<oneIn, using: &generator) == 0 ? UInt8.random(in: 0...255, using: &generator)
                : UInt8.random(in: 0x20...0x7F, using: &generator)
        }
    }

    @Test("plain string text: agrees with a byte-by-byte check on 100,000 random words")
    func plainStringTextRandom() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let bytes = Self.mostlyPlainWord(oneIn: 10, using: &generator)
            #expect(ByteSearch.isPlainStringText(Self.word(bytes)) == bytes.allSatisfy(Self.isPlain), "\(bytes)")
        }
    }

    @Test("string text stops: the lowest flag is the first byte that is not plain, on 100,000 random words")
    func stringTextStopsFirst() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let bytes = Self.mostlyPlainWord(oneIn: 6, using: &generator)
            let stops = ByteSearch.stringTextStops(Self.word(bytes))
            let first = bytes.firstIndex { !Self.isPlain($0) }
            #expect((stops == 0 ? nil : stops.trailingZeroBitCount / 8) == first, "\(bytes)")
        }
    }
}

