import SluicePolicy
import SluiceRouting
import Testing

/// Requests walked through their plans against scripted providers, on a simulated clock.
@Suite("Fallback run")
struct FallbackRunTests {
    typealias F = RoutingFixtures

    /// What a scripted provider does with one attempt at `now`: nil is a success.
    typealias Script = (PlannedTarget, MonotonicInstant) -> AttemptFailure?

    /// The result of one simulated request.
    struct Served {
        var target: String?
        var attempts: [String]
        var failure: AttemptFailure?
        var reason: GiveUpReason?
        var waited: Duration
    }

    /// Runs one request through `planner` and `book` starting at `now`; each attempt takes
    /// 100 ms, each wait as long as asked.
    static func serve(
        _ model: String, planner: RoutePlanner, book: inout TargetBook, at start: MonotonicInstant,
        random: inout SplitMix64, script: Script
    ) -> Served {
        var now = start
        var served = Served(attempts: [], waited: .zero)
        guard let route = planner.route(for: model),
            let plan = planner.plan(model: model, book: book, at: now, using: &random)
        else { return served }
        var run = FallbackRun(plan: plan, retry: RetryPolicy(route.retry))
        var step = run.next(book: &book, at: now)
        while true {
            switch step {
            case .attempt(let attempt):
                served.attempts.append(attempt.target.provider)
                now = now + .milliseconds(100)
                if let failure = script(attempt.target, now) {
                    step = run.failed(attempt, failure, book: &book, at: now, using: &random)
                } else {
                    run.succeeded(attempt, firstByteAfter: .milliseconds(100), book: &book, at: now)
                    served.target = attempt.target.provider
                    #expect(run.records.count == served.attempts.count)
                    return served
                }
            case .wait(let pause):
                served.waited += pause
                now = now + pause
                step = run.next(book: &book, at: now)
            case .giveUp(let failure, let reason):
                served.failure = failure
                served.reason = reason
                return served
            }
        }
    }

    static func serve(
        _ route: ModelRoute, book: inout TargetBook, at start: MonotonicInstant = .zero, script: Script
    ) -> Served {
        var random = SplitMix64(seed: 17)
        return serve(route.name, planner: F.planner(route), book: &book, at: start, random: &random, script: script)
    }

    static func failing(_ provider: String, with failure: AttemptFailure) -> Script {
        { target, _ in target.provider == provider ? failure : nil }
    }

    @Test("500 once: the same target again after a backoff, and it answers")
    func fiveHundredOnce() {
        var book = TargetBook()
        var failed = false
        let served = Self.serve(F.route(retry: RetrySettings(attempts: 2)), book: &book) { target, _ in
            guard target.provider == "openai", !failed else { return nil }
            failed = true
            return .status(500)
        }
        #expect(served.target == "openai")
        #expect(served.attempts == ["openai", "openai"])
        #expect(served.waited <= .milliseconds(200))
    }

    @Test("503 always: every try at the primary, then the fallback answers")
    func fiveOhThreeAlways() {
        var book = TargetBook()
        let served = Self.serve(
            F.route(retry: RetrySettings(attempts: 3)), book: &book, script: Self.failing("openai", with: .status(503)))
        #expect(served.target == "anthropic")
        #expect(served.attempts == ["openai", "openai", "openai", "anthropic"])
        #expect(book[F.key(F.primary)]?.breaker.consecutiveFailures == 3)
    }

    @Test("a timeout goes to the next target at once, however many attempts are allowed")
    func timeout() {
        var book = TargetBook()
        let served = Self.serve(
            F.route(retry: RetrySettings(attempts: 3)), book: &book,
            script: Self.failing("openai", with: .timeout(.firstByte)))
        #expect(served.attempts == ["openai", "anthropic"])
        #expect(served.waited == .zero)
    }

    @Test("429 with retry-after: waited out on the primary; meanwhile others skip it")
    func retryAfter() {
        var book = TargetBook()
        var limited = true
        let route = F.route(retry: RetrySettings(attempts: 2))
        let served = Self.serve(route, book: &book) { target, _ in
            guard target.provider == "openai", limited else { return nil }
            limited = false
            return .status(429, retryAfter: .seconds(2))
        }
        #expect(served.target == "openai")
        #expect(served.waited == .seconds(2))
        // A request arriving during the rest goes straight to the fallback.
        var book2 = TargetBook()
        _ = Self.serve(
            route, book: &book2, script: Self.failing("openai", with: .status(429, retryAfter: .seconds(30))))
        let during = Self.serve(route, book: &book2, at: F.at(5)) { _, _ in nil }
        #expect(during.attempts == ["anthropic"])
    }

    @Test("429 without retry-after: retried after a backoff, then the fallback")
    func rateLimitedNoHint() {
        var book = TargetBook()
        let served = Self.serve(
            F.route(retry: RetrySettings(attempts: 2, backoff: .milliseconds(300))), book: &book,
            script: Self.failing("openai", with: .status(429)))
        #expect(served.attempts == ["openai", "openai", "anthropic"])
        #expect(served.waited <= .milliseconds(300))
    }

