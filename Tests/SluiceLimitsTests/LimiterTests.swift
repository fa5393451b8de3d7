import SluicePolicy
import Testing

@testable import SluiceLimits

/// A manual clock: monotonic nanoseconds and the wall clock move together.
private struct Clock {
    var now: Int64 = 1_000_000_000
    /// 2026-11-25T12:00:00Z.
    var unix: Int64 = 1_795_608_000

    mutating func advance(seconds: Double) {
        let ns = Int64(seconds * 1e9)
        now += ns
        unix += ns / 1_000_000_000
    }
}

private func limiter(_ workloads: [String: LimitSettings], fleet: LimiterConfiguration.Fleet? = nil, clock: Clock)
    -> Limiter
{
    Limiter(
        configuration: LimiterConfiguration(
            workloads: workloads, fleet: fleet, reservationLifetimeNanoseconds: 60_000_000_000),
        instance: "pod-a", now: clock.now)
}

extension Admission {
    var ticket: LimitTicket? {
        if case .admitted(let ticket, _) = self { return ticket }
        return nil
    }
    var rejection: LimitRejection? {
        if case .rejected(let rejection, _) = self { return rejection }
        return nil
    }
    var headers: RateLimitHeaders? {
        switch self {
        case .admitted(_, let headers), .rejected(_, let headers): headers
        case .storeUnavailable: nil
        }
    }
}

