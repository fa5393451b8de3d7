import SluiceLimits
import Testing

/// Nanoseconds in a second and a minute, for reading the times below.
private let second: Int64 = 1_000_000_000
private let minute: Int64 = 60 * second

@Suite("Token bucket")
struct TokenBucketTests {
    let t0: Int64 = 5 * minute

    @Test("starts full")
    func startsFull() {
        let bucket = TokenBucket(spec: .perMinute(600), now: t0)
        #expect(bucket.available(at: t0) == 600)
        #expect(bucket.used(at: t0) == 0)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 0)
        #expect(bucket.nanosecondsUntilAvailable(600, at: t0) == 0)
    }

    @Test("refills one unit per 100 ms at 600 per minute, exactly at the boundary")
    func refillsAtExactTimes() {
        var bucket = TokenBucket(spec: .perMinute(600), now: t0)
        #expect(bucket.take(600, at: t0) == true)
        #expect(bucket.available(at: t0) == 0)
        #expect(bucket.available(at: t0 + 100_000_000 - 1) == 0)
        #expect(bucket.available(at: t0 + 100_000_000) == 1)
        #expect(bucket.available(at: t0 + 30 * second) == 300)
        #expect(bucket.available(at: t0 + minute) == 600)
        #expect(bucket.available(at: t0 + 10 * minute) == 600, "never above capacity")
    }

    @Test("a rate that does not divide the minute keeps its fractions: 7 per minute")
    func fractionalRefill() {
        var bucket = TokenBucket(spec: .perMinute(7), now: t0)
        #expect(bucket.take(7, at: t0) == true)
        // One unit every 60/7 s = 8_571_428_571.43 ns.
        #expect(bucket.available(at: t0 + 8_571_428_571) == 0)
        #expect(bucket.available(at: t0 + 8_571_428_572) == 1)
        #expect(bucket.nanosecondsUntilAvailable(1, at: t0) == 8_571_428_572)
        #expect(bucket.nanosecondsUntilAvailable(7, at: t0) == minute)
        // Refilling in many small steps loses nothing against one step.
        var stepped = bucket
        for step in 1...1_000 { stepped.refill(at: t0 + Int64(step) * 3_333_333) }
        let end = t0 + 1_000 * 3_333_333
        #expect(stepped.available(at: end) == bucket.available(at: end))
        #expect(stepped.nanosecondsUntilFull(at: end) == bucket.nanosecondsUntilFull(at: end))
    }

    @Test("take is all or nothing")
    func takeAllOrNothing() {
        var bucket = TokenBucket(spec: .perMinute(10), now: t0)
        #expect(bucket.take(7, at: t0) == true)
        #expect(bucket.take(4, at: t0) == false)
        #expect(bucket.available(at: t0) == 3)
        #expect(bucket.take(3, at: t0) == true)
        #expect(bucket.take(1, at: t0) == false)
        #expect(bucket.take(0, at: t0) == true)
        #expect(bucket.available(at: t0) == 0)
    }

    @Test("takeUpTo grants what is there, in whole units")
    func partialTakes() {
        var bucket = TokenBucket(spec: .perMinute(100), now: t0)
        #expect(bucket.takeUpTo(30, at: t0) == 30)
        #expect(bucket.takeUpTo(100, at: t0) == 70)
        #expect(bucket.takeUpTo(5, at: t0) == 0)
        // 0.9 of a unit refilled is not a unit.
        #expect(bucket.takeUpTo(5, at: t0 + 540_000_000) == 0)
        #expect(bucket.takeUpTo(5, at: t0 + 600_000_000) == 1)
        #expect(bucket.takeUpTo(-3, at: t0 + minute) == 0)
        #expect(bucket.takeUpTo(0, at: t0 + minute) == 0)
    }

    @Test("a charge beyond the level is debt, repaid by refill before anything is granted")
    func debtAndRecovery() {
        var bucket = TokenBucket(spec: .perMinute(1_000), now: t0)
        #expect(bucket.take(800, at: t0) == true)
        bucket.charge(700, at: t0) // the request used 1,500, not 800
        #expect(bucket.balance(at: t0) == -500)
        #expect(bucket.available(at: t0) == 0)
        #expect(bucket.used(at: t0) == 1_500)
        #expect(bucket.take(1, at: t0) == false)
        // 1,000 per minute: 30 s repays the debt, 36 s more gives 600.
        #expect(bucket.balance(at: t0 + 30 * second) == 0)
        #expect(bucket.nanosecondsUntilAvailable(600, at: t0) == 66 * second)
        #expect(bucket.available(at: t0 + 66 * second) == 600)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 90 * second)
        #expect(bucket.available(at: t0 + 90 * second) == 1_000)
    }

