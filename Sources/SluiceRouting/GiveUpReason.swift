/// Why a request stops trying.
public enum GiveUpReason: String, Sendable, Hashable {
    /// The failure is not one `retry.on` lists, or the caller caused it: it reaches the app as
    /// it is (the provider's own error, status and reason).
    case notRetryable = "not_retryable"
    /// Every target has been tried as often as the policy allows.
    case exhausted
    /// No target could be tried at all: each was resting or had its circuit open (a 503).
    case noTargetAvailable = "no_target_available"
    /// The request's total time is up.
    case outOfTime = "out_of_time"
}
