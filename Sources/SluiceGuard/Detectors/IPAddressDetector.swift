/// Finds IPv4 and IPv6 addresses.
///
/// IPv4: four decimal octets of at most 255, no leading zeros, with an optional `/0`–`/32`
/// prefix length. Version numbers are the usual false positive, so a dotted quad is not an
/// address when it continues (`1.2.3.4.5`), is glued to a word or path (`v1.2.3.4`,
/// `Chrome/120.0.1.2`) or follows a word such as "version", "build" or "section".
///
/// IPv6 (in `IPAddressDetector+IPv6.swift`): eight groups of one to four hex digits, or fewer
/// around one `::`, optionally ending in a dotted quad; with at least one decimal digit, so
/// `Face::add` in C++ is not an address, and never a bare `::` or a clock time.
enum IPAddressDetector {
    /// Words after which a dotted quad is a version or a section number, not an address.
    static let versionWords: [[UInt8]] = [
        "version", "versions", "ver", "build", "release", "firmware", "rev", "revision", "v", "update", "patch",
        "kernel", "sdk", "api", "python", "node", "chrome", "firefox", "ios", "android", "windows", "macos",
        "chapter", "section", "sections", "figure", "fig", "table", "step", "clause", "paragraph", "appendix",
        "article", "item", "part", "page", "rule",
    ].map { Array($0.utf8) }

    /// The address starting at `start`, if any: a digit at a number boundary for IPv4 or IPv6, a
    /// hex letter at a word start or a `:` for IPv6.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        if let end = ipv6End(text, from: start) { return start..<end }
        guard ASCII.isDigit(text[start]), let end = ipv4End(text, from: start) else { return nil }
        var withPrefix = end
        if text[end] == ASCII.slash {
            let digits = text.digitsEnd(from: end + 1)
            if digits > end + 1, digits - end - 1 <= 2, octet(text, end + 1..<digits).map({ $0 <= 32 }) == true {
                withPrefix = digits
            }
        }
        guard text.isNumberEnd(withPrefix) || isPort(text, at: withPrefix), !followsVersionWord(text, start) else {
            return nil
        }
        return start..<withPrefix
    }

    /// The end of four dotted octets starting at `from`, without boundary checks.
    static func ipv4End(_ text: ScanText, from: Int) -> Int? {
        var position = from
        for part in 0..<4 {
            let end = text.digitsEnd(from: position)
            guard end > position, octet(text, position..<end) != nil else { return nil }
            position = end
            if part < 3 {
                guard text[position] == ASCII.dot else { return nil }
                position += 1
            }
        }
        return position
    }

    /// The value of a decimal octet written without leading zeros, or nil.
    static func octet(_ text: ScanText, _ range: Range<Int>) -> Int? {
        guard range.count >= 1, range.count <= 3 else { return nil }
        if range.count > 1, text[range.lowerBound] == 0x30 { return nil }
        var value = 0
        for index in range { value = value * 10 + Int(text[index] &- 0x30) }
        return value <= 255 ? value : nil
    }

    /// Whether `:digits` at `index` is a port number ending the address (`203.0.113.7:8080`).
    private static func isPort(_ text: ScanText, at index: Int) -> Bool {
        guard text[index] == ASCII.colon else { return false }
        let end = text.digitsEnd(from: index + 1)
        return end > index + 1 && end - index - 1 <= 5 && !ASCII.isWord(text[end])
    }

    /// Whether a version word comes just before `start`: directly (`version 1.2.3.4`, `build:
    /// 1.2.3.4`) or across other versions and connectives (`version 1.2.3.4 to 1.2.3.5`).
    private static func followsVersionWord(_ text: ScanText, _ start: Int) -> Bool {
        var position = start - 1
        for _ in 0..<6 {
            while position >= 0,
                text[position] == ASCII.space || text[position] == ASCII.colon || text[position] == 0x3D
                    || text[position] == 0x2C || text[position] == ASCII.openParen
            {
                position -= 1
            }
            guard position >= 0 else { return false }
            let end = position
            while position >= 0, ASCII.isAlnum(text[position]) || text[position] == ASCII.dot { position -= 1 }
            guard end > position else { return false }
            if ASCII.isLetter(text[end]) {
                if versionWords.contains(where: { text.matchesWord($0, endingAt: end) }) { return true }
                guard connectives.contains(where: { text.matchesWord($0, endingAt: end) }) else { return false }
            } else if !ASCII.isDigit(text[end]) {
                return false
            }
        }
        return false
    }

    /// Words that may stand between a version word and a version: `from 1.2.3.4 to 1.2.3.5`.
    private static let connectives: [[UInt8]] = ["to", "from", "and", "or", "than", "vs", "via"].map { Array($0.utf8) }
}
