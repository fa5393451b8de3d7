import SluiceLimits
import Synchronization
import Testing

/// A clock the test moves by hand, in monotonic nanoseconds.
private final class ManualClock: Sendable {
    private let time: Mutex<Int64>
    init(_ start: Int64 = 1_000_000_000) { time = Mutex(start) }
    var now: Int64 { time.withLock { $0 } }
    func advance(_ nanoseconds: Int64) { time.withLock { $0 += nanoseconds } }
    var reader: @Sendable () -> Int64 { { self.now } }
}

private let second: Int64 = 1_000_000_000

@Suite("In-memory limit store")
struct InMemoryLimitStoreTests {
    let requests = BucketID("checkout/requests")
    let spec = BucketSpec.perMinute(600)

    @Test("draws grant up to the level and report what remains")
    func draws() async throws {
        let clock = ManualClock()
        let store = InMemoryLimitStore(now: clock.reader)
        let first = try await store.draw(requests, spec: spec, units: 100)
        #expect(first == LeaseGrant(granted: 100, remaining: 500, nanosecondsUntilFull: 10 * second))
        let second_ = try await store.draw(requests, spec: spec, units: 1_000)
        #expect(second_ == LeaseGrant(granted: 500, remaining: 0, nanosecondsUntilFull: 60 * second))
        let empty = try await store.draw(requests, spec: spec, units: 1)
        #expect(empty.granted == 0)
        // 600 per minute: 1 s refills 10.
        clock.advance(second)
        let refilled = try await store.draw(requests, spec: spec, units: 25)
        #expect(refilled == LeaseGrant(granted: 10, remaining: 0, nanosecondsUntilFull: 60 * second))
        // Other buckets are independent.
        let other = try await store.draw(BucketID("checkout/tokens"), spec: .perMinute(5), units: 9)
        #expect(other.granted == 5)
    }

    @Test("give back returns units, never above capacity")
    func giveBack() async throws {
        let clock = ManualClock()
        let store = InMemoryLimitStore(now: clock.reader)
        _ = try await store.draw(requests, spec: spec, units: 300)
        try await store.giveBack(requests, spec: spec, units: 100)
        #expect(store.bucket(requests)?.available(at: clock.now) == 400)
        try await store.giveBack(requests, spec: spec, units: 10_000)
        #expect(store.bucket(requests)?.available(at: clock.now) == 600)
        // Giving back to a bucket never drawn from leaves it full.
        try await store.giveBack(BucketID("new"), spec: spec, units: 5)
        #expect(store.bucket(BucketID("new"))?.available(at: clock.now) == 600)
        #expect(store.bucket(BucketID("never")) == nil)
    }

    @Test("a changed spec is adopted at once, keeping what was used")
    func adoptsChangedSpec() async throws {
        let clock = ManualClock()
        let store = InMemoryLimitStore(now: clock.reader)
        _ = try await store.draw(requests, spec: spec, units: 200)
        let grant = try await store.draw(requests, spec: .perMinute(1_000), units: 0)
        #expect(grant == LeaseGrant(granted: 0, remaining: 800, nanosecondsUntilFull: 12 * second))
        let lowered = try await store.draw(requests, spec: .perMinute(100), units: 50)
        #expect(lowered.granted == 0, "200 already used of a new 100")
        #expect(lowered.remaining == 0)
    }

    @Test("spend counts each entry id once and sums the day and the month")
    func spendIsIdempotent() async throws {
        let store = InMemoryLimitStore(now: { 0 })
        let nov25 = CalendarDay(year: 2025, month: 11, day: 25)
        let nov26 = CalendarDay(year: 2025, month: 11, day: 26)
        let dec1 = CalendarDay(year: 2025, month: 12, day: 1)
        let batch = [
            SpendEntry(id: "pod-a:1", workload: "checkout", day: nov25, cost: 1_000),
            SpendEntry(id: "pod-a:2", workload: "checkout", day: nov25, cost: 2_000),
            SpendEntry(id: "pod-b:1", workload: "checkout", day: nov26, cost: 4_000),
            SpendEntry(id: "pod-b:2", workload: "search", day: nov26, cost: 8_000),
            SpendEntry(id: "pod-b:3", workload: "checkout", day: dec1, cost: 16_000),
        ]
        try await store.record(batch)
        try await store.record(batch) // a retried batch
        try await store.record([batch[1], batch[2]])
        #expect(store.recordNow(batch) == 0)
        #expect(try await store.spend(of: "checkout", on: nov25) == SpendTotals(day: 3_000, month: 7_000))
        #expect(try await store.spend(of: "checkout", on: nov26) == SpendTotals(day: 4_000, month: 7_000))
        #expect(try await store.spend(of: "checkout", on: CalendarDay(year: 2025, month: 11, day: 30)) == SpendTotals(day: 0, month: 7_000))
        #expect(try await store.spend(of: "checkout", on: dec1) == SpendTotals(day: 16_000, month: 16_000))
        #expect(try await store.spend(of: "search", on: nov26) == SpendTotals(day: 8_000, month: 8_000))
        #expect(try await store.spend(of: "unknown", on: nov26) == SpendTotals(day: 0, month: 0))
        // The same month of another year is another month.
        #expect(try await store.spend(of: "checkout", on: CalendarDay(year: 2024, month: 11, day: 25)) == SpendTotals(day: 0, month: 0))
    }

