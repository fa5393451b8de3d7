/// OpenAI's `x-ratelimit-*` values for one answer: the limit, what is left and when the bucket
/// is full again, for requests and for tokens. A part is nil when no such limit applies.
public struct RateLimitHeaders: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        public var limit: Int64
        public var remaining: Int64
        public var resetNanoseconds: Int64

        public init(limit: Int64, remaining: Int64, resetNanoseconds: Int64) {
            self.limit = limit
            self.remaining = remaining
            self.resetNanoseconds = resetNanoseconds
        }
    }

    public var requests: Part?
    public var tokens: Part?

    public init(requests: Part? = nil, tokens: Part? = nil) {
        self.requests = requests
        self.tokens = tokens
    }

    /// The header lines, in OpenAI's order and spelling (`x-ratelimit-reset-tokens: 6m0s`).
    public var fields: [(name: String, value: String)] {
        var fields: [(String, String)] = []
        for (suffix, part) in [("requests", requests), ("tokens", tokens)] {
            guard let part else { continue }
            fields.append(("x-ratelimit-limit-\(suffix)", String(part.limit)))
            fields.append(("x-ratelimit-remaining-\(suffix)", String(max(0, part.remaining))))
            fields.append(("x-ratelimit-reset-\(suffix)", OpenAIDuration.format(nanoseconds: part.resetNanoseconds)))
        }
        return fields
    }
}
