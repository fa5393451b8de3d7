/// Everything Sluice remembers about one target between requests.
public struct TargetState: Sendable, Hashable {
    /// The target's circuit breaker.
    public internal(set) var breaker: CircuitBreaker
    /// Its time to first byte, averaged.
    public internal(set) var latency: LatencyEstimate
    /// Attempts begun and not yet finished.
    public internal(set) var inFlight = 0
    /// Until when the target rests because it asked to (`retry-after` on a 429 or 503).
    public internal(set) var restingUntil: MonotonicInstant?
    /// Attempts that succeeded, since the target first appeared.
    public internal(set) var successes = 0
    /// Attempts that failed, since the target first appeared.
    public internal(set) var failures = 0

    /// Creates the state of a target never tried.
    public init(breaker: BreakerSettings, latencySmoothing: Double) {
        self.breaker = CircuitBreaker(settings: breaker)
        self.latency = LatencyEstimate(smoothing: latencySmoothing)
    }

    /// Whether an attempt may begin at `now`: not resting, and the breaker lets it through.
    public func isAvailable(at now: MonotonicInstant) -> Bool {
        if let restingUntil, now < restingUntil { return false }
        return breaker.allows(at: now)
    }
}