    @Test("ids within a batch count once too, and only the most recent ids are remembered")
    func rememberedIDs() {
        let store = InMemoryLimitStore(now: { 0 }, rememberedEntryIDs: 3)
        let day = CalendarDay(year: 2026, month: 1, day: 1)
        func entry(_ id: Int) -> SpendEntry { SpendEntry(id: "i:\(id)", workload: "w", day: day, cost: 1) }
        #expect(store.recordNow([entry(1), entry(1), entry(2)]) == 2)
        #expect(store.recordNow([entry(3), entry(2)]) == 1)
        #expect(store.recordNow([entry(4)]) == 1) // forgets i:1
        #expect(store.recordNow([entry(2), entry(3), entry(4)]) == 0)
        #expect(store.recordNow([entry(1)]) == 1, "forgotten after 3 newer ids")
        #expect(store.spendNow(of: "w", on: day) == SpendTotals(day: 5, month: 5))
        for id in 5..<1_000 { store.recordNow([entry(id)]) }
        #expect(store.recordNow([entry(997), entry(998), entry(999)]) == 0)
        #expect(store.spendNow(of: "w", on: day).day == 5 + 995)
    }

    @Test("many tasks drawing at once never get more than the bucket holds")
    func concurrentDraws() async throws {
        let clock = ManualClock()
        let store = InMemoryLimitStore(now: clock.reader)
        let spec = BucketSpec.perMinute(1_000)
        let total = try await withThrowingTaskGroup(of: Int64.self) { group in
            for task in 0..<64 {
                group.addTask {
                    var got: Int64 = 0
                    for draw in 0..<50 {
                        got += try await store.draw(self.requests, spec: spec, units: Int64(1 + (task + draw) % 7)).granted
                    }
                    return got
                }
            }
            return try await group.reduce(0, +)
        }
        // 64 × 50 draws of 1–7 ask for far more than 1,000; the clock stood still.
        #expect(total == 1_000)
        #expect(store.bucket(requests)?.available(at: clock.now) == 0)
    }

    @Test("concurrent draws while time moves stay within capacity plus refill")
    func concurrentDrawsWithRefill() async throws {
        let clock = ManualClock()
        let store = InMemoryLimitStore(now: clock.reader)
        let spec = BucketSpec.perMinute(600) // 10 per second
        let total = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var got: Int64 = 0
                    for _ in 0..<200 {
                        clock.advance(10_000_000) // 10 ms per draw, from every task
                        got += try await store.draw(self.requests, spec: spec, units: 3).granted
                    }
                    return got
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = 16 * 200 * 10_000_000 as Int64 // 32 s: 320 units refilled
        #expect(total <= 600 + elapsed * 600 / (60 * second))
        #expect(total >= 600 + elapsed * 600 / (60 * second) - 3 * 16, "no units lost beyond those in flight")
    }

    @Test("concurrent retried batches count each entry once")
    func concurrentRecords() async throws {
        let store = InMemoryLimitStore(now: { 0 })
        let day = CalendarDay(year: 2025, month: 2, day: 28)
        let entries = (0..<200).map { SpendEntry(id: "pod:\($0)", workload: "w", day: day, cost: 1_000) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    // Each task writes the whole set, in its own order and batch size.
                    let rotated = Array(entries[(task * 7 % 200)...] + entries[..<(task * 7 % 200)])
                    for start in stride(from: 0, to: 200, by: 1 + task % 13) {
                        try await store.record(Array(rotated[start..<min(200, start + 1 + task % 13)]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.spend(of: "w", on: day) == SpendTotals(day: 200_000, month: 200_000))
    }

    @Test("the default clock is monotonic and serves a store")
    func defaultClock() async throws {
        let read = InMemoryLimitStore.monotonicNanoseconds()
        var last = read()
        #expect(last >= 0)
        for _ in 0..<1_000 {
            let next = read()
            #expect(next >= last)
            last = next
        }
        let store = InMemoryLimitStore()
        #expect(try await store.draw(requests, spec: spec, units: 600).granted == 600)
        #expect(try await store.draw(requests, spec: spec, units: 600).granted < 600)
    }
}
