/// An exponentially weighted moving average of a target's time to first byte, the
/// `least_latency` strategy's measure.
///
/// Each sample moves the average by `smoothing` of the way towards it (0.3 by default: the last
/// five samples carry 80 % of the weight). An estimate older than the planner's staleness limit
/// counts as unknown, so a target that was slow once is measured again now and then rather than
/// shunned for good.
public struct LatencyEstimate: Sendable, Hashable {
    /// The weight of a new sample, between 0 (never moves) and 1 (only the last sample counts).
    public let smoothing: Double
    /// The average in seconds; nil before the first sample.
    private var averageSeconds: Double?
    /// Samples taken so far.
    public private(set) var samples = 0
    /// When the last sample was taken.
    public private(set) var updatedAt: MonotonicInstant?

    /// Creates an estimate with no samples.
    public init(smoothing: Double = 0.3) {
        self.smoothing = min(1, max(0, smoothing))
    }

    /// The average, or nil before the first sample.
    public var average: Duration? {
        averageSeconds.map { Duration.seconds(double: $0) }
    }

    /// The average if a sample was taken within `staleAfter` before `now`; else nil (unknown).
    public func current(at now: MonotonicInstant, staleAfter: Duration) -> Duration? {
        guard let updatedAt, now - updatedAt <= staleAfter else { return nil }
        return average
    }

    /// Adds the time to first byte of one answer, taken at `now`.
    public mutating func record(_ sample: Duration, at now: MonotonicInstant) {
        let seconds = max(0, sample.seconds)
        averageSeconds = averageSeconds.map { $0 + smoothing * (seconds - $0) } ?? seconds
        samples += 1
        updatedAt = now
    }
}
