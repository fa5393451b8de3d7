/// Finds telephone numbers in two families of forms.
///
/// - **International** (E.164 as people write it): `+` and a country code, then groups of digits
///   separated by single spaces, dashes or dots, a group may sit in parentheses (`+46 (0)8 704 655
///   72`, the `(0)` trunk prefix not counted); 8 to 15 digits in all. `+1` numbers must be valid
///   North American numbers.
/// - **North American** (NANP): `(555) 123-4567`, `555-123-4567`, `555.123.4567`, `555 123 4567`,
///   with an optional `1`, `1-`, `+1` or `001-` in front. Area code and exchange start with 2–9.
///   Ten bare digits (`5551234567`) are taken only after a word such as "phone" or "call", since
///   order numbers and IDs look the same.
///
/// An extension (`x905`, ` ext. 12`) is part of the number.
enum PhoneDetector {
    /// Words that make ten bare digits a phone number.
    static let contextWords: [[UInt8]] = [
        "phone", "tel", "telephone", "call", "mobile", "cell", "fax", "contact", "whatsapp", "sms", "text", "dial",
        "reach", "number", "ring",
    ].map { Array($0.utf8) }

    /// The number starting at `start` (a `+`, a `(` or a digit at a number boundary), if any.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        let first = text[start]
        var end: Int?
        if first == ASCII.plus {
            end = international(text, plus: start)
        } else if first == ASCII.openParen {
            end = northAmerican(text, from: start, bareNeedsContext: false)
        } else if first == 0x30, text[start + 1] == 0x30, text[start + 2] == 0x31, isSeparator(text[start + 3]) {
            end = northAmerican(text, from: start + 4, bareNeedsContext: false)  // 001-555-...
        } else if first == 0x31, isSeparator(text[start + 1]) {
            end = northAmerican(text, from: start + 2, bareNeedsContext: false)  // 1-800-...
        } else {
            end = northAmerican(text, from: start, bareNeedsContext: true, contextStart: start)
        }
        guard let end else { return nil }
        let withExtension = extensionEnd(text, from: end) ?? end
        guard text.isNumberEnd(withExtension) || isLabelSuffix(text, at: withExtension) else { return nil }
        return start..<withExtension
    }

    @inline(__always) private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.dash || byte == ASCII.dot
    }

    /// `+CC ...`: the end of the number, or nil.
    private static func international(_ text: ScanText, plus: Int) -> Int? {
        guard ASCII.isDigit(text[plus + 1]) else { return nil }
        if text[plus + 1] == 0x31, !ASCII.isDigit(text[plus + 2]) || text[plus + 2] == ASCII.openParen {
            let next = text[plus + 2]
            let from = isSeparator(next) ? plus + 3 : plus + 2
            return northAmerican(text, from: from, bareNeedsContext: false)
        }
        var position = plus + 1
        var digits = 0
        var groups = 0
        var afterParen = false
        while true {
            afterParen = false
            if text[position] == ASCII.openParen {
                let inner = text.digitsEnd(from: position + 1)
                guard inner > position + 1, inner - position - 1 <= 4, text[inner] == ASCII.closeParen else { break }
                let isTrunk = inner - position - 1 == 1 && text[position + 1] == 0x30
                if !isTrunk { digits += inner - position - 1 }
                position = inner + 1
                afterParen = true
            } else if ASCII.isDigit(text[position]) {
                let run = text.digitsEnd(from: position)
                digits += run - position
                position = run
            } else {
                break
            }
            groups += 1
            if digits > 15 { return nil }
            let next = text[position]
            if isSeparator(next), ASCII.isDigit(text[position + 1]) || text[position + 1] == ASCII.openParen {
                position += 1
            } else if next != ASCII.openParen, !(afterParen && ASCII.isDigit(next)) {
                break
            }
        }
        guard digits >= 8, digits <= 15 else { return nil }
        return position
    }

    /// `(555) 123-4567`, `555-123-4567`, `555.123.4567`, `555 123 4567`, or ten bare digits after
    /// a phone word; `from` is where the area code starts.
    private static func northAmerican(
        _ text: ScanText, from: Int, bareNeedsContext: Bool, contextStart: Int = 0
    ) -> Int? {
        var position = from
        var separated = false
        if text[position] == ASCII.openParen {
            guard text.digitsEnd(from: position + 1) == position + 4, text[position + 4] == ASCII.closeParen else {
                return nil
            }
            guard isLeadDigit(text[position + 1]) else { return nil }
            position += 5
            if text[position] == ASCII.space || text[position] == ASCII.dash { position += 1 }
            separated = true
        } else {
            let area = text.digitsEnd(from: position)
            if area == position + 10 {
                guard isLeadDigit(text[position]), isLeadDigit(text[position + 3]) else { return nil }
                if bareNeedsContext, !text.hasContext(contextWords, before: contextStart),
                    !hasContext(text, after: area)
                {
                    return nil
                }
                return area
            }
            guard area == position + 3, isLeadDigit(text[position]), isSeparator(text[area]) else { return nil }
            position = area + 1
            separated = true
        }
        guard separated, text.digitsEnd(from: position) == position + 3, isLeadDigit(text[position]) else {
            return nil
        }
        position += 3
        guard isSeparator(text[position]) else { return nil }
        position += 1
        guard text.digitsEnd(from: position) == position + 4 else { return nil }
        return position + 4
    }

    /// A label glued on with a dash, as address books write them: `555-123-4567-Office`. Two or
    /// more letters, so a part number such as `555-123-4567-X3` is not taken for a phone.
    private static func isLabelSuffix(_ text: ScanText, at index: Int) -> Bool {
        guard text[index] == ASCII.dash else { return false }
        var end = index + 1
        while ASCII.isLetter(text[end]) { end += 1 }
        return end - index - 1 >= 2 && !ASCII.isWord(text[end])
    }

    /// Whether a phone word follows within a few bytes: `4923457221 fax`.
    private static func hasContext(_ text: ScanText, after end: Int) -> Bool {
        var position = end
        var skipped = 0
        while skipped < 3, text[position] == ASCII.space || text[position] == ASCII.dash || text[position] == 0x28 {
            position += 1
            skipped += 1
        }
        guard skipped > 0 else { return false }
        var wordEnd = position
        while ASCII.isLetter(text[wordEnd]) { wordEnd += 1 }
        return wordEnd > position && contextWords.contains { text.matchesWord($0, endingAt: wordEnd - 1) }
    }

    /// Area codes and exchanges start with 2–9.
    @inline(__always) private static func isLeadDigit(_ byte: UInt8) -> Bool { byte &- 0x32 < 8 }

    /// `x905`, ` x905`, ` ext. 12`, ` ext 12` after the number: the end of the extension.
    private static func extensionEnd(_ text: ScanText, from end: Int) -> Int? {
        var position = end
        if text[position] == ASCII.space { position += 1 }
        let marker = ASCII.lower(text[position])
        guard marker == 0x78 || marker == 0x65 else { return nil }  // x, e
        if marker == 0x65 {
            guard ASCII.lower(text[position + 1]) == 0x78, ASCII.lower(text[position + 2]) == 0x74 else { return nil }
            position += 3
            if text[position] == ASCII.dot { position += 1 }
            if text[position] == ASCII.space { position += 1 }
        } else {
            position += 1
        }
        let digits = text.digitsEnd(from: position)
        guard digits > position, digits - position <= 6 else { return nil }
        return digits
    }
}
