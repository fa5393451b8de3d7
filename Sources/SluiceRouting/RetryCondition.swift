public import SluicePolicy

/// One entry of a model's `retry.on`: a kind of failure after which Sluice tries again (the same
/// target, while it has attempts left and the failure is worth it) or moves on to the next.
public enum RetryCondition: Sendable, Hashable, CustomStringConvertible {
    /// `connect`: no usable connection.
    case connect
    /// `timeout`: any of the provider's timeouts (never the request's total).
    case timeout
    /// `5xx`: any status from 500 to 599, and answers that could not be read.
    case serverError
    /// A single status, e.g. `429` or `404`.
    case status(Int)
    /// `context_length`: the prompt does not fit; the next target may have a larger context.
    case contextLength
    /// `content_filter`: the provider refused the content; another model may not.
    case contentFilter

    /// Reads a condition as the policy spells it; nil when it is not one.
    public init?(_ text: String) {
        switch text {
        case "connect": self = .connect
        case "timeout": self = .timeout
        case "5xx": self = .serverError
        case "context_length": self = .contextLength
        case "content_filter": self = .contentFilter
        default:
            guard text.utf8.count == 3, let status = Int(text), (400...599).contains(status) else { return nil }
            self = .status(status)
        }
    }

    /// The conditions of `settings.on` that are valid, or the defaults when `settings` is nil.
    public static func conditions(_ settings: RetrySettings?) -> Set<RetryCondition> {
        Set((settings?.on ?? RetrySettings.defaultConditions).compactMap(RetryCondition.init))
    }

    /// Whether `failure` is of this kind.
    public func covers(_ failure: AttemptFailure) -> Bool {
        switch (self, failure) {
        case (.connect, .connect), (.contextLength, .contextLength), (.contentFilter, .contentFilter):
            true
        case (.timeout, .timeout(let kind)):
            kind != .total
        case (.serverError, .status(let status, _)):
            (500...599).contains(status)
        case (.serverError, .malformed):
            true
        case (.status(let wanted), .status(let status, _)):
            wanted == status
        default:
            false
        }
    }

    /// The policy's spelling (`5xx`, `429`).
    public var description: String {
        switch self {
        case .connect: "connect"
        case .timeout: "timeout"
        case .serverError: "5xx"
        case .status(let status): String(status)
        case .contextLength: "context_length"
        case .contentFilter: "content_filter"
        }
    }
}
