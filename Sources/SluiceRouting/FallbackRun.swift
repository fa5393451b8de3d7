/// One request's walk through its ``RoutePlan``: which target to try, when to retry it, when to
/// fall back, when to stop. A value-type state machine; the proxy performs each step and
/// reports back, passing the time and the ``TargetBook`` in.
///
/// ```swift
/// var run = FallbackRun(plan: plan, retry: RetryPolicy(route.retry))
/// var step = book.withLock { run.next(book: &$0, at: now()) }
/// while true {
///     switch step {
///     case .attempt(let attempt): // send to attempt.target, then on failure:
///         step = book.withLock { run.failed(attempt, failure, book: &$0, at: now(), timeLeft: left, using: &rng) }
///         // or on success: run.succeeded(attempt, firstByteAfter: ttfb, book: &$0, at: now()); done
///     case .wait(let pause): // schedule, then: step = run.next(book: &$0, at: now())
///     case .giveUp(let failure, let reason): // answer the app
///     }
/// }
/// ```
///
/// Duties, in order: begin an attempt at the current target (skipping any that became
/// unavailable since planning); on failure, record it in the book and ask the ``RetryPolicy``
/// whether to wait and retry the same target, move on at once, or give up; on success or
/// abandonment, record it. ``records`` keeps one entry per finished attempt.
public struct FallbackRun: Sendable {
    /// The targets to try.
    public let plan: RoutePlan
    /// The rules for retries and fallbacks.
    public let retry: RetryPolicy
    /// Every finished attempt, in order.
    public var records: [Record] {
        self.firstRecord.map { [$0] + self.laterRecords } ?? []
    }
    /// The first finished attempt, kept inline: nearly every request ends with its first attempt, and an
    /// array of one would be an allocation per request.
    private var firstRecord: Record?
    private var laterRecords: [Record] = []
    /// The last failure seen.
    public private(set) var lastFailure: AttemptFailure?
    /// Attempts begun so far.
    public private(set) var attemptCount = 0
    /// Where in ``RoutePlan/targets`` the run stands.
    private var position = 0
    /// Tries begun at the current target.
    private var triesAtTarget = 0

    /// Starts a run over `plan`.
    public init(plan: RoutePlan, retry: RetryPolicy) {
        self.plan = plan
        self.retry = retry
    }

    /// The target the run stands at, if any is left.
    public var currentTarget: PlannedTarget? {
        position < plan.targets.count ? plan.targets[position] : nil
    }

    /// Begins the next attempt: at the current target, or the first after it that is still
    /// available at `now`. Gives up when none is left.
    public mutating func next(book: inout TargetBook, at now: MonotonicInstant) -> Step {
        while let target = currentTarget {
            if let permit = book.begin(target.key, at: now) {
                triesAtTarget += 1
                attemptCount += 1
                return .attempt(
                    Attempt(
                        target: target, number: attemptCount, attemptOnTarget: triesAtTarget, permit: permit,
                        startedAt: now))
            }
            moveOn()
        }
        return .giveUp(lastFailure: lastFailure, reason: attemptCount == 0 ? .noTargetAvailable : .exhausted)
    }

    /// Records that `attempt` succeeded; `firstByteAfter` is its time to first byte.
    public mutating func succeeded(
        _ attempt: Attempt, firstByteAfter: Duration?, book: inout TargetBook, at now: MonotonicInstant
    ) {
        finish(attempt, .success(firstByteAfter: firstByteAfter), book: &book, at: now)
    }

    /// Records that `attempt` ended without a verdict (the app went away), freeing its permit.
    public mutating func abandoned(_ attempt: Attempt, book: inout TargetBook, at now: MonotonicInstant) {
        finish(attempt, .abandoned, book: &book, at: now)
    }

    /// Passes over `attempt` without a verdict (its target cannot serve this request, e.g. it
    /// takes no prefill) and begins the next target's attempt.
    public mutating func skipped(_ attempt: Attempt, book: inout TargetBook, at now: MonotonicInstant) -> Step {
        finish(attempt, .abandoned, book: &book, at: now)
        moveOn()
        return next(book: &book, at: now)
    }

    /// Records that `attempt` failed with `failure`, and says what follows. `timeLeft` is what
    /// remains of the request's total time (nil: no limit).
    public mutating func failed(
        _ attempt: Attempt, _ failure: AttemptFailure, book: inout TargetBook, at now: MonotonicInstant,
        timeLeft: Duration? = nil, using random: inout some RandomNumberGenerator
    ) -> Step {
        finish(attempt, .failure(failure, elapsed: now - attempt.startedAt), book: &book, at: now)
        lastFailure = failure
        let decision = retry.decide(
            after: failure, attemptOnTarget: attempt.attemptOnTarget,
            hasNextTarget: position + 1 < plan.targets.count, timeLeft: timeLeft, using: &random)
        switch decision {
        case .retrySameTarget(let pause):
            return pause > .zero ? .wait(pause) : next(book: &book, at: now)
        case .nextTarget:
            moveOn()
            return next(book: &book, at: now)
        case .giveUp(let reason):
            return .giveUp(lastFailure: failure, reason: reason)
        }
    }

    private mutating func finish(
        _ attempt: Attempt, _ outcome: AttemptOutcome, book: inout TargetBook, at now: MonotonicInstant
    ) {
        book.finish(attempt.target.key, permit: attempt.permit, outcome: outcome, at: now)
        let record = Record(
            target: attempt.target, number: attempt.number, wasProbe: attempt.permit == .probe, outcome: outcome,
            duration: now - attempt.startedAt)
        if self.firstRecord == nil {
            self.firstRecord = record
        } else {
            self.laterRecords.append(record)
        }
    }

    private mutating func moveOn() {
        position += 1
        triesAtTarget = 0
    }
}
