/// Durations as OpenAI writes them in `x-ratelimit-reset-requests` and
/// `x-ratelimit-reset-tokens`, and the whole numbers of `retry-after` and `retry-after-ms`.
///
/// OpenAI's values are Go `time.Duration` strings (`120ms`, `1.5s`, `6m0s`, `1h0m0s`). Sluice
/// first rounds up to whole milliseconds, so a client that waits the written time is never
/// early: 1 ns is `1ms`, and 1.0000001 s is `1.001s`.
public enum OpenAIDuration {
    private static let nanosecondsPerMillisecond: Int64 = 1_000_000
    private static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// `nanoseconds` as Go writes a `time.Duration`, after rounding up to whole milliseconds.
    /// Zero and negative durations are `0s`.
    public static func format(nanoseconds: Int64) -> String {
        let milliseconds = retryAfterMilliseconds(nanoseconds)
        guard milliseconds > 0 else { return "0s" }
        guard milliseconds >= 1_000 else { return "\(milliseconds)ms" }

        let fraction = milliseconds % 1_000
        let totalSeconds = milliseconds / 1_000
        var seconds = String(totalSeconds % 60)
        if fraction > 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 3 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            seconds += "." + digits
        }
        let totalMinutes = totalSeconds / 60
        guard totalMinutes > 0 else { return seconds + "s" }
        let hours = totalMinutes / 60
        let minutes = totalMinutes % 60
        guard hours > 0 else { return "\(minutes)m\(seconds)s" }
        return "\(hours)h\(minutes)m\(seconds)s"
    }

    /// Whole seconds for `retry-after`, rounded up: at least 1 for any positive wait, 0 for
    /// none.
    public static func retryAfterSeconds(_ nanoseconds: Int64) -> Int64 {
        ceilingDivide(nanoseconds, by: nanosecondsPerSecond)
    }

    /// Whole milliseconds for `retry-after-ms`, rounded up; 0 for no wait.
    public static func retryAfterMilliseconds(_ nanoseconds: Int64) -> Int64 {
        ceilingDivide(nanoseconds, by: nanosecondsPerMillisecond)
    }

    /// `value / divisor` rounded up, 0 for values of 0 or less; cannot overflow.
    private static func ceilingDivide(_ value: Int64, by divisor: Int64) -> Int64 {
        guard value > 0 else { return 0 }
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder > 0 ? quotient + 1 : quotient
    }
}
