/// One target's health as `/status` shows it: a snapshot taken at one instant.
public struct TargetStatus: Sendable, Hashable {
    /// The target.
    public var key: TargetKey
    /// `closed`, `open` or `half_open`.
    public var breaker: CircuitBreaker.State
    /// Failures in a row counting towards the breaker.
    public var consecutiveFailures: Int
    /// While open: the time until one probe may go.
    public var probeIn: Duration?
    /// The average time to first byte, when measured.
    public var latency: Duration?
    /// How many answers the average is made of.
    public var latencySamples: Int
    /// Attempts in flight.
    public var inFlight: Int
    /// The time left of a rest the target asked for with `retry-after`.
    public var restingFor: Duration?
    /// Attempts that succeeded since the target first appeared.
    public var successes: Int
    /// Attempts that failed since the target first appeared.
    public var failures: Int

    /// Whether an attempt could begin now.
    public var isAvailable: Bool {
        restingFor == nil && (breaker == .closed || probeIn == nil)
    }

    /// Creates a snapshot of `state` at `now`.
    public init(key: TargetKey, state: TargetState, at now: MonotonicInstant) {
        self.key = key
        breaker = state.breaker.state
        consecutiveFailures = state.breaker.consecutiveFailures
        probeIn = state.breaker.reopensAt.flatMap { $0 > now ? $0 - now : nil }
        if breaker == .halfOpen, !state.breaker.allows(at: now) {
            probeIn = state.breaker.probeStartedAt.map { $0 + state.breaker.settings.probeTimeout - now }
        }
        latency = state.latency.average
        latencySamples = state.latency.samples
        inFlight = state.inFlight
        restingFor = state.restingUntil.flatMap { $0 > now ? $0 - now : nil }
        successes = state.successes
        failures = state.failures
    }
}