    @Test("a caller's 400 reaches the app at once: no retry, no fallback")
    func callerError() {
        var book = TargetBook()
        let served = Self.serve(
            F.route(retry: RetrySettings(attempts: 3)), book: &book, script: Self.failing("openai", with: .status(400)))
        #expect(served.attempts == ["openai"])
        #expect(served.failure == .status(400))
        #expect(served.reason == .notRetryable)
        #expect(
            book[F.key(F.primary)]?.breaker.consecutiveFailures == 0, "a caller's error is no mark against the target")
    }

    @Test("a content refusal falls back only when content_filter is listed; the reason is kept")
    func contentFilter() {
        var book = TargetBook()
        let refuse = Self.failing("openai", with: .contentFilter)
        let plain = Self.serve(F.route(), book: &book, script: refuse)
        #expect(plain.attempts == ["openai"] && plain.failure == .contentFilter && plain.reason == .notRetryable)
        let listed = Self.serve(
            F.route(retry: RetrySettings(attempts: 2, on: ["content_filter"])), book: &book, script: refuse)
        #expect(listed.attempts == ["openai", "anthropic"] && listed.target == "anthropic")
    }

    @Test("every target failing: the last failure, with the plan exhausted")
    func exhausted() {
        var book = TargetBook()
        let served = Self.serve(F.route(), book: &book) { target, _ in
            target.provider == "openai" ? .connect : .status(502)
        }
        #expect(served.attempts == ["openai", "anthropic"])
        #expect(served.failure == .status(502))
        #expect(served.reason == .exhausted)
    }

    @Test("every circuit open: nothing is tried and the answer is 'no target available'")
    func noneAvailable() {
        var book = TargetBook()
        for key in [F.key(F.primary), F.key(F.fallback)] {
            for _ in 0..<5 {
                book.finish(
                    key, permit: book.begin(key, at: .zero)!, outcome: .failure(.connect, elapsed: nil), at: .zero)
            }
        }
        let served = Self.serve(F.route(), book: &book, at: F.at(1)) { _, _ in nil }
        #expect(served.attempts.isEmpty)
        #expect(served.reason == .noTargetAvailable && served.failure == nil)
    }

    @Test("a target that closes between planning and its turn is skipped")
    func closesMeanwhile() throws {
        var book = TargetBook()
        var random = SplitMix64(seed: 1)
        let planner = F.planner(F.route())
        let plan = try #require(planner.plan(model: "gpt-4o", book: book, at: .zero, using: &random))
        for _ in 0..<5 {
            let key = F.key(F.primary)
            book.finish(key, permit: book.begin(key, at: .zero)!, outcome: .failure(.connect, elapsed: nil), at: .zero)
        }
        var run = FallbackRun(plan: plan, retry: RetryPolicy(nil))
        guard case .attempt(let attempt) = run.next(book: &book, at: .zero) else {
            Issue.record("expected an attempt")
            return
        }
        #expect(attempt.target.provider == "anthropic" && attempt.number == 1)
        run.abandoned(attempt, book: &book, at: .zero)
        #expect(book.inFlight(attempt.target.key) == 0)
        #expect(run.records.map(\.outcomeLabel) == ["abandoned"])
    }

    /// The primary refuses connections from 0 s to 60 s, then recovers; one request a second for
    /// two minutes. Every request succeeds; the primary sees its five failures, then one probe per
    /// cooldown, and takes the traffic back at the first probe after it recovered.
    @Test("a primary down for a minute: served by the fallback meanwhile, back on the primary soon after")
    func outageAndRecovery() {
        var book = TargetBook()
        var random = SplitMix64(seed: 23)
        let planner = F.planner(F.route())
        var primaryAttempts = 0
        var firstBackOnPrimary: Double?
        for second in 0..<120 {
            let served = Self.serve(
                "gpt-4o", planner: planner, book: &book, at: F.at(Double(second)), random: &random
            ) { target, now in
                guard target.provider == "openai" else { return nil }
                primaryAttempts += 1
                return now < F.at(60) ? .connect : nil
            }
            #expect(served.target != nil, "request at \(second) s failed")
            #expect(served.attempts.count <= 2)
            if second >= 60, served.target == "openai", firstBackOnPrimary == nil {
                firstBackOnPrimary = Double(second)
            }
            if let back = firstBackOnPrimary, Double(second) > back { #expect(served.attempts == ["openai"]) }
        }
        // 5 failures open the breaker at about 4 s; probes at about 14, 24, 34, 44, 54 s fail; the
        // one at about 64 s succeeds. Then 120 - 64 requests on the primary.
        let back = firstBackOnPrimary ?? -1
        #expect(back >= 60 && back <= 70)
        #expect(primaryAttempts <= 5 + 6 + (120 - 60))
        #expect(book[F.key(F.primary)]?.breaker.state == .closed)
    }
}
