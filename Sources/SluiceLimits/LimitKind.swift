/// Which limit a request ran into; the raw value is the policy key that sets it.
public enum LimitKind: String, Sendable, Hashable, CaseIterable {
    case requestsPerMinute = "requests_per_minute"
    case tokensPerMinute = "tokens_per_minute"
    case maxConcurrent = "max_concurrent"
    case usdPerDay = "usd_per_day"
    case usdPerMonth = "usd_per_month"

    /// Whether this is a money limit (`budget_exceeded`) rather than a rate (`rate_limit_exceeded`).
    public var isBudget: Bool { self == .usdPerDay || self == .usdPerMonth }
}

/// Whose limit it is: the whole workload's, or one model's inside it.
public enum LimitScope: Sendable, Hashable, CustomStringConvertible {
    case workload(String)
    case model(workload: String, model: String)

    public var workload: String {
        switch self {
        case .workload(let name), .model(let name, _): name
        }
    }

    /// `workload 'checkout'`, `model 'gpt-4o' of workload 'checkout'`.
    public var description: String {
        switch self {
        case .workload(let name): "workload '\(name)'"
        case .model(let workload, let model): "model '\(model)' of workload '\(workload)'"
        }
    }

    /// The store key prefix: `checkout` or `checkout/model:gpt-4o`.
    var storeKey: String {
        switch self {
        case .workload(let name): name
        case .model(let workload, let model): "\(workload)/model:\(model)"
        }
    }
}
