import PostgresNIO
import SluiceLimits
import SluicePostgres
import Testing

@Suite("PostgresLimitStore buckets")
struct PostgresLimitStoreBucketTests {
    @Test("a new bucket starts full and grants min(units, level)")
    func newBucketStartsFull() async throws {
        try await TestDatabase.withStore { store in
            let bucket = BucketID(TestDatabase.unique("full"))
            let spec = BucketSpec(capacity: 100, refillPerMinute: 0)
            let first = try await store.draw(bucket, spec: spec, units: 30)
            #expect(first == LeaseGrant(granted: 30, remaining: 70, nanosecondsUntilFull: .max))
            let second = try await store.draw(bucket, spec: spec, units: 500)
            #expect(second.granted == 70)
            #expect(second.remaining == 0)
            let empty = try await store.draw(bucket, spec: spec, units: 1)
            #expect(empty.granted == 0)
        }
    }

    @Test("draws from three stores at once never grant more than the capacity")
    func concurrentDrawsNeverOvergrant() async throws {
        let bucket = BucketID(TestDatabase.unique("race"))
        let spec = BucketSpec(capacity: 100, refillPerMinute: 0)
        let totals = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await TestDatabase.withStore { store in
                        var granted: Int64 = 0
                        for _ in 0..<20 {
                            granted += try await store.draw(bucket, spec: spec, units: 7).granted
                        }
                        return granted
                    }
                }
            }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        // 420 units asked for, 100 there: the bucket is drained exactly, never overdrawn.
        #expect(totals.reduce(0, +) == 100)
    }

    @Test("a bucket refills at its rate by the database's clock")
    func refills() async throws {
        try await TestDatabase.withStore { store in
            let bucket = BucketID(TestDatabase.unique("refill"))
            let spec = BucketSpec.perMinute(60)
            let drained = try await store.draw(bucket, spec: spec, units: 60)
            #expect(drained.granted == 60)
            #expect(drained.remaining == 0)
            #expect((59_000_000_000...60_000_000_000).contains(drained.nanosecondsUntilFull))

            // Thirty seconds pass for the bucket: its last change moves back instead of the test
            // sleeping. At 60 a minute, that is 30 units.
            try await TestDatabase.backdate(bucket, by: 30)
            let refilled = try await store.draw(bucket, spec: spec, units: 100)
            #expect((30...31).contains(refilled.granted))

            // And it never fills past capacity, however long it rests.
            try await TestDatabase.backdate(bucket, by: 3600)
            let full = try await store.draw(bucket, spec: spec, units: 0)
            #expect(full == LeaseGrant(granted: 0, remaining: 60, nanosecondsUntilFull: 0))
        }
    }

    @Test("a bucket refills in real time too")
    func refillsInRealTime() async throws {
        try await TestDatabase.withStore { store in
            let bucket = BucketID(TestDatabase.unique("tick"))
            let spec = BucketSpec.perMinute(6000)  // 100 a second
            // The server's clock decides the refill; the time between the two draws as seen here brackets
            // it, so a slow machine (or a loaded CI runner) moves both bounds instead of failing the test.
            let clock = ContinuousClock()
            let beforeFirst = clock.now
            _ = try await store.draw(bucket, spec: spec, units: 6000)
            let afterFirst = clock.now
            try await Task.sleep(for: .milliseconds(200))
            let beforeSecond = clock.now
            let refilled = try await store.draw(bucket, spec: spec, units: 6000)
            let afterSecond = clock.now
            func units(_ elapsed: Duration) -> Double {
                Double(elapsed.components.seconds) * 100 + Double(elapsed.components.attoseconds) / 1e16
            }
            let least = Int64(units(beforeSecond - afterFirst).rounded(.down)) - 1
            let most = Int64(units(afterSecond - beforeFirst).rounded(.up)) + 1
            #expect(least >= 19, "the test slept 200 ms")
            #expect(
                (least...most).contains(refilled.granted), "refilled \(refilled.granted), expected \(least)...\(most)")
        }
    }

    @Test("a changed spec is adopted: what was used stays used")
    func adoptsChangedSpec() async throws {
        try await TestDatabase.withStore { store in
            let bucket = BucketID(TestDatabase.unique("spec"))
            _ = try await store.draw(bucket, spec: BucketSpec(capacity: 100, refillPerMinute: 0), units: 30)

            // 30 used: 20 of a lowered 50 are left, and none of a limit below 30.
            let lowered = try await store.draw(bucket, spec: BucketSpec(capacity: 50, refillPerMinute: 0), units: 0)
            #expect(lowered.remaining == 20)
            let tiny = try await store.draw(bucket, spec: BucketSpec(capacity: 10, refillPerMinute: 0), units: 0)
            #expect(tiny.remaining == 0)

            // Back to 100 from empty at 10: 90 of 100; then to 200 at 600 a minute: 190, the
            // last 10 due in a second.
            let back = try await store.draw(bucket, spec: BucketSpec(capacity: 100, refillPerMinute: 0), units: 0)
            #expect(back.remaining == 90)
            let raised = try await store.draw(bucket, spec: BucketSpec(capacity: 200, refillPerMinute: 600), units: 0)
            #expect(raised.remaining == 190)
            #expect((900_000_000...1_000_000_000).contains(raised.nanosecondsUntilFull))

            // A full bucket stays full when its limit rises.
            let full = BucketID(TestDatabase.unique("spec-full"))
            _ = try await store.draw(full, spec: .perMinute(100), units: 0)
            #expect(try await store.draw(full, spec: .perMinute(1000), units: 0).remaining == 1000)
        }
    }

    @Test("giving back adds units, never past capacity")
    func giveBackCapsAtCapacity() async throws {
        try await TestDatabase.withStore { store in
            let bucket = BucketID(TestDatabase.unique("back"))
            let spec = BucketSpec(capacity: 60, refillPerMinute: 0)
            _ = try await store.draw(bucket, spec: spec, units: 10)
            try await store.giveBack(bucket, spec: spec, units: 5)
            #expect(try await store.draw(bucket, spec: spec, units: 0).remaining == 55)
            try await store.giveBack(bucket, spec: spec, units: 30)
            #expect(try await store.draw(bucket, spec: spec, units: 1000).granted == 60)

            // Giving back to a bucket never drawn from leaves it full, not over.
            let fresh = BucketID(TestDatabase.unique("back-fresh"))
            try await store.giveBack(fresh, spec: spec, units: 10)
            #expect(try await store.draw(fresh, spec: spec, units: 1000).granted == 60)
        }
    }
}

extension TestDatabase {
    /// Moves `bucket`'s last change `seconds` into the past, as if that much time had gone by.
    static func backdate(_ bucket: BucketID, by seconds: Int) async throws {
        let configuration = try Self.configuration()
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host,
                port: configuration.port,
                username: configuration.username,
                password: configuration.password,
                database: configuration.database,
                tls: .disable
            ),
            id: 1,
            logger: Logger(label: "test")
        )
        let interval = "\(seconds) seconds"
        try await connection.query(
            "UPDATE sluice_buckets SET updated = updated - \(interval)::interval WHERE id = \(bucket.key)",
            logger: Logger(label: "test")
        )
        try await connection.close()
    }
}
