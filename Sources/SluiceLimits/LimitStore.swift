/// Where the fleet's shared counters live: the token buckets behind rate limits and the spend
/// behind budgets.
///
/// Sluice never asks the store on a request's path. A sidecar draws *leases* (a slice of a
/// bucket's remaining level) in the background and admits locally against them, and it hands
/// its spend over in batches. Without a configured store, ``InMemoryLimitStore`` plays the
/// same part inside the process, so one code path serves both.
public protocol LimitStore: Sendable {
    /// Takes up to `units` from the shared bucket `bucket` and says how many it got.
    ///
    /// The bucket refills continuously at `spec.refillPerMinute` up to `spec.capacity` (by the
    /// store's own clock), starts full, and adopts a changed `spec` at once. The grant is
    /// `min(units, level)` rounded down to whole units; it may be 0.
    func draw(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws -> LeaseGrant

    /// Puts back units that a sidecar drew but did not use (a lease given up on shutdown or
    /// reload, a reservation settled below its estimate). The level never exceeds capacity.
    func giveBack(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws

    /// Records spend. Idempotent by ``SpendEntry/id``: an entry written twice (a retried batch)
    /// counts once.
    func record(_ entries: [SpendEntry]) async throws

    /// The fleet's total spend of `workload` in the UTC day and month that contain `day`.
    func spend(of workload: String, on day: CalendarDay) async throws -> SpendTotals
}

/// A store with connections to serve, run by the gateway in its limits task: PostgreSQL's
/// client pool needs one.
public protocol RunnableLimitStore: LimitStore {
    /// Serves the store's connections until the task is cancelled.
    func run() async
}

/// Names one shared bucket: a workload's (or a workload's model's) requests or tokens.
public struct BucketID: Hashable, Sendable, CustomStringConvertible {
    /// The store key, e.g. `checkout/requests` or `checkout/model:gpt-4o/tokens`.
    public var key: String

    public init(_ key: String) { self.key = key }

    public var description: String { key }
}

/// A bucket's size and refill: a limit of N per minute is `capacity: N, refillPerMinute: N`.
public struct BucketSpec: Hashable, Sendable {
    public var capacity: Int64
    public var refillPerMinute: Int64

    public init(capacity: Int64, refillPerMinute: Int64) {
        self.capacity = capacity
        self.refillPerMinute = refillPerMinute
    }

    /// The bucket of a per-minute limit.
    public static func perMinute(_ limit: Int64) -> BucketSpec {
        BucketSpec(capacity: limit, refillPerMinute: limit)
    }
}

/// What a draw got, and what the shared bucket holds after it.
public struct LeaseGrant: Hashable, Sendable {
    /// Units now owned by the drawing sidecar (0 when the bucket is empty).
    public var granted: Int64
    /// Whole units left in the shared bucket after the grant.
    public var remaining: Int64
    /// Nanoseconds until the shared bucket is full again at its refill rate.
    public var nanosecondsUntilFull: Int64

    public init(granted: Int64, remaining: Int64, nanosecondsUntilFull: Int64) {
        self.granted = granted
        self.remaining = remaining
        self.nanosecondsUntilFull = nanosecondsUntilFull
    }
}

/// Money in billionths of a US dollar: exact integer sums, and fine enough for the cheapest
/// per-token prices ($0.075 per million tokens is 75 per token).
public typealias NanoUSD = Int64

/// One settled request's cost, written once to the store.
public struct SpendEntry: Hashable, Sendable {
    /// The idempotency key: the sidecar's instance id and its own sequence number.
    public var id: String
    public var workload: String
    /// The UTC day the request settled in; its month follows from it.
    public var day: CalendarDay
    public var cost: NanoUSD

    public init(id: String, workload: String, day: CalendarDay, cost: NanoUSD) {
        self.id = id
        self.workload = workload
        self.day = day
        self.cost = cost
    }
}

/// A workload's spend in one UTC day and the UTC month around it.
public struct SpendTotals: Hashable, Sendable {
    public var day: NanoUSD
    public var month: NanoUSD

    public init(day: NanoUSD, month: NanoUSD) {
        self.day = day
        self.month = month
    }
}

/// A UTC calendar day.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2026-11-25`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// `2026-11`: the month's key.
    public var monthKey: String { String(description.prefix(7)) }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
