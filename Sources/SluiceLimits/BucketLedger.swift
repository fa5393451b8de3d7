/// One rate limit's bucket as this sidecar sees it.
///
/// Alone (no shared store) the bucket is a local ``TokenBucket`` and is the truth. In a fleet
/// the truth is the store's bucket; the sidecar holds a *lease*, units it drew and may spend
/// without asking, and an estimate of the store's level (the last level it heard, refilling at
/// the limit's rate) to decide when to draw and what to tell clients.
struct BucketLedger: Sendable {
    /// The lease of a fleet sidecar.
    struct Lease: Sendable {
        /// Units this sidecar owns; below 0 when it admitted on credit (at most one lease).
        var balance: Int64 = 0
        /// The store's level as last heard, refilling on its own: an estimate.
        var fleet: TokenBucket
        /// Units drawn at once.
        var size: Int64
        /// Whether a draw is under way (one at a time per bucket).
        var drawing = false
        /// When the last draw finished, to re-ask an empty store only now and then.
        var lastDrawAt: Int64?
        /// When the last draw failed: the next waits a second, so a store that does not answer
        /// is not asked in a tight loop.
        var failedAt: Int64?
        /// A per-process bucket used while the store is down and the policy fails open.
        var fallback: TokenBucket
    }

    /// Which part of the ledger a request was charged to, so its settlement adjusts the same.
    enum Charge: Sendable {
        case local, lease, fallback
    }

    enum Source: Sendable {
        case local(TokenBucket)
        case leased(Lease)
    }

    let id: BucketID
    private(set) var spec: BucketSpec
    private(set) var source: Source

    /// A local bucket when `leaseBasisPoints` is nil, a lease of that share of the limit (at
    /// least one unit) otherwise.
    init(id: BucketID, spec: BucketSpec, leaseBasisPoints: Int?, now: Int64) {
        self.id = id
        self.spec = spec
        if let leaseBasisPoints {
            source = .leased(
                Lease(
                    fleet: TokenBucket(spec: spec, now: now), size: Self.leaseSize(spec, leaseBasisPoints),
                    fallback: TokenBucket(spec: spec, now: now)))
        } else {
            source = .local(TokenBucket(spec: spec, now: now))
        }
    }

    /// `basisPoints` of the capacity, rounded up, at least 1.
    static func leaseSize(_ spec: BucketSpec, _ basisPoints: Int) -> Int64 {
        max(1, (spec.capacity * Int64(basisPoints) + 9_999) / 10_000)
    }

    /// Nanoseconds until `units` could be taken: 0 now, nil never (more than the limit).
    func wait(for units: Int64, now: Int64, storeDown: Bool) -> Int64? {
        guard units <= spec.capacity else { return nil }
        switch source {
        case .local(let bucket):
            return bucket.nanosecondsUntilAvailable(units, at: now)
        case .leased(let lease):
            if storeDown { return lease.fallback.nanosecondsUntilAvailable(units, at: now) }
            if lease.balance >= units { return 0 }
            // On credit: what the lease lacks must still be in the fleet's bucket, and the debt
            // may not pass one lease (the documented overshoot bound).
            let lacking = units - max(0, lease.balance)
            guard lease.balance - units >= -lease.size else {
                return max(1, lease.fleet.nanosecondsUntilAvailable(lacking, at: now) ?? 1_000_000_000)
            }
            return lease.fleet.nanosecondsUntilAvailable(lacking, at: now)
        }
    }

    /// Takes `units` after ``wait(for:now:storeDown:)`` said 0, and says where they went.
    mutating func take(_ units: Int64, now: Int64, storeDown: Bool) -> Charge {
        let units = max(0, units)
        switch source {
        case .local(var bucket):
            bucket.charge(units, at: now)
            source = .local(bucket)
            return .local
        case .leased(var lease):
            defer { source = .leased(lease) }
            if storeDown {
                lease.fallback.charge(units, at: now)
                return .fallback
            }
            let lacking = units - max(0, lease.balance)
            if lacking > 0 { lease.fleet.charge(lacking, at: now) }
            lease.balance -= units
            return .lease
        }
    }

