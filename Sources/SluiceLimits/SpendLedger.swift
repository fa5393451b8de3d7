/// One workload's spend as this sidecar knows it, in the UTC day and month of ``day``.
///
/// Alone, the ledger is the truth: settled costs are added to ``known``. In a fleet, ``known``
/// is the store's total as last read, and costs settled here since then wait in ``pending``
/// (not yet handed to the store) or ``sending`` (handed over, not yet confirmed); both count
/// toward the budget meanwhile, so this sidecar never forgets its own spend.
struct SpendLedger: Sendable {
    /// The day ``known`` describes.
    private(set) var day: CalendarDay
    /// The store's totals for ``day`` (or the local totals when alone).
    private(set) var known: SpendTotals
    /// Costs not yet handed to the store, by the day they settled in.
    private(set) var pending: [CalendarDay: NanoUSD] = [:]
    /// Entries handed to the store and not yet confirmed; re-sent as they are (same ids) when a
    /// write failed, so the store counts each once.
    private(set) var sending: [SpendEntry] = []

    init(day: CalendarDay) {
        self.day = day
        self.known = SpendTotals(day: 0, month: 0)
    }

    /// Moves to `today`: a new day starts from 0, and a new month too.
    mutating func roll(to today: CalendarDay) {
        guard today != day else { return }
        let sameMonth = today.year == day.year && today.month == day.month
        known = SpendTotals(day: 0, month: sameMonth ? known.month : 0)
        day = today
    }

    /// The spend of `today` and its month, counting what is not yet confirmed by the store.
    func totals(today: CalendarDay) -> SpendTotals {
        var totals = today == day ? known : SpendTotals(day: 0, month: sameMonth(today, day) ? known.month : 0)
        for (pendingDay, cost) in pending { add(cost, on: pendingDay, to: &totals, today: today) }
        for entry in sending { add(entry.cost, on: entry.day, to: &totals, today: today) }
        return totals
    }

    /// Adds a settled cost: to the truth when alone, to what waits for the store otherwise.
    mutating func add(_ cost: NanoUSD, on today: CalendarDay, shared: Bool) {
        guard cost > 0 else { return }
        roll(to: max(day, today))
        if shared {
            pending[today, default: 0] += cost
        } else if today == day {
            known.day += cost
            known.month += cost
        }
    }

    /// Takes what waits into entries, named `prefix-N` from `sequence`, and marks them as being
    /// sent. Entries from a failed send come first, under their old ids.
    mutating func takeEntries(workload: String, prefix: String, sequence: inout UInt64) -> [SpendEntry] {
        for (entryDay, cost) in pending.sorted(by: { $0.key < $1.key }) {
            sequence += 1
            sending.append(SpendEntry(id: "\(prefix)-\(sequence)", workload: workload, day: entryDay, cost: cost))
        }
        pending = [:]
        return sending
    }

    /// The store has the entries and says the totals are now `totals` for `totalsDay`.
    mutating func confirmed(_ ids: Set<String>, totals: SpendTotals, on totalsDay: CalendarDay) {
        sending.removeAll { ids.contains($0.id) }
        roll(to: max(day, totalsDay))
        if totalsDay == day { known = totals }
    }

    /// New totals read from the store without a write (other sidecars' spend). Ignored while
    /// entries are being sent: the store may or may not count them yet.
    mutating func refreshed(_ totals: SpendTotals, on totalsDay: CalendarDay) {
        guard sending.isEmpty else { return }
        roll(to: max(day, totalsDay))
        if totalsDay == day { known = totals }
    }

    private func sameMonth(_ lhs: CalendarDay, _ rhs: CalendarDay) -> Bool {
        lhs.year == rhs.year && lhs.month == rhs.month
    }

    private func add(_ cost: NanoUSD, on costDay: CalendarDay, to totals: inout SpendTotals, today: CalendarDay) {
        if costDay == today { totals.day += cost }
        if sameMonth(costDay, today) { totals.month += cost }
    }
}
