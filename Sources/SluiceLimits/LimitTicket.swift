/// An admitted request's hold on its limits: the tokens it reserved and the concurrency slots
/// it occupies, released by ``Limiter/settle(_:tokens:cost:now:unixSeconds:)`` when the
/// answer ends (or by expiry if it never does).
public struct LimitTicket: Sendable, Hashable {
    /// Unique within one ``Limiter``; 0 for a request that no limit applies to.
    public var id: UInt64
    /// The workload whose limits it holds; nil when none apply.
    public var workload: String?
    /// The requested model name (per-model limits key on it).
    public var model: String
    /// The tokens reserved on admission: prompt estimate plus `max_tokens` or the default.
    public var reservedTokens: Int64

    /// The ticket of a request that no limit applies to; settling it does nothing.
    public static func unlimited(model: String) -> LimitTicket {
        LimitTicket(id: 0, workload: nil, model: model, reservedTokens: 0)
    }
}

/// The outcome of asking to admit a request.
public enum Admission: Sendable {
    /// Go ahead; settle the ticket when the answer ends.
    case admitted(LimitTicket, RateLimitHeaders)
    /// A limit was hit (429).
    case rejected(LimitRejection, RateLimitHeaders)
    /// The shared store is down and the policy says `fail_closed` (503).
    case storeUnavailable(String)
}
