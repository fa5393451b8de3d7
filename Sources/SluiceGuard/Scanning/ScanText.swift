/// The UTF-8 bytes a detector reads, with the bounds-safe peeks the detectors share.
///
/// Out-of-range peeks read as 0, which no detector accepts, so a detector can look one byte past
/// either end without checking first.
struct ScanText {
    let bytes: UnsafeRawBufferPointer
    let count: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.count = bytes.count
    }

    /// The byte at `index`, or 0 outside the text.
    @inline(__always) subscript(_ index: Int) -> UInt8 {
        index >= 0 && index < count ? bytes[index] : 0
    }

    /// Whether a token may start at `index`: the byte before it is not part of a word.
    @inline(__always) func isWordStart(_ index: Int) -> Bool {
        index == 0 || !ASCII.isWord(bytes[index - 1])
    }

    /// Whether a token ending before `index` ends at a word boundary.
    @inline(__always) func isWordEnd(_ index: Int) -> Bool {
        index >= count || !ASCII.isWord(bytes[index])
    }

    /// Whether a number may start at `index`: not inside a word, and not the continuation of a
    /// dotted or dashed run such as `1.2.3` or `ID-42` (the byte before the separator is a word
    /// byte), nor of a number with thousands separators (`1,234`).
    func isNumberStart(_ index: Int) -> Bool {
        guard index > 0 else { return true }
        let before = bytes[index - 1]
        if ASCII.isWord(before) { return false }
        switch before {
        case ASCII.dot, ASCII.dash, ASCII.colon, ASCII.slash:
            return !ASCII.isWord(self[index - 2])
        case 0x2C:
            // `1,234`: a thousands group; `Office,615-…`: a list.
            return !ASCII.isDigit(self[index - 2])
        default:
            return true
        }
    }

    /// Whether a number ending before `index` really ends there: no word byte, no `@`, and no
    /// separator followed by more digits (`1.2.3.4.5`, `123-45-6789-0`).
    func isNumberEnd(_ index: Int) -> Bool {
        let next = self[index]
        if ASCII.isWord(next) || next == ASCII.at { return false }
        switch next {
        case ASCII.dot, ASCII.dash, ASCII.colon, ASCII.slash, 0x2C:
            return !ASCII.isAlnum(self[index + 1])
        default:
            return true
        }
    }

    /// The end of the run of digits starting at `index`.
    @inline(__always) func digitsEnd(from index: Int) -> Int {
        var end = index
        while end < count, ASCII.isDigit(bytes[end]) { end += 1 }
        return end
    }

    /// Whether one of `words` (lower-case ASCII) ends within `window` bytes before `index`, as a
    /// whole word: the context check for number shapes that are too common to take bare.
    func hasContext(_ words: [[UInt8]], before index: Int, window: Int = 40) -> Bool {
        let start = max(0, index - window)
        var position = index - 1
        while position >= start {
            if ASCII.isLetter(bytes[position]), !ASCII.isLetter(self[position + 1]) {
                for word in words where matchesWord(word, endingAt: position) { return true }
            }
            position -= 1
        }
        return false
    }

    /// Whether `word` (lower-case ASCII) ends at `last` and starts at a word boundary.
    func matchesWord(_ word: [UInt8], endingAt last: Int) -> Bool {
        let first = last - word.count + 1
        guard first >= 0 else { return false }
        for offset in 0..<word.count where ASCII.lower(bytes[first + offset]) != word[offset] { return false }
        return first == 0 || !ASCII.isLetter(bytes[first - 1])
    }
}
