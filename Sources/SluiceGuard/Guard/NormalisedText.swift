/// A text reduced to what the injection phrasings are matched on: word hashes of the text
/// lower-cased, with punctuation as spaces and invisible characters removed (so they cannot
/// split a phrase), plus whether any hidden-text trick was seen on the way.
///
/// Words are hashed as they are read (FNV-1a, as ``InjectionRule/hash(_:)``), so no string or
/// buffer is built per word.
struct NormalisedText {
    private(set) var words: [UInt64] = []
    private(set) var hasHiddenText = false

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x100_0000_01b3

    init(_ text: UnsafeRawBufferPointer) {
        words.reserveCapacity(text.count / 5)
        var hash = Self.offsetBasis
        var inWord = false
        var invisible = 0
        var pendingInvisibleInWord = false
        var previousNonASCII = false
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            if byte < 0x80 {
                if ASCII.isAlnum(byte) {
                    if pendingInvisibleInWord { hasHiddenText = true }
                    hash = (hash ^ UInt64(ASCII.lower(byte))) &* Self.prime
                    inWord = true
                } else if byte == 0x27, inWord {
                    // An apostrophe inside a word: "don't" reads as "dont".
                } else if inWord {
                    words.append(hash)
                    hash = Self.offsetBasis
                    inWord = false
                }
                pendingInvisibleInWord = false
                previousNonASCII = false
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            let scalar = Self.scalar(text, index, length)
            switch scalar {
            case 0xE0000...0xE007F, 0x202A...0x202E, 0x2066...0x2069:
                hasHiddenText = true
            case 0x200C, 0x200D:
                // Joiners belong in emoji sequences and in Indic and Arabic scripts.
                let nextIsNonASCII = index + length < count && text[index + length] >= 0x80
                if !previousNonASCII, !nextIsNonASCII {
                    invisible += 1
                    if inWord { pendingInvisibleInWord = true }
                }
            case 0x200B, 0x2060...0x2064, 0xFEFF, 0x180E:
                invisible += 1
                if inWord { pendingInvisibleInWord = true }
            default:
                for offset in 0..<length where index + offset < count {
                    hash = (hash ^ UInt64(text[index + offset])) &* Self.prime
                }
                inWord = true
                previousNonASCII = true
                pendingInvisibleInWord = false
                index += length
                continue
            }
            index += length
            if invisible >= 2 { hasHiddenText = true }
        }
        if inWord { words.append(hash) }
    }

    private static func scalar(_ text: UnsafeRawBufferPointer, _ index: Int, _ length: Int) -> UInt32 {
        guard index + length <= text.count, length > 1 else { return 0xFFFD }
        var value = UInt32(text[index]) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for offset in 1..<length { value = value << 6 | UInt32(text[index + offset] & 0x3F) }
        return value
    }
}
