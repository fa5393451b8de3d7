/// How a model's targets share the traffic (`strategy:`).
public enum RouteStrategy: String, Sendable, Hashable, Encodable, CaseIterable {
    /// Try the targets in order; later ones are the fallback chain. The default.
    case ordered
    /// Split requests by each target's `weight`.
    case weighted
    /// Prefer the target that has answered fastest lately.
    case leastLatency = "least_latency"
    /// Prefer the target with the fewest requests in flight.
    case leastInflight = "least_inflight"
}
