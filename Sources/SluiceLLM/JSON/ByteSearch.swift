/// Finding the next of two bytes eight bytes at a time.
///
/// The stream and body walkers spend most of their time skipping string contents (up to a quote or a
/// backslash) and event lines (up to a line end). Comparing a whole 64-bit word against both bytes at
/// once, with the classic has-zero-byte test, does that in a few instructions per eight bytes.
public enum ByteSearch {
    /// The index of the first byte in `buffer[start..<end]` equal to `first` or `second`, or nil.
    @inlinable
    public static func firstIndex(
        of first: UInt8, or second: UInt8, in buffer: UnsafeRawBufferPointer, from start: Int, to end: Int
    ) -> Int? {
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let firsts = ones &* UInt64(first)
        let seconds = ones &* UInt64(second)
        while index + 8 <= end {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let a = word ^ firsts
            let b = word ^ seconds
            // A byte of `a` or `b` is zero where the word holds `first` or `second`. The lowest flagged
            // byte is always a true match (a false flag can only sit above a true one).
            let found = ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end {
            let byte = buffer[index]
            if byte == first || byte == second { return index }
            index += 1
        }
        return nil
    }

    /// Whether all eight bytes of `word` are plain text inside a JSON string: printable ASCII (0x20 to
    /// 0x7F) other than `"` and `\`. A word with a quote, a backslash, a control character or any byte of a
    /// UTF-8 sequence is not; the test may also say no for some plain words (a borrow can flag a byte
    /// above a flagged one), never yes for a word that is not plain.
    @inlinable
    public static func isPlainStringText(_ word: UInt64) -> Bool {
        stringTextStops(word) == 0
    }

    /// The bytes of `word` (loaded little-endian) that are not plain text inside a JSON string, each
    /// flagged by its high bit. The lowest flag always marks a true stop, so `trailingZeroBitCount / 8` is
    /// how many plain bytes come first (a borrow can only flag a byte above a flagged one).
    @inlinable
    public static func stringTextStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        // A byte below 0x20, a zero byte of `quotes` or `backslashes` (a quote or backslash), or a high bit.
        let below = (word &- ones &* 0x20) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (below | quote | backslash | word) & highs
    }

    /// The index of the first `"`, `{`, `}`, `[` or `]` in `buffer[start..<end]`, or nil: what a JSON
    /// walker skipping a value looks for. `[` and `{` (and `]` and `}`) differ only in bit 5, and no other
    /// byte becomes `{` or `}` when it is set, so three word compares find all five.
    @inlinable
    public static func firstQuoteOrBracket(in buffer: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* UInt64(UInt8(ascii: "\""))
        let opens = ones &* UInt64(UInt8(ascii: "{"))
        let closes = ones &* UInt64(UInt8(ascii: "}"))
        let bit5 = ones &* 0x20
        while index + 8 <= end {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let folded = word | bit5
            let a = word ^ quotes
            let b = folded ^ opens
            let c = folded ^ closes
            let found = ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs) | ((c &- ones) & ~c & highs)
            if found != 0 { return index + found.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < end {
            switch buffer[index] {
            case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"):
                return index
            default:
                index += 1
            }
        }
        return nil
    }
}
