/// A point on a monotonic clock, passed into every routing call so that the state machines
/// never read a clock themselves (tests drive them with made-up instants, and never sleep).
///
/// The origin is arbitrary but fixed for the process: the proxy uses its event loop's uptime
/// clock (`NIODeadline.now().uptimeNanoseconds`); tests start at ``zero``.
public struct MonotonicInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since the clock's origin.
    public var nanoseconds: Int64

    /// The instant `nanoseconds` after the clock's origin.
    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// The clock's origin.
    public static let zero = MonotonicInstant(nanoseconds: 0)

    /// The instant `duration` after `instant` (saturating at the ends of the range).
    public static func + (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        let (sum, overflow) = instant.nanoseconds.addingReportingOverflow(duration.clampedNanoseconds)
        return MonotonicInstant(nanoseconds: overflow ? (duration > .zero ? .max : .min) : sum)
    }

    /// The instant `duration` before `instant`.
    public static func - (instant: MonotonicInstant, duration: Duration) -> MonotonicInstant {
        instant + (Duration.zero - duration)
    }

    /// The time from `earlier` to `later` (negative when `later` is before `earlier`).
    public static func - (later: MonotonicInstant, earlier: MonotonicInstant) -> Duration {
        let (difference, overflow) = later.nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        return .nanoseconds(overflow ? (later > earlier ? Int64.max : Int64.min) : difference)
    }

    /// Orders instants by time.
    public static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }

    /// The offset from the origin, e.g. `12.5s`.
    public var description: String {
        "\(Duration.nanoseconds(nanoseconds))"
    }
}
