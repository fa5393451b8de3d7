/// One target's circuit breaker: closed → open after N consecutive failures → half-open after
/// the cooldown, letting exactly one probe through → closed when the probe succeeds, open again
/// (for another cooldown) when it fails.
///
/// A value type driven by the caller's clock: ``acquire(at:)`` before an attempt, then exactly
/// one of ``recordSuccess(_:at:)``, ``recordFailure(_:at:)`` or ``release(_:)`` with the permit
/// it gave. Results of attempts that started before the breaker opened (``Permit/normal`` while
/// open or half-open) do not change its state: only the probe decides.
public struct CircuitBreaker: Sendable, Hashable {
    /// The breaker's position.
    public enum State: String, Sendable, Hashable {
        /// Traffic flows; failures are being counted.
        case closed
        /// The target is skipped until ``CircuitBreaker/reopensAt``.
        case open
        /// The cooldown is over: one probe may go (or has gone), and its outcome decides.
        case halfOpen = "half_open"
    }

    /// What an attempt was allowed as.
    public enum Permit: Sendable, Hashable {
        /// An ordinary attempt through a closed breaker.
        case normal
        /// The one attempt that decides whether a half-open breaker closes.
        case probe
    }

    /// The thresholds and durations.
    public let settings: BreakerSettings
    /// Where the breaker stands.
    public private(set) var state = State.closed
    /// Failures in a row since the last success, while closed.
    public private(set) var consecutiveFailures = 0
    /// While open: when a probe may go.
    public private(set) var reopensAt: MonotonicInstant?
    /// While half-open: when the probe in flight started; nil when none is.
    public private(set) var probeStartedAt: MonotonicInstant?

    /// Creates a closed breaker.
    public init(settings: BreakerSettings = BreakerSettings()) {
        self.settings = settings
    }

    /// Whether an attempt would be allowed at `now`, without taking the permit.
    public func allows(at now: MonotonicInstant) -> Bool {
        switch state {
        case .closed: true
        case .open: now >= (reopensAt ?? now)
        case .halfOpen: probeStartedAt.map { now - $0 >= settings.probeTimeout } ?? true
        }
    }

    /// Takes a permit for an attempt at `now`: ``Permit/normal`` while closed, ``Permit/probe``
    /// once the cooldown is over and no probe is in flight; nil when the target must be skipped.
    public mutating func acquire(at now: MonotonicInstant) -> Permit? {
        guard allows(at: now) else { return nil }
        switch state {
        case .closed:
            return .normal
        case .open, .halfOpen:
            state = .halfOpen
            reopensAt = nil
            probeStartedAt = now
            return .probe
        }
    }

    /// Records that an attempt under `permit` succeeded (or failed in a way that shows the target
    /// is up, such as a 400 the caller caused).
    public mutating func recordSuccess(_ permit: Permit, at now: MonotonicInstant) {
        switch (state, permit) {
        case (.closed, _):
            consecutiveFailures = 0
        case (.halfOpen, .probe):
            state = .closed
            consecutiveFailures = 0
            probeStartedAt = nil
        default:
            break
        }
    }

    /// Records that an attempt under `permit` failed in a way that counts against the target.
    public mutating func recordFailure(_ permit: Permit, at now: MonotonicInstant) {
        switch (state, permit) {
        case (.closed, _):
            consecutiveFailures += 1
            if consecutiveFailures >= settings.failureThreshold { open(at: now) }
        case (.halfOpen, .probe):
            open(at: now)
        default:
            break
        }
    }

    /// Gives back `permit` of an attempt that ended without a verdict (the app went away, the
    /// request's own deadline passed): a probe slot becomes free again at once.
    public mutating func release(_ permit: Permit) {
        if state == .halfOpen, permit == .probe { probeStartedAt = nil }
    }

    private mutating func open(at now: MonotonicInstant) {
        state = .open
        reopensAt = now + settings.cooldown
        probeStartedAt = nil
    }
}
