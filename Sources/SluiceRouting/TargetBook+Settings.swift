extension TargetBook {
    /// How breakers, latency averages and rests behave.
    public struct Settings: Sendable, Hashable {
        /// Breaker thresholds.
        public var breaker: BreakerSettings
        /// The weight of a new latency sample.
        public var latencySmoothing: Double
        /// How old a latency average may be and still count for `least_latency`.
        public var latencyStaleAfter: Duration
        /// The longest rest a `retry-after` can impose on a target.
        public var maxRest: Duration

        /// Creates settings with the defaults for anything not given.
        public init(
            breaker: BreakerSettings = BreakerSettings(), latencySmoothing: Double = 0.3,
            latencyStaleAfter: Duration = .seconds(60), maxRest: Duration = .seconds(60)
        ) {
            self.breaker = breaker
            self.latencySmoothing = latencySmoothing
            self.latencyStaleAfter = latencyStaleAfter
            self.maxRest = maxRest
        }
    }
}
