/// Comparisons whose running time does not depend on where two byte strings differ.
///
/// A comparison that stops at the first differing byte tells a caller who can time it how long
/// a prefix of a secret they guessed right. Caller keys are hashed before they are compared, so
/// such a leak would reveal digest bytes rather than key bytes; comparing in constant time
/// anyway removes the question instead of arguing about it.
enum ConstantTime {
    /// Whether `lhs` and `rhs` hold the same bytes.
    ///
    /// By construction: every byte of the shorter input is compared, the differences are ORed
    /// into one accumulator, and the only branch on the data is the final test of that
    /// accumulator. Lengths are not secret (every digest is 32 bytes), so a length mismatch only
    /// sets a bit in the accumulator, and the loop still runs to the end.
    static func isEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        var difference: UInt8 = lhs.count == rhs.count ? 0 : 1
        for index in 0..<min(lhs.count, rhs.count) {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }
}
