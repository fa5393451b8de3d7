/// Why one attempt at a target failed, in the terms `retry.on` speaks. The proxy classifies
/// what happened (a refused connection, a 503, Anthropic's "prompt is too long") into one of
/// these; the routing state machines decide what follows from it.
public enum AttemptFailure: Sendable, Hashable, CustomStringConvertible {
    /// No usable connection: refused, reset, DNS or TLS failure, or the connection broke before
    /// any answer.
    case connect
    /// A timeout of the provider's policy fired.
    case timeout(TimeoutKind)
    /// The provider answered with an error status; `retryAfter` is its `retry-after`, if any.
    case status(Int, retryAfter: Duration? = nil)
    /// The provider said the prompt does not fit the model's context window.
    case contextLength
    /// The provider refused the content (OpenAI's `content_filter`, Anthropic's `refusal`).
    case contentFilter
    /// The answer could not be read, or a stream broke off before its first content.
    case malformed

    /// The `retry-after` the provider asked for, if any.
    public var retryAfter: Duration? {
        if case .status(_, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// Whether the caller's request itself is at fault (a 4xx other than 401, 403, 408 and
    /// 429): another try would get the same answer.
    public var isCallerCaused: Bool {
        guard case .status(let status, _) = self else { return false }
        return (400..<500).contains(status) && ![401, 403, 408, 429].contains(status)
    }

    /// Whether the failure says something is wrong with the target, and so counts towards its
    /// circuit breaker: connection failures, timeouts, 5xx, 401, 403, 408, 429 and unreadable
    /// answers. A caller's 4xx, a prompt too long and a content refusal show a healthy target.
    public var countsAgainstTarget: Bool {
        switch self {
        case .connect, .timeout, .malformed: true
        case .status(let status, _): status >= 500 || [401, 403, 408, 429].contains(status)
        case .contextLength, .contentFilter: false
        }
    }

    /// Whether trying the same target again may help: connection failures, 408, 429, 5xx and
    /// unreadable answers. Never a timeout (a silent target costs one timeout, not several), a
    /// caller's 4xx, a prompt too long for the model or a content refusal.
    public var isWorthRetryingOnSameTarget: Bool {
        switch self {
        case .connect, .malformed: true
        case .status(let status, _): status >= 500 || status == 408 || status == 429
        case .timeout, .contextLength, .contentFilter: false
        }
    }

    /// A short label for logs and metrics: `connect`, `timeout_first_byte`, the status (`503`),
    /// `context_length`, `content_filter` or `malformed`.
    public var description: String {
        switch self {
        case .connect: "connect"
        case .timeout(let kind): "timeout_\(kind.rawValue)"
        case .status(let status, _): String(status)
        case .contextLength: "context_length"
        case .contentFilter: "content_filter"
        case .malformed: "malformed"
        }
    }
}
