/// The health of every target, keyed by ``TargetKey`` so it outlives policy reloads: each
/// target's circuit breaker, time-to-first-byte average, attempts in flight and any rest it
/// asked for with `retry-after`.
///
/// A value type with no clock and no lock: the proxy keeps one behind a `Mutex` (or one per
/// event loop) and passes the time into every call. Duties, per attempt:
/// 1. ``begin(_:at:)`` takes a breaker permit (nil: skip the target) and counts the attempt in
///    flight;
/// 2. ``finish(_:permit:outcome:at:)`` records its outcome: successes and harmless failures (a
///    caller's 4xx, a prompt too long, a refusal) close the breaker's count, failures that
///    count against the target feed it; a `retry-after` puts the target to rest (at most
///    ``Settings/maxRest``); an answer's time to first byte, or a timeout's length, feeds the
///    latency average.
///
/// After a reload, ``retain(_:)`` drops the targets the new policy no longer has, so the book
/// never grows beyond the policy.
public struct TargetBook: Sendable {
    /// The settings every target's state is made with.
    public let settings: Settings
    private var states: [TargetKey: TargetState] = [:]

    /// Creates an empty book.
    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// What is known of `key`; nil for a target never tried.
    public subscript(key: TargetKey) -> TargetState? {
        states[key]
    }

    /// The targets the book knows.
    public var keys: [TargetKey] {
        states.keys.sorted()
    }

    /// Whether an attempt at `key` may begin at `now` (a target never tried may).
    public func isAvailable(_ key: TargetKey, at now: MonotonicInstant) -> Bool {
        states[key]?.isAvailable(at: now) ?? true
    }

    /// The target's latency average, if measured recently enough to count at `now`.
    public func latency(of key: TargetKey, at now: MonotonicInstant) -> Duration? {
        states[key]?.latency.current(at: now, staleAfter: settings.latencyStaleAfter)
    }

    /// Attempts at `key` in flight.
    public func inFlight(_ key: TargetKey) -> Int {
        states[key]?.inFlight ?? 0
    }

    /// Begins an attempt at `key`: returns the breaker's permit, or nil when the target is
    /// resting or its breaker is open (then nothing is recorded).
    public mutating func begin(_ key: TargetKey, at now: MonotonicInstant) -> CircuitBreaker.Permit? {
        self.withState(of: key) { state in
            // A refusal changes nothing: `acquire` changes nothing when it refuses, and the fresh state
            // made for a target never tried is neither resting nor open, so it is never refused.
            if let restingUntil = state.restingUntil, now < restingUntil { return nil }
            guard let permit = state.breaker.acquire(at: now) else { return nil }
            state.inFlight += 1
            return permit
        }
    }

    /// Finishes an attempt begun with ``begin(_:at:)``, recording how it ended.
    public mutating func finish(
        _ key: TargetKey, permit: CircuitBreaker.Permit, outcome: AttemptOutcome, at now: MonotonicInstant
    ) {
        let settings = self.settings
        self.withState(of: key) { state in
            Self.record(outcome, permit: permit, at: now, in: &state, settings: settings)
        }
    }

    private static func record(
        _ outcome: AttemptOutcome, permit: CircuitBreaker.Permit, at now: MonotonicInstant,
        in state: inout TargetState, settings: Settings
    ) {
        state.inFlight = max(0, state.inFlight - 1)
        switch outcome {
        case .success(let firstByte):
            state.successes += 1
            state.breaker.recordSuccess(permit, at: now)
            if let firstByte { state.latency.record(firstByte, at: now) }
        case .failure(let failure, let elapsed):
            state.failures += 1
            if failure.countsAgainstTarget {
                state.breaker.recordFailure(permit, at: now)
            } else {
                state.breaker.recordSuccess(permit, at: now)
            }
            if let retryAfter = failure.retryAfter, retryAfter > .zero {
                let until = now + min(retryAfter, settings.maxRest)
                state.restingUntil = max(state.restingUntil ?? until, until)
            }
            if case .timeout(let kind) = failure, kind != .total, let elapsed {
                state.latency.record(elapsed, at: now)
            }
        case .abandoned:
            state.breaker.release(permit)
        }
    }

    /// Changes the state of `key` in place (one hash and no copy per call: begin and finish run on
    /// every request), making it first if the target was never tried.
    private mutating func withState<Result>(
        of key: TargetKey, _ change: (inout TargetState) -> Result
    ) -> Result {
        let settings = self.settings
        return change(&self.states[key, default: Self.newState(for: key, settings: settings)])
    }

    /// Keeps only the targets in `keys`: call after a policy reload with the new policy's
    /// targets. Unchanged targets keep their state; removed ones are forgotten.
    public mutating func retain(_ keys: Set<TargetKey>) {
        states = states.filter { keys.contains($0.key) }
    }

    /// A snapshot of every known target at `now`, sorted by key, for `/status`.
    public func statuses(at now: MonotonicInstant) -> [TargetStatus] {
        states.sorted { $0.key < $1.key }.map { TargetStatus(key: $0.key, state: $0.value, at: now) }
    }

    private static func newState(for key: TargetKey, settings: Settings) -> TargetState {
        TargetState(breaker: key.breaker ?? settings.breaker, latencySmoothing: settings.latencySmoothing)
    }
}
