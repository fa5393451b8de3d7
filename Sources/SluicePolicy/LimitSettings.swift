/// A workload's `limits:` block: how fast and how much it may call, and what it may spend.
///
/// Every number is optional; a limit that is not given does not apply. The same rate limits may
/// be set again for one model inside the workload (`models:`), and a request must pass both.
public struct LimitSettings: Sendable, Hashable, Encodable {
    /// Limits of the whole workload.
    public var rates: RateLimits
    /// Limits of one model inside the workload, by the model name apps send.
    public var models: [String: RateLimits]
    /// The completion tokens reserved for a request that sets no `max_tokens`
    /// (`default_max_tokens`): the estimate a token limit admits on until the real usage is known.
    public var defaultMaxTokens: Int
    /// Money per UTC day and month (`budget`); nil: no budget.
    public var budget: BudgetSettings?

    /// The completion estimate when the policy gives none.
    public static let standardDefaultMaxTokens = 1024

    public init(
        rates: RateLimits = RateLimits(), models: [String: RateLimits] = [:],
        defaultMaxTokens: Int = LimitSettings.standardDefaultMaxTokens, budget: BudgetSettings? = nil
    ) {
        self.rates = rates
        self.models = models
        self.defaultMaxTokens = defaultMaxTokens
        self.budget = budget
    }

    private enum CodingKeys: String, CodingKey {
        case rates, models, budget
        case defaultMaxTokens = "default_max_tokens"
    }
}

/// Request, token and concurrency limits of a workload or of one model inside it.
public struct RateLimits: Sendable, Hashable, Encodable {
    /// Requests admitted per minute (`requests_per_minute`).
    public var requestsPerMinute: Int?
    /// Prompt plus completion tokens per minute (`tokens_per_minute`).
    public var tokensPerMinute: Int?
    /// Requests in flight at once, a stream counting until its last byte (`max_concurrent`).
    public var maxConcurrent: Int?

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxConcurrent: Int? = nil) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxConcurrent = maxConcurrent
    }

    /// Whether no limit is set.
    public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil && maxConcurrent == nil }

    private enum CodingKeys: String, CodingKey {
        case requestsPerMinute = "requests_per_minute"
        case tokensPerMinute = "tokens_per_minute"
        case maxConcurrent = "max_concurrent"
    }
}

/// A workload's money limits, in billionths of a US dollar so sums are exact. Windows are UTC
/// calendar days and months.
public struct BudgetSettings: Sendable, Hashable, Encodable {
    /// The most a workload may spend in one UTC day (`usd_per_day`).
    public var nanoUSDPerDay: Int64?
    /// The most a workload may spend in one UTC month (`usd_per_month`).
    public var nanoUSDPerMonth: Int64?

    public init(nanoUSDPerDay: Int64? = nil, nanoUSDPerMonth: Int64? = nil) {
        self.nanoUSDPerDay = nanoUSDPerDay
        self.nanoUSDPerMonth = nanoUSDPerMonth
    }

    private enum CodingKeys: String, CodingKey {
        case nanoUSDPerDay = "nano_usd_per_day"
        case nanoUSDPerMonth = "nano_usd_per_month"
    }
}
