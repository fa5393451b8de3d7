import SluicePolicy

/// The limiter's side of talking to a shared store. The owner calls these from a background
/// task: nothing here waits, and a request never waits for the store.
extension Limiter {
    /// A draw the owner should make: `units` from `bucket`.
    public struct DrawOrder: Sendable, Hashable {
        public var bucket: BucketID
        public var spec: BucketSpec
        public var units: Int64
    }

    /// The draws to make now, each marked under way until ``drew(_:grant:now:)`` or
    /// ``drawFailed(_:now:)``. Empty without a fleet.
    public mutating func drawOrders(now: Int64) -> [DrawOrder] {
        guard configuration.fleet != nil else { return [] }
        var orders: [DrawOrder] = []
        for (id, ledger) in buckets {
            guard let units = ledger.unitsToDraw(now: now) else { continue }
            buckets[id]?.drawStarted()
            orders.append(DrawOrder(bucket: id, spec: ledger.spec, units: units))
        }
        return orders.sorted { $0.bucket.key < $1.bucket.key }
    }

    /// A draw succeeded: the store is up.
    public mutating func drew(_ order: DrawOrder, grant: LeaseGrant, now: Int64) {
        storeDown = false
        buckets[order.bucket]?.drew(grant, now: now)
    }

    /// A draw failed: the store is down until an exchange succeeds.
    public mutating func drawFailed(_ order: DrawOrder, now: Int64) {
        storeDown = true
        buckets[order.bucket]?.drawFailed(now: now)
    }

    /// Spend to write: every workload's unconfirmed entries (a failed batch again, under the
    /// same ids, so the store counts it once).
    public mutating func spendBatch() -> [SpendEntry] {
        var entries: [SpendEntry] = []
        for workload in ledgers.keys.sorted() {
            entries += ledgers[workload]?.takeEntries(workload: workload, prefix: instance, sequence: &spendSequence) ?? []
        }
        return entries
    }

    /// The store has `entries`, and its totals for their workloads on `day` are `totals`.
    public mutating func spendRecorded(_ entries: [SpendEntry], totals: [String: SpendTotals], on day: CalendarDay) {
        storeDown = false
        let ids = Set(entries.map(\.id))
        for workload in Set(entries.map(\.workload)) {
            guard let workloadTotals = totals[workload] else { continue }
            ledgers[workload]?.confirmed(ids, totals: workloadTotals, on: day)
        }
    }

    /// Writing spend failed: the entries wait and are sent again.
    public mutating func spendFailed() {
        storeDown = true
    }

    /// The workloads with a budget, whose fleet spend the owner should read now and then.
    public var budgetedWorkloads: [String] {
        configuration.workloads.filter { $0.value.budget != nil }.keys.sorted()
    }

    /// The fleet's spend of `workload` as just read from the store.
    public mutating func spendRead(_ totals: SpendTotals, of workload: String, on day: CalendarDay) {
        storeDown = false
        ledgers[workload, default: SpendLedger(day: day)].refreshed(totals, on: day)
    }

    /// What this sidecar owns of each shared bucket, taken out of its leases to give back to
    /// the fleet when it stops: units it drew and will not use.
    public mutating func unusedLeases() -> [DrawOrder] {
        guard configuration.fleet != nil else { return [] }
        var returns: [DrawOrder] = []
        for (id, ledger) in buckets {
            let units = buckets[id]?.releaseSurplus(keeping: 0) ?? 0
            if units > 0 { returns.append(DrawOrder(bucket: id, spec: ledger.spec, units: units)) }
        }
        return returns.sorted { $0.bucket.key < $1.bucket.key }
    }

    /// Marks the store as down (a read failed).
    public mutating func storeFailed() {
        storeDown = true
    }
}
