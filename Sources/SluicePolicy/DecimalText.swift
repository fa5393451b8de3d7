/// An unsigned decimal number read from text without going through `Double`, so `1.1s` is
/// exactly 1.1 seconds and `1.5KiB` exactly 1536 bytes.
struct DecimalText: Hashable {
    /// The digits before the point.
    var integer: Int64
    /// The digits after the point, as an integer (`.25` is 25).
    var fraction: Int64
    /// How many digits `fraction` has; 0 when there is no point.
    var fractionDigits: Int

    /// The most fraction digits kept; more could overflow the scaling arithmetic.
    static let maxFractionDigits = 12

    /// Reads a number at the start of `text`: digits, optionally `.` and more digits.
    ///
    /// - Returns: the number and the text after it, or nil when `text` does not start with a
    ///   digit, the point has no digits after it, or the number does not fit.
    static func prefix(of text: Substring) -> (DecimalText, Substring)? {
        let integerDigits = text.prefix { $0.isASCII && $0.isNumber }
        guard !integerDigits.isEmpty, let integer = Int64(integerDigits) else { return nil }
        var rest = text.dropFirst(integerDigits.count)
        guard rest.first == "." else { return (DecimalText(integer: integer, fraction: 0, fractionDigits: 0), rest) }
        rest = rest.dropFirst()
        let allFractionDigits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !allFractionDigits.isEmpty else { return nil }
        rest = rest.dropFirst(allFractionDigits.count)
        var kept = allFractionDigits.prefix(maxFractionDigits)
        // Digits beyond the kept ones only matter if they are not zero.
        let droppedNonZero = allFractionDigits.dropFirst(maxFractionDigits).contains { $0 != "0" }
        while kept.hasSuffix("0") { kept = kept.dropLast() }
        guard !droppedNonZero else { return nil }
        let fraction = kept.isEmpty ? 0 : Int64(kept) ?? 0
        return (DecimalText(integer: integer, fraction: fraction, fractionDigits: kept.count), rest)
    }

    /// The number times `multiplier`.
    ///
    /// - Returns: the whole part of the product and whether it is exact (no fractional part
    ///   left over), or nil on overflow.
    func scaled(by multiplier: Int64) -> (whole: Int64, exact: Bool)? {
        let (integerPart, overflow) = integer.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        guard fractionDigits > 0 else { return (integerPart, true) }
        var divisor: Int64 = 1
        for _ in 0..<fractionDigits { divisor *= 10 }
        // fraction < divisor, so the quotient is below `multiplier` and cannot overflow.
        let (quotient, remainder) = divisor.dividingFullWidth(fraction.multipliedFullWidth(by: multiplier))
        let (sum, sumOverflow) = integerPart.addingReportingOverflow(quotient)
        guard !sumOverflow else { return nil }
        return (sum, remainder == 0)
    }
}
