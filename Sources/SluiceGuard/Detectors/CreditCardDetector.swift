/// Finds payment card numbers: 13 to 19 digits (12 for Maestro), bare or in groups split by
/// single spaces or dashes (the same separator throughout, the first group of four), with an
/// issuer prefix (2221–2720, 3, 4, 5, 6, and JCB's legacy 15-digit 1800 and 2131) and a valid
/// Luhn check digit. Twelve-digit numbers and Maestro's legacy `0604` range need a word such as
/// "card" or "cc" shortly before them.
///
/// The Luhn check turns away nine in ten random digit runs of card length; the prefix, the
/// grouping and the boundary checks (no more digits after a separator, no `@`, no letters)
/// remove most of the rest: order numbers, timestamps, tracking numbers.
enum CreditCardDetector {
    /// Words that make a 12-digit Maestro number a card.
    static let contextWords: [[UInt8]] = [
        "card", "credit", "debit", "cc", "visa", "maestro", "mastercard", "amex", "payment", "pan", "charge",
    ].map { Array($0.utf8) }

    /// The card number starting at `start` (a digit at a number boundary), if any.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        var position = start
        var separator: UInt8 = 0
        var digits = 0
        var groups = 0
        var firstGroup = 0
        var smallestGroup = Int.max
        // Luhn sums for both parities: which one counts depends on the final length.
        var sumEven = 0
        var sumOdd = 0
        var prefix = 0
        while true {
            let run = text.digitsEnd(from: position)
            let length = run - position
            guard length > 0 else { return nil }
            for index in position..<run {
                let digit = Int(text[index] &- 0x30)
                let doubled = digit < 5 ? digit * 2 : digit * 2 - 9
                if digits % 2 == 0 {
                    sumEven += doubled
                    sumOdd += digit
                } else {
                    sumEven += digit
                    sumOdd += doubled
                }
                if digits < 4 { prefix = prefix * 10 + digit }
                digits += 1
                if digits > 19 { return nil }
            }
            if groups == 0 { firstGroup = length }
            groups += 1
            smallestGroup = min(smallestGroup, length)
            position = run
            let next = text[position]
            guard next == ASCII.space || next == ASCII.dash, ASCII.isDigit(text[position + 1]) else { break }
            if separator == 0 { separator = next } else if next != separator { return nil }
            position += 1
        }
        guard text.isNumberEnd(position) else { return nil }
        if groups > 1, firstGroup != 4 || smallestGroup < 3 { return nil }
        let luhn = digits % 2 == 0 ? sumEven : sumOdd
        guard luhn % 10 == 0 else { return nil }
        guard isIssuer(prefix: prefix, length: digits) else { return nil }
        if digits == 12 || prefix / 100 == 6, !text.hasContext(contextWords, before: start) { return nil }
        return start..<position
    }

    /// Whether the first four digits name a card network that issues numbers of `length` digits.
    static func isIssuer(prefix: Int, length: Int) -> Bool {
        let two = prefix / 100
        // Maestro's legacy 0604 range; the caller asks for a card word before it.
        if prefix == 604 { return (12...19).contains(length) }
        switch length {
        case 12:
            return two == 50 || (56...58).contains(two) || (60...69).contains(two)
        case 13...19:
            // JCB's legacy 15-digit ranges.
            if length == 15, prefix == 1800 || prefix == 2131 { return true }
            switch prefix / 1000 {
            case 2: return (2221...2720).contains(prefix)
            case 3: return two == 30 || (34...39).contains(two)
            case 4, 5, 6: return true
            default: return false
            }
        default:
            return false
        }
    }
}
