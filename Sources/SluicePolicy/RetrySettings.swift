/// When and how often a target is tried again before falling back to the next (`retry:`).
public struct RetrySettings: Sendable, Hashable, Encodable {
    /// Tries per target, the first one included (`attempts`), at least 1; 1 by default (no
    /// retry of the same target: a failure moves on to the next).
    public var attempts: Int
    /// The pause before a retry (`backoff`), 200 ms by default.
    public var backoff: Duration
    /// What failures are worth a retry (`on`), as the policy spells them: `connect`, `timeout`,
    /// `5xx`, `context_length`, `content_filter`, or an HTTP status such as `429`.
    public var on: [String]

    /// The named conditions `on` accepts besides HTTP statuses 400–599.
    public static let namedConditions = ["connect", "timeout", "5xx", "context_length", "content_filter"]
    /// The conditions used when `on` is not given: failures a second try can fix.
    public static let defaultConditions = ["connect", "timeout", "429", "5xx"]

    /// Creates retry settings with the defaults for anything not given.
    public init(
        attempts: Int = 1, backoff: Duration = .milliseconds(200), on: [String] = RetrySettings.defaultConditions
    ) {
        self.attempts = attempts
        self.backoff = backoff
        self.on = on
    }

    /// Whether `condition` is one `on` accepts.
    static func isValidCondition(_ condition: String) -> Bool {
        if namedConditions.contains(condition) { return true }
        guard condition.count == 3, let status = Int(condition) else { return false }
        return (400...599).contains(status)
    }

    private enum CodingKeys: String, CodingKey {
        case attempts, backoff, on
    }

    /// Encodes with the backoff as policy text (`200ms`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(formatDuration(backoff), forKey: .backoff)
        try container.encode(on, forKey: .on)
    }
}
