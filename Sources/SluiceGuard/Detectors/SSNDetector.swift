/// Finds US social security numbers: `123-45-6789` or `123 45 6789` (one separator throughout),
/// or nine bare digits after "SSN" or "social security".
///
/// Numbers the Social Security Administration never issues are not findings: area `000`, `666`
/// or `900`–`999`, group `00`, serial `0000`.
enum SSNDetector {
    /// Words that make nine bare digits an SSN.
    static let contextWords: [[UInt8]] = ["ssn", "ssns", "social", "security", "ss"].map { Array($0.utf8) }

    /// The SSN starting at `start` (a digit at a number boundary), if any.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        let area = text.digitsEnd(from: start)
        let end: Int
        if area == start + 9 {
            guard text.hasContext(contextWords, before: start) else { return nil }
            end = area
            guard isIssued(text, area: start, group: start + 3, serial: start + 5) else { return nil }
        } else {
            guard area == start + 3 else { return nil }
            let separator = text[area]
            guard separator == ASCII.dash || separator == ASCII.space else { return nil }
            guard text.digitsEnd(from: area + 1) == area + 3, text[area + 3] == separator else { return nil }
            guard text.digitsEnd(from: area + 4) == area + 8 else { return nil }
            end = area + 8
            guard isIssued(text, area: start, group: area + 1, serial: area + 4) else { return nil }
        }
        guard text.isNumberEnd(end) else { return nil }
        return start..<end
    }

    /// Whether the three parts are in ranges the SSA issues.
    private static func isIssued(_ text: ScanText, area: Int, group: Int, serial: Int) -> Bool {
        let areaValue = number(text, area, 3)
        guard areaValue != 0, areaValue != 666, areaValue < 900 else { return false }
        return number(text, group, 2) != 0 && number(text, serial, 4) != 0
    }

    private static func number(_ text: ScanText, _ start: Int, _ length: Int) -> Int {
        var value = 0
        for index in start..<start + length { value = value * 10 + Int(text[index] &- 0x30) }
        return value
    }
}
