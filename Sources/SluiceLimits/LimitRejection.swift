/// Why a request was not admitted, with what a client needs to wait well.
public struct LimitRejection: Sendable, Hashable {
    /// The limit that was hit.
    public var kind: LimitKind
    /// Whose limit it is.
    public var scope: LimitScope
    /// The limit's value: requests or tokens per minute, concurrent requests, or nano-USD.
    public var limit: Int64
    /// What the request needed: 1 request, its estimated tokens, or the spend so far.
    public var requested: Int64
    /// Nanoseconds until the request could be admitted; nil when waiting would not help
    /// (a request larger than the limit itself).
    public var retryAfterNanoseconds: Int64?
    /// Whether a client should retry at all: false for budgets (their window is hours away)
    /// and for a request that can never fit.
    public var shouldRetry: Bool
    /// Unix seconds when a budget window resets; nil for rates.
    public var resetsAtUnixSeconds: Int64?

    public init(
        kind: LimitKind, scope: LimitScope, limit: Int64, requested: Int64, retryAfterNanoseconds: Int64?,
        shouldRetry: Bool, resetsAtUnixSeconds: Int64? = nil
    ) {
        self.kind = kind
        self.scope = scope
        self.limit = limit
        self.requested = requested
        self.retryAfterNanoseconds = retryAfterNanoseconds
        self.shouldRetry = shouldRetry
        self.resetsAtUnixSeconds = resetsAtUnixSeconds
    }

    /// The sentence for the error body: which limit, its value, and when to try again.
    public var message: String {
        let wait = retryAfterNanoseconds.map { " Try again in \(OpenAIDuration.format(nanoseconds: $0))." } ?? ""
        switch kind {
        case .requestsPerMinute:
            return "Rate limit reached for \(scope): requests_per_minute is \(limit).\(wait)"
        case .tokensPerMinute:
            guard retryAfterNanoseconds != nil else {
                return "Request too large for \(scope): it needs about \(requested) tokens (prompt plus max_tokens) "
                    + "but tokens_per_minute is \(limit). Send a shorter prompt or a smaller max_tokens."
            }
            return "Rate limit reached for \(scope): tokens_per_minute is \(limit), this request needs about "
                + "\(requested).\(wait)"
        case .maxConcurrent:
            return "Too many requests in flight for \(scope): max_concurrent is \(limit).\(wait)"
        case .usdPerDay, .usdPerMonth:
            let window = kind == .usdPerDay ? "day" : "month"
            return "Budget exhausted for \(scope): spent \(Self.dollars(requested)) of \(kind.rawValue) "
                + "\(Self.dollars(limit)) this UTC \(window); it resets at \(Self.resetText(resetsAtUnixSeconds))."
        }
    }

    /// `$12.34` (cents, rounded down: a budget's spend is never shown higher than it is).
    static func dollars(_ nanoUSD: NanoUSD) -> String {
        let cents = max(0, nanoUSD) / 10_000_000
        let fraction = cents % 100
        return "$\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `2026-11-26T00:00:00Z`.
    static func resetText(_ unixSeconds: Int64?) -> String {
        guard let unixSeconds else { return "the end of the window" }
        return "\(UTCCalendar.day(ofUnixSeconds: unixSeconds))T00:00:00Z"
    }
}