@Suite("Limiter: rates, tokens, concurrency, expiry")
struct LimiterTests {
    @Test("requests per minute: the limit is admitted, the next waits for one refill")
    func requestsPerMinute() throws {
        var clock = Clock()
        var limits = limiter(["app": LimitSettings(rates: RateLimits(requestsPerMinute: 3))], clock: clock)
        for _ in 0..<3 {
            let ticket = try #require(
                limits.admit(workload: "app", model: "m", estimatedTokens: 10, now: clock.now, unixSeconds: clock.unix)
                    .ticket)
            limits.settle(ticket, tokens: 10, cost: 0, now: clock.now, unixSeconds: clock.unix)
        }
        let refused = limits.admit(workload: "app", model: "m", estimatedTokens: 10, now: clock.now, unixSeconds: clock.unix)
        let rejection = try #require(refused.rejection)
        #expect(rejection.kind == .requestsPerMinute)
        #expect(rejection.scope == .workload("app"))
        #expect(rejection.retryAfterNanoseconds == 20_000_000_000)
        #expect(rejection.shouldRetry)
        #expect(rejection.message == "Rate limit reached for workload 'app': requests_per_minute is 3. Try again in 20s.")
        #expect(refused.headers?.requests == RateLimitHeaders.Part(limit: 3, remaining: 0, resetNanoseconds: 60_000_000_000))
        clock.advance(seconds: 19.999)
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).rejection != nil)
        clock.advance(seconds: 0.001)
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket != nil)
    }

    @Test("tokens: the estimate is reserved, settled on real usage, the unused part released")
    func tokensEstimateAndSettle() throws {
        let clock = Clock()
        var limits = limiter(["app": LimitSettings(rates: RateLimits(tokensPerMinute: 1000))], clock: clock)
        let first = try #require(
            limits.admit(workload: "app", model: "m", estimatedTokens: 600, now: clock.now, unixSeconds: clock.unix).ticket)
        #expect(limits.bucketState(.workload("app"), .tokensPerMinute, now: clock.now)?.remaining == 400)
        // A second request of 600 does not fit while the first holds its estimate.
        let waiting = limits.admit(workload: "app", model: "m", estimatedTokens: 600, now: clock.now, unixSeconds: clock.unix)
        #expect(waiting.rejection?.kind == .tokensPerMinute)
        #expect(waiting.rejection?.retryAfterNanoseconds == 12_000_000_000)
        limits.settle(first, tokens: 150, cost: 0, now: clock.now, unixSeconds: clock.unix)
        #expect(limits.bucketState(.workload("app"), .tokensPerMinute, now: clock.now)?.remaining == 850)
        let second = try #require(
            limits.admit(workload: "app", model: "m", estimatedTokens: 600, now: clock.now, unixSeconds: clock.unix).ticket)
        // Usage above the estimate is charged: the bucket goes into debt.
        limits.settle(second, tokens: 1100, cost: 0, now: clock.now, unixSeconds: clock.unix)
        #expect(limits.bucketState(.workload("app"), .tokensPerMinute, now: clock.now)?.remaining == 0)
        let inDebt = limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix)
        // 250 tokens of debt plus 1 at 1000 per minute: 15.06 s.
        #expect(inDebt.rejection?.retryAfterNanoseconds == 15_060_000_000)
    }

    @Test("a request larger than the token limit can never fit: no retry")
    func tooLarge() throws {
        let clock = Clock()
        var limits = limiter(["app": LimitSettings(rates: RateLimits(tokensPerMinute: 1000))], clock: clock)
        let rejection = try #require(
            limits.admit(workload: "app", model: "m", estimatedTokens: 5000, now: clock.now, unixSeconds: clock.unix)
                .rejection)
        #expect(rejection.retryAfterNanoseconds == nil)
        #expect(!rejection.shouldRetry)
        #expect(rejection.message.hasPrefix("Request too large for workload 'app': it needs about 5000 tokens"))
    }

    @Test("max_concurrent counts until settle; settling twice frees one slot only")
    func concurrency() throws {
        let clock = Clock()
        var limits = limiter(["app": LimitSettings(rates: RateLimits(maxConcurrent: 2))], clock: clock)
        let one = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket)
        let two = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket)
        let third = limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix)
        #expect(third.rejection?.kind == .maxConcurrent)
        #expect(third.rejection?.message == "Too many requests in flight for workload 'app': max_concurrent is 2. Try again in 1s.")
        limits.settle(one, tokens: 1, cost: 0, now: clock.now, unixSeconds: clock.unix)
        limits.settle(one, tokens: 1, cost: 0, now: clock.now, unixSeconds: clock.unix)
        #expect(limits.inFlight(.workload("app")) == 1)
        let four = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket)
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).rejection != nil)
        limits.settle(two, tokens: 1, cost: 0, now: clock.now, unixSeconds: clock.unix)
        limits.settle(four, tokens: 1, cost: 0, now: clock.now, unixSeconds: clock.unix)
        #expect(limits.inFlight(.workload("app")) == 0)
    }

    @Test("an abandoned reservation expires: its slot is freed, its estimate stays charged")
    func expiry() throws {
        var clock = Clock()
        var limits = limiter(
            ["app": LimitSettings(rates: RateLimits(tokensPerMinute: 100, maxConcurrent: 1))], clock: clock)
        let lost = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 100, now: clock.now, unixSeconds: clock.unix).ticket)
        clock.advance(seconds: 59)
        #expect(limits.expire(now: clock.now) == 0)
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).rejection?.kind == .maxConcurrent)
        clock.advance(seconds: 1)
        #expect(limits.expire(now: clock.now) == 1)
        #expect(limits.openReservations == 0)
        #expect(limits.inFlight(.workload("app")) == 0)
        // A late settle of the expired ticket changes nothing.
        limits.settle(lost, tokens: 0, cost: 0, now: clock.now, unixSeconds: clock.unix)
        #expect(limits.bucketState(.workload("app"), .tokensPerMinute, now: clock.now)?.remaining == 100)
    }

    @Test("a model's limits apply to that model only, and a refusal takes nothing from the workload's")
    func perModel() throws {
        let clock = Clock()
        let settings = LimitSettings(
            rates: RateLimits(requestsPerMinute: 10), models: ["gpt-4o": RateLimits(requestsPerMinute: 1)])
        var limits = limiter(["app": settings], clock: clock)
        #expect(limits.admit(workload: "app", model: "gpt-4o", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket != nil)
        let refused = limits.admit(workload: "app", model: "gpt-4o", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix)
        #expect(refused.rejection?.scope == .model(workload: "app", model: "gpt-4o"))
        #expect(refused.headers?.requests?.remaining == 0)
        #expect(limits.bucketState(.workload("app"), .requestsPerMinute, now: clock.now)?.remaining == 9)
        #expect(limits.admit(workload: "app", model: "cheap", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket != nil)
        #expect(limits.bucketState(.workload("app"), .requestsPerMinute, now: clock.now)?.remaining == 8)
    }

    @Test("no workload, or a workload without limits: admitted with no headers")
    func unlimited() throws {
        let clock = Clock()
        var limits = limiter(["app": LimitSettings(rates: RateLimits(requestsPerMinute: 1))], clock: clock)
        let anonymous = limits.admit(workload: nil, model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix)
        #expect(anonymous.ticket?.id == 0)
        #expect(anonymous.headers == RateLimitHeaders())
        #expect(limits.admit(workload: "other", model: "m", estimatedTokens: 1, now: clock.now, unixSeconds: clock.unix).ticket?.id == 0)
    }

    @Test("headers: limit, remaining and reset as OpenAI writes them")
    func headers() throws {
        let clock = Clock()
        var limits = limiter(
            ["app": LimitSettings(rates: RateLimits(requestsPerMinute: 600, tokensPerMinute: 200_000))], clock: clock)
        let admitted = limits.admit(workload: "app", model: "m", estimatedTokens: 2000, now: clock.now, unixSeconds: clock.unix)
        let fields = try #require(admitted.headers).fields
        #expect(fields.map(\.name) == [
            "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
            "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
        ])
        #expect(fields.map(\.value) == ["600", "599", "100ms", "200000", "198000", "600ms"])
    }

    @Test("reload: an unchanged limit keeps its level, a changed one keeps what was used, a removed one is gone")
    func reconfigure() throws {
        let clock = Clock()
        let settings = LimitSettings(rates: RateLimits(requestsPerMinute: 10, tokensPerMinute: 1000))
        var limits = limiter(["app": settings, "other": LimitSettings(rates: RateLimits(requestsPerMinute: 5))], clock: clock)
        for _ in 0..<4 {
            _ = limits.admit(workload: "app", model: "m", estimatedTokens: 100, now: clock.now, unixSeconds: clock.unix)
        }
        let changed = LimitSettings(rates: RateLimits(requestsPerMinute: 10, tokensPerMinute: 2000))
        limits.reconfigure(LimiterConfiguration(workloads: ["app": changed]), now: clock.now)
        #expect(limits.bucketState(.workload("app"), .requestsPerMinute, now: clock.now)?.remaining == 6)
        #expect(limits.bucketState(.workload("app"), .tokensPerMinute, now: clock.now)?.remaining == 1600)
        #expect(limits.bucketState(.workload("other"), .requestsPerMinute, now: clock.now) == nil)
        #expect(limits.inFlight(.workload("app")) == 4)
    }
}