    /// Settles a reservation: `difference` more units used than reserved (less when negative),
    /// on the part that was charged.
    mutating func adjust(by difference: Int64, source charge: Charge, now: Int64) {
        guard difference != 0 else { return }
        switch (source, charge) {
        case (.local(var bucket), _):
            if difference > 0 { bucket.charge(difference, at: now) } else { bucket.credit(-difference, at: now) }
            source = .local(bucket)
        case (.leased(var lease), .fallback):
            if difference > 0 {
                lease.fallback.charge(difference, at: now)
            } else {
                lease.fallback.credit(-difference, at: now)
            }
            source = .leased(lease)
        case (.leased(var lease), _):
            // Given back to the lease at most up to one lease: more was never this sidecar's.
            lease.balance = min(lease.balance - difference, max(lease.balance, lease.size))
            source = .leased(lease)
        }
    }

    /// The header values: the limit, what is left and when the bucket is full again.
    func headerPart(now: Int64) -> RateLimitHeaders.Part {
        switch source {
        case .local(let bucket):
            return RateLimitHeaders.Part(
                limit: spec.capacity, remaining: bucket.available(at: now),
                resetNanoseconds: bucket.nanosecondsUntilFull(at: now))
        case .leased(let lease):
            let remaining = min(spec.capacity, lease.fleet.available(at: now) + max(0, lease.balance))
            return RateLimitHeaders.Part(
                limit: spec.capacity, remaining: remaining,
                resetNanoseconds: lease.fleet.nanosecondsUntilFull(at: now))
        }
    }

    /// Applies a changed limit; what was used stays used.
    mutating func adopt(_ newSpec: BucketSpec, leaseBasisPoints: Int?, now: Int64) {
        spec = newSpec
        switch source {
        case .local(var bucket):
            bucket.adopt(newSpec, at: now)
            source = .local(bucket)
        case .leased(var lease):
            lease.fleet.adopt(newSpec, at: now)
            lease.fallback.adopt(newSpec, at: now)
            if let leaseBasisPoints { lease.size = Self.leaseSize(newSpec, leaseBasisPoints) }
            source = .leased(lease)
        }
    }

    // MARK: Fleet

    /// How many units to draw now, if any: a lease's worth plus any debt, when the balance has
    /// fallen below half a lease, no draw is under way, and the store is believed to have some
    /// (or was last asked over a second ago).
    func unitsToDraw(now: Int64) -> Int64? {
        guard case .leased(let lease) = source, !lease.drawing, lease.balance < (lease.size + 1) / 2 else { return nil }
        if let failedAt = lease.failedAt, now - failedAt < 1_000_000_000 { return nil }
        let recentlyEmpty =
            lease.fleet.available(at: now) == 0 && lease.lastDrawAt.map { now - $0 < 1_000_000_000 } == true
        guard !recentlyEmpty else { return nil }
        return lease.size - lease.balance
    }

    mutating func drawStarted() {
        guard case .leased(var lease) = source else { return }
        lease.drawing = true
        source = .leased(lease)
    }

    /// A draw came back: the units are ours and the store's level is known again.
    mutating func drew(_ grant: LeaseGrant, now: Int64) {
        guard case .leased(var lease) = source else { return }
        lease.balance += grant.granted
        var fleet = TokenBucket(spec: spec, now: now)
        _ = fleet.takeUpTo(spec.capacity - max(0, min(spec.capacity, grant.remaining)), at: now)
        lease.fleet = fleet
        lease.drawing = false
        lease.lastDrawAt = now
        lease.failedAt = nil
        source = .leased(lease)
    }

    /// A draw failed (the store is down); the next tick may try again.
    mutating func drawFailed(now: Int64) {
        guard case .leased(var lease) = source else { return }
        lease.drawing = false
        lease.lastDrawAt = now
        lease.failedAt = now
        source = .leased(lease)
    }

    /// Units owned beyond `keep` leases, to give back to the fleet (on reload or shutdown).
    mutating func releaseSurplus(keeping leases: Int64) -> Int64 {
        guard case .leased(var lease) = source else { return 0 }
        let surplus = lease.balance - leases * lease.size
        guard surplus > 0 else { return 0 }
        lease.balance -= surplus
        source = .leased(lease)
        return surplus
    }

    /// The lease balance (nil for a local bucket), for status and tests.
    var leaseBalance: Int64? {
        guard case .leased(let lease) = source else { return nil }
        return lease.balance
    }
}
