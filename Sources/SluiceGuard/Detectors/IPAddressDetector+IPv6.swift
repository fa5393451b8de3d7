extension IPAddressDetector {
    /// The end of an IPv6 address starting at `from`, or nil.
    ///
    /// Reads up to eight groups of one to four hex digits split by `:`, with at most one `::`,
    /// and an optional dotted quad in place of the last two groups. The caller has checked that
    /// `from` is at a boundary for numbers, words or `:`.
    static func ipv6End(_ text: ScanText, from: Int) -> Int? {
        guard looksLikeIPv6(text, from) else { return nil }
        if from > 0, text[from - 1] == ASCII.colon || ASCII.isWord(text[from - 1]) { return nil }
        var position = from
        var groups = 0
        var compressed = false
        var sawDigit = false
        var end = from
        if text[position] == ASCII.colon {
            guard text[position + 1] == ASCII.colon else { return nil }
            compressed = true
            position += 2
            end = position
        }
        while groups < 8 {
            var length = 0
            while length < 5, ASCII.isHex(text[position + length]) { length += 1 }
            guard length >= 1, length <= 4 else { break }
            if text[position + length] == ASCII.dot {
                // An embedded IPv4 address takes the place of the last two groups.
                guard groups <= 6, let v4 = ipv4End(text, from: position) else { break }
                groups += 2
                sawDigit = true
                end = v4
                break
            }
            for offset in 0..<length where ASCII.isDigit(text[position + offset]) { sawDigit = true }
            groups += 1
            position += length
            end = position
            guard text[position] == ASCII.colon else { break }
            if text[position + 1] == ASCII.colon {
                guard !compressed else { return nil }
                compressed = true
                position += 2
                end = position
            } else if ASCII.isHex(text[position + 1]) {
                position += 1
            } else {
                break
            }
        }
        guard sawDigit, compressed ? groups <= 7 : groups == 8 else { return nil }
        guard !ASCII.isWord(text[end]), text[end] != ASCII.at, !(text[end] == ASCII.colon && ASCII.isHex(text[end + 1]))
        else { return nil }
        if text[end] == ASCII.dot, ASCII.isDigit(text[end + 1]) { return nil }
        return end
    }

    /// A cheap first look: one to four hex digits then `:`, or `::`.
    @inline(__always) private static func looksLikeIPv6(_ text: ScanText, _ from: Int) -> Bool {
        var length = 0
        while length < 5, ASCII.isHex(text[from + length]) { length += 1 }
        if length == 0 { return text[from] == ASCII.colon && text[from + 1] == ASCII.colon }
        return length <= 4 && text[from + length] == ASCII.colon
    }
}
