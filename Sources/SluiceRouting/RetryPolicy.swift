public import SluicePolicy

/// A model's `retry:` settings as decisions: after a failed attempt, try the same target again
/// (and when), move on to the next target, or give up.
///
/// The rules, in order:
/// 1. The request's own deadline (`timeout(.total)`): give up.
/// 2. A failure that `on` does not cover, or that the caller caused (a 4xx other than 401, 403,
///    408 and 429, unless `on` names that status), reaches the app; so does any failure when no
///    time is left: give up.
/// 3. The same target is tried again while it has attempts left (`attempts` per target, 1 when
///    the model has no `retry:`) and the failure is worth it there: a connection failure, 408,
///    429, 5xx or an unreadable answer. Never after a timeout (a silent target costs one
///    timeout, not `attempts` of them), a prompt too long or a content refusal.
/// 4. The pause before try `n + 1` is drawn uniformly from zero to `backoff × 2^(n-1)`, capped at
///    ``maxBackoff`` ("full jitter"), so synchronized clients spread out. A `retry-after` up to
///    ``retryAfterCap`` is waited out at least; a longer one sends the request to the next
///    target instead, and so does a pause longer than the time left.
/// 5. Otherwise the next target, at once; with none left, give up (``GiveUpReason/exhausted``).
public struct RetryPolicy: Sendable, Hashable {
    /// The longest pause between two tries of one target by default.
    public static let defaultMaxBackoff: Duration = .seconds(5)
    /// The longest `retry-after` waited out by default.
    public static let defaultRetryAfterCap: Duration = .seconds(10)

    /// Tries per target, the first included; at least 1.
    public var attemptsPerTarget: Int
    /// The pause bound before the first retry; doubled for each later one.
    public var backoff: Duration
    /// The failures after which Sluice tries again or moves on.
    public var conditions: Set<RetryCondition>
    /// The longest pause between two tries.
    public var maxBackoff: Duration
    /// The longest `retry-after` honoured on the same target.
    public var retryAfterCap: Duration

    /// Creates a policy from its parts.
    public init(
        attemptsPerTarget: Int = 1,
        backoff: Duration = .milliseconds(200),
        conditions: Set<RetryCondition> = RetryCondition.conditions(nil),
        maxBackoff: Duration = RetryPolicy.defaultMaxBackoff,
        retryAfterCap: Duration = RetryPolicy.defaultRetryAfterCap
    ) {
        self.attemptsPerTarget = max(1, attemptsPerTarget)
        self.backoff = max(.zero, backoff)
        self.conditions = conditions
        self.maxBackoff = maxBackoff
        self.retryAfterCap = retryAfterCap
    }

    /// The policy of a model's `retry:` section; nil (no section) means one try per target and
    /// the default conditions (`connect`, `timeout`, `429`, `5xx`).
    public init(
        _ settings: RetrySettings?, maxBackoff: Duration = RetryPolicy.defaultMaxBackoff,
        retryAfterCap: Duration = RetryPolicy.defaultRetryAfterCap
    ) {
        self.init(
            attemptsPerTarget: settings?.attempts ?? 1, backoff: settings?.backoff ?? .milliseconds(200),
            conditions: RetryCondition.conditions(settings), maxBackoff: maxBackoff, retryAfterCap: retryAfterCap)
    }

    /// Whether `failure` lets Sluice try again at all (rule 1). A caller's 4xx is covered only
    /// by its own status in `on` (`404`, to fall back when one provider lacks a model), and
    /// then moves on to the next target, never to the same one.
    public func covers(_ failure: AttemptFailure) -> Bool {
        conditions.contains { $0.covers(failure) }
    }

    /// The upper bound of the pause before retry number `retry` (1 for the second try).
    public func backoffBound(forRetry retry: Int) -> Duration {
        let doublings = min(max(0, retry - 1), 40)
        let bound = backoff.seconds * Double(1 << doublings)
        return min(maxBackoff, Duration.seconds(double: bound))
    }

    /// A pause before retry number `retry`, drawn uniformly from zero to its bound.
    public func backoffDelay(forRetry retry: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let bound = backoffBound(forRetry: retry).clampedNanoseconds
        guard bound > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...bound, using: &random))
    }

    /// What follows `failure` of try number `attemptOnTarget` (from 1) at one target.
    /// `hasNextTarget` says whether the plan goes on after it; `timeLeft` is what remains of the
    /// request's total time (nil: no limit).
    public func decide(
        after failure: AttemptFailure,
        attemptOnTarget: Int,
        hasNextTarget: Bool,
        timeLeft: Duration? = nil,
        using random: inout some RandomNumberGenerator
    ) -> RetryDecision {
        if failure == .timeout(.total) { return .giveUp(.outOfTime) }
        guard covers(failure) else { return .giveUp(.notRetryable) }
        if let timeLeft, timeLeft <= .zero { return .giveUp(.outOfTime) }
        if failure.isWorthRetryingOnSameTarget, attemptOnTarget < attemptsPerTarget {
            var delay = backoffDelay(forRetry: attemptOnTarget, using: &random)
            var honoured = true
            if let retryAfter = failure.retryAfter {
                honoured = retryAfter <= retryAfterCap
                delay = max(delay, retryAfter)
            }
            if honoured, timeLeft.map({ delay < $0 }) ?? true {
                return .retrySameTarget(after: delay)
            }
        }
        return hasNextTarget ? .nextTarget : .giveUp(.exhausted)
    }
}
