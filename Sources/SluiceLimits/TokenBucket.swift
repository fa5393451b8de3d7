/// A token bucket with exact integer arithmetic: a limit of N per minute that refills
/// continuously, starts full, and can run into debt when real usage exceeds an estimate.
///
/// Times are monotonic nanoseconds passed in by the caller; the bucket never reads a clock.
/// A time earlier than the last one seen (a caller racing another) refills nothing and is
/// otherwise treated as the last time, so the level never moves backwards in time.
///
/// The level is kept in *ticks*: one unit is `60 × 10⁹` ticks, so one nanosecond at a refill of
/// `r` units per minute adds exactly `r` ticks. Refill therefore never rounds, and a bucket read
/// at any two times agrees with one read at the later time alone. Ticks are `Int128`, so no
/// product of an `Int64` count of units or nanoseconds and an `Int64` rate can overflow.
public struct TokenBucket: Hashable, Sendable {
    /// Ticks in one unit: nanoseconds in a minute, the refill rate's time base.
    static let ticksPerUnit: Int128 = 60_000_000_000

    /// The lowest level a charge can drive the bucket to (a debt of `Int64.max` units), so
    /// that arithmetic on ticks stays far from `Int128`'s bounds however often it is charged.
    static let minimumLevel: Int128 = -Int128(Int64.max) * ticksPerUnit

    /// The bucket's capacity and refill rate (both at least 0).
    public private(set) var spec: BucketSpec
    /// The level in ticks at ``updatedAt``: at most `capacity × ticksPerUnit`, below 0 in debt.
    private var level: Int128
    /// The latest time the bucket has seen, in monotonic nanoseconds.
    public private(set) var updatedAt: Int64

    /// A full bucket at `now`. Negative capacities and rates count as 0.
    public init(spec: BucketSpec, now: Int64) {
        self.spec = Self.sanitized(spec)
        self.level = Int128(self.spec.capacity) * Self.ticksPerUnit
        self.updatedAt = now
    }

    // MARK: Reading

    /// Whole units that can be taken at `now` (0 when empty or in debt).
    public func available(at now: Int64) -> Int64 {
        max(0, balance(at: now))
    }

    /// The level at `now` in whole units, rounded down: negative while the bucket is in debt.
    public func balance(at now: Int64) -> Int64 {
        Self.units(floorOf: level(at: now))
    }

    /// Units used from a full bucket at `now`, rounded up (`capacity − level`; more than the
    /// capacity while in debt). The `x-ratelimit-*` headers show `capacity − used`.
    public func used(at now: Int64) -> Int64 {
        let ticks = capacityTicks - level(at: now)
        return Self.clampToInt64(Self.ceilDiv(ticks, Self.ticksPerUnit))
    }

    /// Nanoseconds from `now` until `units` can be taken; 0 when they can be taken now, nil
    /// when never: more than the capacity, or a bucket that does not refill and is short.
    public func nanosecondsUntilAvailable(_ units: Int64, at now: Int64) -> Int64? {
        guard units > 0 else { return 0 }
        guard units <= spec.capacity else { return nil }
        let missing = Int128(units) * Self.ticksPerUnit - level(at: now)
        guard missing > 0 else { return 0 }
        guard spec.refillPerMinute > 0 else { return nil }
        return Self.clampToInt64(Self.ceilDiv(missing, Int128(spec.refillPerMinute)))
    }

    /// Nanoseconds from `now` until the bucket is full: 0 when full, `Int64.max` when it is
    /// short and does not refill.
    public func nanosecondsUntilFull(at now: Int64) -> Int64 {
        let missing = capacityTicks - level(at: now)
        guard missing > 0 else { return 0 }
        guard spec.refillPerMinute > 0 else { return .max }
        return Self.clampToInt64(Self.ceilDiv(missing, Int128(spec.refillPerMinute)))
    }

    // MARK: Changing

