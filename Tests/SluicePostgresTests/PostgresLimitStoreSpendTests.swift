import SluiceLimits
import SluicePostgres
import Testing

@Suite("PostgresLimitStore spend")
struct PostgresLimitStoreSpendTests {
    @Test("a batch recorded twice, or overlapping another, counts each entry once")
    func recordIsIdempotent() async throws {
        try await TestDatabase.withStore { store in
            let workload = TestDatabase.unique("idem")
            let day = CalendarDay(year: 2026, month: 11, day: 25)
            func entry(_ n: Int, _ cost: NanoUSD) -> SpendEntry {
                SpendEntry(id: "\(workload)/\(n)", workload: workload, day: day, cost: cost)
            }
            let batch = [entry(1, 100), entry(2, 20), entry(3, 3)]
            try await store.record(batch)
            try await store.record(batch)
            #expect(try await store.spend(of: workload, on: day) == SpendTotals(day: 123, month: 123))

            // Two already there, one new; and a repeat inside the batch itself.
            try await store.record([entry(2, 20), entry(3, 3), entry(4, 4000), entry(4, 4000)])
            #expect(try await store.spend(of: workload, on: day) == SpendTotals(day: 4123, month: 4123))
        }
    }

    @Test("the same batch sent by two stores at once counts once")
    func concurrentRetriesCountOnce() async throws {
        let workload = TestDatabase.unique("twice")
        let day = CalendarDay(year: 2026, month: 11, day: 25)
        let batch = (0..<200).map { SpendEntry(id: "\(workload)/\($0)", workload: workload, day: day, cost: 5) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask { try await TestDatabase.withStore { try await $0.record(batch) } }
            }
            try await group.waitForAll()
        }
        let totals = try await TestDatabase.withStore { store in
            try await store.spend(of: workload, on: day)
        }
        #expect(totals == SpendTotals(day: 1000, month: 1000))
    }

    @Test("day and month totals follow the calendar across a month's end")
    func dayAndMonthTotals() async throws {
        try await TestDatabase.withStore { store in
            let workload = TestDatabase.unique("month")
            let other = TestDatabase.unique("other")
            let november15 = CalendarDay(year: 2026, month: 11, day: 15)
            let november30 = CalendarDay(year: 2026, month: 11, day: 30)
            let december1 = CalendarDay(year: 2026, month: 12, day: 1)
            let december2 = CalendarDay(year: 2026, month: 12, day: 2)
            let december15 = CalendarDay(year: 2026, month: 12, day: 15)
            try await store.record([
                SpendEntry(id: "\(workload)/1", workload: workload, day: november15, cost: 5),
                SpendEntry(id: "\(workload)/2", workload: workload, day: november30, cost: 10),
                SpendEntry(id: "\(workload)/3", workload: workload, day: december1, cost: 20),
                SpendEntry(id: "\(workload)/4", workload: workload, day: december15, cost: 40),
                SpendEntry(id: "\(other)/1", workload: other, day: december1, cost: 1000),
            ])
            #expect(try await store.spend(of: workload, on: november30) == SpendTotals(day: 10, month: 15))
            #expect(try await store.spend(of: workload, on: december1) == SpendTotals(day: 20, month: 60))
            #expect(try await store.spend(of: workload, on: december2) == SpendTotals(day: 0, month: 60))
            #expect(try await store.spend(of: other, on: december1) == SpendTotals(day: 1000, month: 1000))
            #expect(
                try await store.spend(of: TestDatabase.unique("none"), on: december1) == SpendTotals(day: 0, month: 0)
            )
        }
    }

    @Test("an empty batch is a no-op")
    func emptyBatch() async throws {
        try await TestDatabase.withStore { store in
            try await store.record([])
        }
    }
}
