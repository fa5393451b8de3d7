extension Duration {
    /// The duration in whole nanoseconds, clamped to `Int64`'s range (about ±292 years).
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }

    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// `seconds` as a duration, rounded to the nanosecond; negative or non-finite values are zero.
    static func seconds(double value: Double) -> Duration {
        guard value.isFinite, value > 0 else { return .zero }
        guard value < 9e9 else { return .seconds(9_000_000_000) }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