    /// Adds what flowed in since the last update, up to the capacity.
    public mutating func refill(at now: Int64) {
        level = level(at: now)
        updatedAt = max(updatedAt, now)
    }

    /// Takes `units` if all of them are available, else nothing. Taking 0 always succeeds.
    public mutating func take(_ units: Int64, at now: Int64) -> Bool {
        refill(at: now)
        guard units > 0 else { return true }
        let ticks = Int128(units) * Self.ticksPerUnit
        guard level >= ticks else { return false }
        level -= ticks
        return true
    }

    /// Takes as many of `units` as are available, in whole units, and says how many: a lease.
    public mutating func takeUpTo(_ units: Int64, at now: Int64) -> Int64 {
        refill(at: now)
        let taken = min(max(0, units), max(0, Self.units(floorOf: level)))
        level -= Int128(taken) * Self.ticksPerUnit
        return taken
    }

    /// Takes `units` whatever the level, which may fall below 0: the debt of a request whose
    /// real usage exceeded what it reserved. The debt is repaid by refill before anything else
    /// can be taken.
    public mutating func charge(_ units: Int64, at now: Int64) {
        refill(at: now)
        guard units > 0 else { return }
        level = max(Self.minimumLevel, level - Int128(units) * Self.ticksPerUnit)
    }

    /// Gives back `units` (a reservation settled below its estimate, a lease returned); the
    /// level never exceeds the capacity.
    public mutating func credit(_ units: Int64, at now: Int64) {
        refill(at: now)
        guard units > 0 else { return }
        level = min(capacityTicks, level + Int128(units) * Self.ticksPerUnit)
    }

    /// Applies a changed limit at `now`: what was used stays used, so a bucket that was full
    /// stays full and one half-drained by 300 of 600 holds 700 of a new 1,000.
    ///
    /// Lowering a limit below what was already used empties the bucket but does not put it
    /// into debt (a new limit applies from the next request, not retroactively); a debt that
    /// existed before is kept. Refill up to `now` runs at the old rate, after it at the new.
    public mutating func adopt(_ newSpec: BucketSpec, at now: Int64) {
        refill(at: now)
        let newSpec = Self.sanitized(newSpec)
        guard newSpec != spec else { return }
        let used = capacityTicks - level
        let newCapacity = Int128(newSpec.capacity) * Self.ticksPerUnit
        let floor = min(0, level)
        level = max(floor, min(newCapacity, newCapacity - used))
        spec = newSpec
    }

    // MARK: Arithmetic

    private var capacityTicks: Int128 { Int128(spec.capacity) * Self.ticksPerUnit }

    /// The level in ticks at `now`, refilled but not stored.
    private func level(at now: Int64) -> Int128 {
        guard now > updatedAt, spec.refillPerMinute > 0, level < capacityTicks else { return level }
        // Both factors fit in Int64, so the product fits in Int128 with room to spare.
        let elapsed = Int128(now) - Int128(updatedAt)
        return min(capacityTicks, level + elapsed * Int128(spec.refillPerMinute))
    }

    private static func sanitized(_ spec: BucketSpec) -> BucketSpec {
        BucketSpec(capacity: max(0, spec.capacity), refillPerMinute: max(0, spec.refillPerMinute))
    }

    /// Whole units in `ticks`, rounded toward negative infinity.
    private static func units(floorOf ticks: Int128) -> Int64 {
        let (quotient, remainder) = ticks.quotientAndRemainder(dividingBy: ticksPerUnit)
        return clampToInt64(remainder < 0 ? quotient - 1 : quotient)
    }

    /// `a / b` rounded up, for `b > 0`.
    private static func ceilDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let (quotient, remainder) = a.quotientAndRemainder(dividingBy: b)
        return remainder > 0 ? quotient + 1 : quotient
    }

    private static func clampToInt64(_ value: Int128) -> Int64 {
        Int64(clamping: value)
    }
}
