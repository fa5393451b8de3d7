/// When a target's circuit breaker opens and how it comes back.
public struct BreakerSettings: Sendable, Hashable {
    /// Consecutive failures that open the breaker; 5 by default.
    public var failureThreshold: Int
    /// How long an open breaker keeps the target out before one probe may go; 10 s by default,
    /// so traffic is back on a recovered primary within seconds.
    public var cooldown: Duration
    /// How long a probe may stay unanswered before another request may probe instead (a probe
    /// whose outcome never arrives must not keep the target out for good); 60 s by default.
    public var probeTimeout: Duration

    /// Creates settings with the defaults for anything not given.
    public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(10), probeTimeout: Duration = .seconds(60)) {
        self.failureThreshold = max(1, failureThreshold)
        self.cooldown = cooldown
        self.probeTimeout = probeTimeout
    }
}
