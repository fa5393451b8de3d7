extension FallbackRun {
    /// One try at one target, begun by ``FallbackRun/next(book:at:)``.
    public struct Attempt: Sendable, Hashable {
        /// Where the request goes.
        public var target: PlannedTarget
        /// The try's number in the request, from 1 (what `x-sluice-attempts` counts).
        public var number: Int
        /// The try's number at this target, from 1.
        public var attemptOnTarget: Int
        /// The breaker's permit: ``CircuitBreaker/Permit/probe`` when this try decides whether a
        /// resting target is back.
        public var permit: CircuitBreaker.Permit
        /// When the try began.
        public var startedAt: MonotonicInstant
    }
}
