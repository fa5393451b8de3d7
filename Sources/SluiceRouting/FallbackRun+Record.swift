extension FallbackRun {
    /// One finished try, for the access log (one line per attempt) and metrics.
    public struct Record: Sendable, Hashable {
        /// Where it went.
        public var target: PlannedTarget
        /// Its number in the request, from 1.
        public var number: Int
        /// Whether it was a breaker probe.
        public var wasProbe: Bool
        /// How it ended.
        public var outcome: AttemptOutcome
        /// How long it took, from its start to its outcome.
        public var duration: Duration

        /// The outcome as a metric label: `success`, `abandoned` or the failure's label (`503`,
        /// `connect`, `timeout_first_byte`...).
        public var outcomeLabel: String {
            switch outcome {
            case .success: "success"
            case .failure(let failure, _): failure.description
            case .abandoned: "abandoned"
            }
        }
    }
}