    @Test("a credit gives back units but never above capacity")
    func credit() {
        var bucket = TokenBucket(spec: .perMinute(100), now: t0)
        #expect(bucket.take(80, at: t0) == true)
        bucket.credit(30, at: t0)
        #expect(bucket.available(at: t0) == 50)
        bucket.credit(500, at: t0)
        #expect(bucket.available(at: t0) == 100)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 0)
        bucket.credit(-5, at: t0)
        bucket.charge(-5, at: t0)
        #expect(bucket.available(at: t0) == 100)
    }

    @Test("credit repays a debt")
    func creditRepaysDebt() {
        var bucket = TokenBucket(spec: .perMinute(100), now: t0)
        bucket.charge(150, at: t0)
        #expect(bucket.balance(at: t0) == -50)
        bucket.credit(70, at: t0)
        #expect(bucket.balance(at: t0) == 20)
    }

    @Test("until-available and until-full round up to the nanosecond and say never")
    func untilMath() {
        var bucket = TokenBucket(spec: BucketSpec(capacity: 10, refillPerMinute: 3), now: t0)
        #expect(bucket.take(10, at: t0) == true)
        // 3 per minute: one unit per 20 s.
        #expect(bucket.nanosecondsUntilAvailable(1, at: t0) == 20 * second)
        #expect(bucket.nanosecondsUntilAvailable(1, at: t0 + 5 * second) == 15 * second)
        #expect(bucket.nanosecondsUntilAvailable(1, at: t0 + 20 * second) == 0)
        #expect(bucket.nanosecondsUntilAvailable(10, at: t0) == 200 * second)
        #expect(bucket.nanosecondsUntilAvailable(11, at: t0) == nil, "more than the capacity: never")
        #expect(bucket.nanosecondsUntilAvailable(0, at: t0) == 0)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 200 * second)
        #expect(bucket.nanosecondsUntilFull(at: t0 + 199 * second) == second)

        // 7 per minute from empty: the first unit at ceil(60e9 / 7) ns.
        var odd = TokenBucket(spec: .perMinute(7), now: 0)
        #expect(odd.take(7, at: 0) == true)
        #expect(odd.nanosecondsUntilAvailable(1, at: 0) == 8_571_428_572)
        #expect(odd.nanosecondsUntilAvailable(2, at: 0) == 17_142_857_143)
        // Waiting exactly that long really makes the units available.
        #expect(odd.available(at: 8_571_428_572) == 1)
        #expect(odd.available(at: 17_142_857_143) == 2)
        #expect(odd.available(at: 17_142_857_142) == 1)
    }

