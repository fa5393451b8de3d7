import Synchronization

/// The ``LimitStore`` of a sidecar without a shared store: token buckets and spend in this
/// process, behind one `Mutex`. Calls never suspend and never throw.
///
/// Time comes from `now`, monotonic nanoseconds; tests pass a manual clock. Spend idempotence
/// remembers the most recent `rememberedEntryIDs` entry ids (a retried batch arrives seconds
/// after the first, not hundreds of thousands of entries later), so memory stays bounded
/// however long the process runs.
public final class InMemoryLimitStore: LimitStore {
    private struct State {
        var buckets: [BucketID: TokenBucket] = [:]
        /// Spend per workload per day and per month (``CalendarDay/monthKey``).
        var daily: [String: [CalendarDay: NanoUSD]] = [:]
        var monthly: [String: [String: NanoUSD]] = [:]
        /// Entry ids already recorded, and the same ids oldest first for forgetting.
        var seen: Set<String> = []
        var seenOrder: [String] = []
        var seenStart = 0
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Int64
    private let rememberedEntryIDs: Int

    /// A store reading time from `now` (monotonic nanoseconds; by default this process's
    /// monotonic clock) and remembering the last `rememberedEntryIDs` spend entry ids.
    public init(
        now: @escaping @Sendable () -> Int64 = InMemoryLimitStore.monotonicNanoseconds(),
        rememberedEntryIDs: Int = 100_000
    ) {
        self.now = now
        self.rememberedEntryIDs = max(1, rememberedEntryIDs)
    }

    /// A clock of monotonic nanoseconds since the call: the one place in `SluiceLimits` that
    /// reads a clock, and only as ``init(now:rememberedEntryIDs:)``'s default.
    public static func monotonicNanoseconds() -> @Sendable () -> Int64 {
        let clock = ContinuousClock()
        let origin = clock.now
        return {
            let elapsed = origin.duration(to: clock.now).components
            return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
        }
    }

    // MARK: LimitStore

    public func draw(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws -> LeaseGrant {
        drawNow(bucket, spec: spec, units: units)
    }

    public func giveBack(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws {
        giveBackNow(bucket, spec: spec, units: units)
    }

    public func record(_ entries: [SpendEntry]) async throws {
        recordNow(entries)
    }

    public func spend(of workload: String, on day: CalendarDay) async throws -> SpendTotals {
        spendNow(of: workload, on: day)
    }

    // MARK: Synchronous forms

    /// ``draw(_:spec:units:)`` without the `async`: for callers on an event loop.
    public func drawNow(_ bucket: BucketID, spec: BucketSpec, units: Int64) -> LeaseGrant {
        let time = now()
        return state.withLock { state in
            var tokens = Self.current(bucket, spec: spec, at: time, in: &state)
            let granted = tokens.takeUpTo(units, at: time)
            state.buckets[bucket] = tokens
            return LeaseGrant(
                granted: granted,
                remaining: tokens.available(at: time),
                nanosecondsUntilFull: tokens.nanosecondsUntilFull(at: time)
            )
        }
    }

    /// ``giveBack(_:spec:units:)`` without the `async`.
    public func giveBackNow(_ bucket: BucketID, spec: BucketSpec, units: Int64) {
        let time = now()
        state.withLock { state in
            var tokens = Self.current(bucket, spec: spec, at: time, in: &state)
            tokens.credit(units, at: time)
            state.buckets[bucket] = tokens
        }
    }

    /// ``record(_:)`` without the `async`. Returns how many entries counted (were new).
    @discardableResult
    public func recordNow(_ entries: [SpendEntry]) -> Int {
        state.withLock { state in
            var counted = 0
            for entry in entries where state.seen.insert(entry.id).inserted {
                state.seenOrder.append(entry.id)
                Self.add(entry.cost, to: &state.daily[entry.workload, default: [:]][entry.day, default: 0])
                Self.add(entry.cost, to: &state.monthly[entry.workload, default: [:]][entry.day.monthKey, default: 0])
                counted += 1
            }
            forgetOldIDs(in: &state)
            return counted
        }
    }

    /// ``spend(of:on:)`` without the `async`.
    public func spendNow(of workload: String, on day: CalendarDay) -> SpendTotals {
        state.withLock { state in
            SpendTotals(
                day: state.daily[workload]?[day] ?? 0,
                month: state.monthly[workload]?[day.monthKey] ?? 0
            )
        }
    }

    /// The bucket `id` as it stands now, refilled; nil before its first draw.
    public func bucket(_ id: BucketID) -> TokenBucket? {
        let time = now()
        return state.withLock { state in
            guard var tokens = state.buckets[id] else { return nil }
            tokens.refill(at: time)
            return tokens
        }
    }

    // MARK: Internals

    /// The bucket `id` refilled to `time` under `spec` (created full, or adopting a changed
    /// spec). The caller stores it back.
    private static func current(_ id: BucketID, spec: BucketSpec, at time: Int64, in state: inout State) -> TokenBucket {
        guard var tokens = state.buckets[id] else { return TokenBucket(spec: spec, now: time) }
        tokens.adopt(spec, at: time)
        return tokens
    }

    /// Adds spend, saturating rather than trapping or wrapping.
    private static func add(_ cost: NanoUSD, to total: inout NanoUSD) {
        let (sum, overflow) = total.addingReportingOverflow(cost)
        total = overflow ? (cost < 0 ? .min : .max) : sum
    }

    private func forgetOldIDs(in state: inout State) {
        while state.seen.count > rememberedEntryIDs {
            state.seen.remove(state.seenOrder[state.seenStart])
            state.seenStart += 1
        }
        // Compact the order list once its dead prefix is as long as the live part.
        if state.seenStart > 0, state.seenStart >= state.seenOrder.count - state.seenStart {
            state.seenOrder.removeFirst(state.seenStart)
            state.seenStart = 0
        }
    }
}
