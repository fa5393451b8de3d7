/// Finds e-mail addresses, triggered by the `@` the scanner stops at.
///
/// The local part is read backwards from the `@` (letters, digits and `. _ % + - '`, at most 64
/// bytes, no leading, trailing or doubled dot), the domain forwards: at least two labels of
/// letters, digits and inner hyphens, each at most 63 bytes, ending in an alphabetic top-level
/// label of two or more letters. A sentence's closing dot is not part of the address.
///
/// Kept out, to hold false positives down: `@handles` and `@decorators` (no local part),
/// `user@localhost` (one label), and asset names such as `icon@2x.png` whose "top-level domain"
/// is a common file extension.
enum EmailDetector {
    static let maxLocal = 64
    static let maxDomain = 253

    /// The address around the `@` at `at`, if there is one.
    static func match(_ text: ScanText, at: Int) -> Range<Int>? {
        guard let start = localStart(text, at: at), let end = domainEnd(text, from: at + 1) else { return nil }
        return start..<end
    }

    @inline(__always) private static func isLocalByte(_ byte: UInt8) -> Bool {
        ASCII.isAlnum(byte) || byte == ASCII.dot || byte == ASCII.underscore || byte == 0x25 || byte == ASCII.plus
            || byte == ASCII.dash || byte == 0x27
    }

    private static func localStart(_ text: ScanText, at: Int) -> Int? {
        var start = at
        while start > 0, isLocalByte(text[start - 1]) {
            start -= 1
            if at - start > maxLocal { return nil }
        }
        // A local part glued to a word byte we do not accept (`é@`, `x=y@`) is not an address start.
        if start > 0, ASCII.isWord(text[start - 1]) { return nil }
        while start < at, !ASCII.isAlnum(text[start]) { start += 1 }
        guard start < at, text[at - 1] != ASCII.dot else { return nil }
        var position = start
        while position < at - 1 {
            if text[position] == ASCII.dot, text[position + 1] == ASCII.dot { return nil }
            position += 1
        }
        return start
    }

    private static func domainEnd(_ text: ScanText, from start: Int) -> Int? {
        var position = start
        var labels = 0
        var lastLabel = start..<start
        while true {
            let labelStart = position
            while position < text.count, ASCII.isAlnum(text[position]) || text[position] == ASCII.dash {
                position += 1
            }
            let length = position - labelStart
            guard length >= 1, length <= 63, text[labelStart] != ASCII.dash, text[position - 1] != ASCII.dash else {
                return nil
            }
            labels += 1
            lastLabel = labelStart..<position
            guard text[position] == ASCII.dot, ASCII.isAlnum(text[position + 1]) else { break }
            position += 1
        }
        guard labels >= 2, position - start <= maxDomain, lastLabel.count >= 2 else { return nil }
        for index in lastLabel where !ASCII.isLetter(text[index]) { return nil }
        guard !ASCII.isWord(text[position]), text[position] != ASCII.at else { return nil }
        guard !isFileExtension(text, lastLabel) else { return nil }
        return position
    }

    /// File extensions that follow `name@2x.` in asset names, never real top-level domains in text.
    private static let fileExtensions: [[UInt8]] = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css", "js", "ts", "json", "txt", "pdf", "html",
        "htm", "mp4", "mov", "wav", "mp3", "tiff",
    ].map { Array($0.utf8) }

    private static func isFileExtension(_ text: ScanText, _ range: Range<Int>) -> Bool {
        fileExtensions.contains { ext in
            ext.count == range.count && zip(ext, range).allSatisfy { $0 == ASCII.lower(text[$1]) }
        }
    }
}