    @Test("a refill rate of 0 never refills")
    func rateZero() {
        var bucket = TokenBucket(spec: BucketSpec(capacity: 5, refillPerMinute: 0), now: t0)
        #expect(bucket.take(3, at: t0) == true)
        #expect(bucket.available(at: t0 + 1_000 * minute) == 2)
        #expect(bucket.nanosecondsUntilAvailable(2, at: t0) == 0)
        #expect(bucket.nanosecondsUntilAvailable(3, at: t0) == nil)
        #expect(bucket.nanosecondsUntilFull(at: t0) == .max)
        bucket.credit(3, at: t0)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 0)
    }

    @Test("a capacity of 0 grants nothing, ever")
    func capacityZero() {
        var bucket = TokenBucket(spec: .perMinute(0), now: t0)
        #expect(bucket.take(1, at: t0 + minute) == false)
        #expect(bucket.takeUpTo(10, at: t0 + minute) == 0)
        #expect(bucket.nanosecondsUntilAvailable(1, at: t0) == nil)
        #expect(bucket.nanosecondsUntilFull(at: t0) == 0)
        let negative = TokenBucket(spec: BucketSpec(capacity: -5, refillPerMinute: -1), now: t0)
        #expect(negative.spec == BucketSpec(capacity: 0, refillPerMinute: 0))
    }

    @Test("a time earlier than the last one seen refills nothing and takes effect at the last")
    func timeGoingBackwards() {
        var bucket = TokenBucket(spec: .perMinute(60), now: t0)
        #expect(bucket.take(60, at: t0 + 10 * second) == true) // level 60 at t0+10s (capped)
        #expect(bucket.available(at: t0) == 0)
        #expect(bucket.take(0, at: t0 + 5 * second) == true)
        #expect(bucket.updatedAt == t0 + 10 * second)
        #expect(bucket.available(at: t0 + 11 * second) == 1)
    }

    @Test("adopting a higher limit keeps what was used")
    func adoptRaise() {
        var bucket = TokenBucket(spec: .perMinute(600), now: t0)
        #expect(bucket.take(300, at: t0) == true)
        bucket.adopt(.perMinute(1_000), at: t0)
        #expect(bucket.spec == .perMinute(1_000))
        #expect(bucket.available(at: t0) == 700)
        #expect(bucket.used(at: t0) == 300)
        // The new rate applies from now: 1,000 per minute refills 300 in 18 s.
        #expect(bucket.nanosecondsUntilFull(at: t0) == 18 * second)
    }

    @Test("adopting a full bucket's new limit leaves it full")
    func adoptFull() {
        var bucket = TokenBucket(spec: .perMinute(600), now: t0)
        bucket.adopt(.perMinute(50), at: t0 + minute)
        #expect(bucket.available(at: t0 + minute) == 50)
        bucket.adopt(.perMinute(5_000), at: t0 + minute)
        #expect(bucket.available(at: t0 + minute) == 5_000)
    }

    @Test("adopting a lower limit clamps to the new capacity and does not create debt")
    func adoptLower() {
        var bucket = TokenBucket(spec: .perMinute(1_000), now: t0)
        #expect(bucket.take(100, at: t0) == true)
        bucket.adopt(.perMinute(500), at: t0)
        #expect(bucket.available(at: t0) == 400)

        var drained = TokenBucket(spec: .perMinute(1_000), now: t0)
        #expect(drained.take(800, at: t0) == true)
        drained.adopt(.perMinute(500), at: t0)
        #expect(drained.balance(at: t0) == 0)
        #expect(drained.nanosecondsUntilFull(at: t0) == minute)

        var inDebt = TokenBucket(spec: .perMinute(100), now: t0)
        inDebt.charge(150, at: t0)
        inDebt.adopt(.perMinute(40), at: t0)
        #expect(inDebt.balance(at: t0) == -50, "an existing debt is kept")
    }

    @Test("adopt refills at the old rate up to the change, the new rate after it")
    func adoptRates() {
        var bucket = TokenBucket(spec: BucketSpec(capacity: 1_000, refillPerMinute: 60), now: t0)
        #expect(bucket.take(1_000, at: t0) == true)
        bucket.adopt(BucketSpec(capacity: 1_000, refillPerMinute: 600), at: t0 + 10 * second)
        #expect(bucket.available(at: t0 + 10 * second) == 10)
        #expect(bucket.available(at: t0 + 20 * second) == 110)
    }

    @Test("huge limits and long idle times do not overflow")
    func noOverflow() {
        let huge = BucketSpec(capacity: Int64.max / 2, refillPerMinute: Int64.max / 2)
        var bucket = TokenBucket(spec: huge, now: 0)
        #expect(bucket.available(at: 0) == Int64.max / 2)
        #expect(bucket.take(Int64.max / 2, at: 0) == true)
        #expect(bucket.available(at: Int64.max) == Int64.max / 2)
        bucket.charge(Int64.max, at: Int64.max)
        bucket.charge(Int64.max, at: Int64.max)
        #expect(bucket.balance(at: Int64.max) == -Int64.max)
        #expect(bucket.used(at: Int64.max) == .max)
        #expect(bucket.nanosecondsUntilFull(at: Int64.max) > 0)

        // 150 million tokens per minute (OpenAI's largest tiers), idle for a year.
        var tokens = TokenBucket(spec: .perMinute(150_000_000), now: 0)
        #expect(tokens.takeUpTo(200_000_000, at: 0) == 150_000_000)
        #expect(tokens.available(at: 365 * 24 * 60 * minute) == 150_000_000)
        #expect(tokens.nanosecondsUntilAvailable(1, at: 0) == 400) // 60e9 / 150e6
    }

    @Test("many interleaved takes never exceed capacity plus refill")
    func neverOverGrants() {
        var bucket = TokenBucket(spec: .perMinute(120), now: 0)
        var granted: Int64 = 0
        var now: Int64 = 0
        // Deterministic pseudo-random takes over 10 minutes.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        while now < 10 * minute {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let units = Int64(seed >> 60) // 0...15
            now += Int64((seed >> 20) % 2_000_000_000)
            granted += bucket.takeUpTo(units, at: now)
            #expect(granted <= 120 + now * 120 / minute)
        }
        // Granted plus what is left never exceeds the start plus everything that flowed in.
        #expect(granted + bucket.balance(at: now) <= 120 + now * 120 / minute)
        #expect(granted > 600, "the takes did drain the bucket repeatedly")
    }
}
