/// Where requests for one model name go (an entry under `models:`).
public struct ModelRoute: Sendable, Hashable, Encodable {
    /// The name apps send in `model`: the key under `models:`.
    public var name: String
    /// The targets, at least one; under `ordered`, the fallback chain in order.
    public var targets: [RouteTarget]
    /// How the targets share traffic; `ordered` by default.
    public var strategy: RouteStrategy
    /// Retries per target; nil means one try per target.
    public var retry: RetrySettings?
    /// Whether a stream that fails after its first content is continued on the next target that
    /// accepts an assistant prefill (`resume`), rather than ended with an error event.
    public var resume: Bool

    /// Creates a route.
    public init(
        name: String, targets: [RouteTarget], strategy: RouteStrategy = .ordered, retry: RetrySettings? = nil,
        resume: Bool = false
    ) {
        self.resume = resume
        self.name = name
        self.targets = targets
        self.strategy = strategy
        self.retry = retry
    }
}
