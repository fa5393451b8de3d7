import SluicePolicy
import SluiceRouting
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    static let twoTries = RetryPolicy(RetrySettings(attempts: 2, backoff: .milliseconds(200)))

    static func decide(
        _ failure: AttemptFailure, policy: RetryPolicy = twoTries, attempt: Int = 1, hasNext: Bool = true,
        timeLeft: Duration? = nil
    ) -> RetryDecision {
        var random = SplitMix64(seed: 1)
        return policy.decide(
            after: failure, attemptOnTarget: attempt, hasNextTarget: hasNext, timeLeft: timeLeft, using: &random)
    }

    static func isRetry(_ decision: RetryDecision) -> Bool {
        if case .retrySameTarget = decision { return true }
        return false
    }

    @Test("the policy's conditions are read as written; no retry section means defaults and one try")
    func conditions() {
        #expect(RetryCondition("connect") == .connect)
        #expect(RetryCondition("5xx") == .serverError)
        #expect(RetryCondition("429") == .status(429))
        #expect(RetryCondition("context_length") == .contextLength)
        #expect(RetryCondition("content_filter") == .contentFilter)
        #expect(RetryCondition("200") == nil && RetryCondition("4xx") == nil && RetryCondition("0429") == nil)
        let none = RetryPolicy(nil)
        #expect(none.attemptsPerTarget == 1)
        #expect(none.conditions == [.connect, .timeout, .status(429), .serverError])
        #expect(RetryCondition.conditions(RetrySettings(on: ["timeout", "bogus"])) == [.timeout])
    }

    @Test(
        "which failures move on, and which of them retry the same target",
        arguments: [
            (AttemptFailure.connect, true, true), (.status(500), true, true), (.status(503), true, true),
            (.status(429), true, true), (.malformed, true, true), (.timeout(.firstByte), true, false),
            (.timeout(.connect), true, false), (.timeout(.idle), true, false), (.status(400), false, false),
            (.status(404), false, false), (.status(401), false, false), (.contextLength, false, false),
            (.contentFilter, false, false),
        ])
    func defaults(failure: AttemptFailure, movesOn: Bool, retriesSameTarget: Bool) {
        let decision = Self.decide(failure)
        #expect(Self.isRetry(decision) == retriesSameTarget, "\(failure)")
        if movesOn, !retriesSameTarget { #expect(decision == .nextTarget, "\(failure)") }
        if !movesOn { #expect(decision == .giveUp(.notRetryable), "\(failure)") }
    }

    @Test("context length and content filter move on to the next target when listed, never to the same")
    func namedConditions() {
        let policy = RetryPolicy(RetrySettings(attempts: 3, on: ["context_length", "content_filter"]))
        #expect(Self.decide(.contextLength, policy: policy) == .nextTarget)
        #expect(Self.decide(.contentFilter, policy: policy) == .nextTarget)
        #expect(Self.decide(.contentFilter, policy: policy, hasNext: false) == .giveUp(.exhausted))
        #expect(Self.decide(.connect, policy: policy) == .giveUp(.notRetryable))
    }

    @Test("a caller's 4xx is never retried on the same target, even when listed")
    func callerCaused() {
        let policy = RetryPolicy(RetrySettings(attempts: 3, on: ["404", "400"]))
        #expect(Self.decide(.status(404), policy: policy) == .nextTarget)
        #expect(Self.decide(.status(400), policy: policy, hasNext: false) == .giveUp(.exhausted))
        #expect(Self.decide(.status(422), policy: policy) == .giveUp(.notRetryable))
    }

    @Test("a timed-out target is left at once, attempts or not")
    func timeout() {
        let policy = RetryPolicy(RetrySettings(attempts: 5))
        #expect(Self.decide(.timeout(.firstToken), policy: policy) == .nextTarget)
        #expect(Self.decide(.timeout(.firstByte), policy: policy, hasNext: false) == .giveUp(.exhausted))
        #expect(Self.decide(.timeout(.total), policy: policy) == .giveUp(.outOfTime))
    }

    @Test("attempts per target: retry while tries are left, then the next target")
    func attempts() {
        let policy = RetryPolicy(RetrySettings(attempts: 3))
        #expect(Self.isRetry(Self.decide(.status(502), policy: policy, attempt: 1)))
        #expect(Self.isRetry(Self.decide(.status(502), policy: policy, attempt: 2)))
        #expect(Self.decide(.status(502), policy: policy, attempt: 3) == .nextTarget)
        #expect(Self.decide(.status(502), policy: policy, attempt: 3, hasNext: false) == .giveUp(.exhausted))
    }

    @Test("backoff bounds double from the base up to the cap")
    func backoffBounds() {
        let policy = RetryPolicy(attemptsPerTarget: 10, backoff: .milliseconds(200), maxBackoff: .seconds(2))
        #expect(
            (1...6).map { policy.backoffBound(forRetry: $0) } == [
                .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2),
                .seconds(2),
            ])
        #expect(RetryPolicy(attemptsPerTarget: 2, backoff: .zero).backoffBound(forRetry: 3) == .zero)
    }

    @Test("full jitter: pauses spread over the whole range from zero to the bound")
    func jitter() {
        let policy = RetryPolicy(attemptsPerTarget: 10, backoff: .milliseconds(200), maxBackoff: .seconds(2))
        var random = SplitMix64(seed: 99)
        for retry in 1...5 {
            let bound = policy.backoffBound(forRetry: retry)
            let pauses = (0..<2000).map { _ in policy.backoffDelay(forRetry: retry, using: &random) }
            #expect(pauses.allSatisfy { $0 >= .zero && $0 <= bound })
            #expect(pauses.contains { $0 < bound / 10 }, "short pauses occur")
            #expect(pauses.contains { $0 > bound * 9 / 10 }, "long pauses occur")
            let mean = pauses.reduce(Duration.zero, +) / pauses.count
            #expect(mean > bound * 4 / 10 && mean < bound * 6 / 10, "the mean is half the bound")
        }
    }

    @Test("retry-after is waited out up to the cap; beyond it the next target goes at once")
    func retryAfter() {
        let policy = RetryPolicy(RetrySettings(attempts: 2, backoff: .milliseconds(100)), retryAfterCap: .seconds(10))
        #expect(
            Self.decide(.status(429, retryAfter: .seconds(3)), policy: policy) == .retrySameTarget(after: .seconds(3)))
        #expect(
            Self.decide(.status(503, retryAfter: .seconds(10)), policy: policy) == .retrySameTarget(after: .seconds(10))
        )
        #expect(Self.decide(.status(429, retryAfter: .seconds(11)), policy: policy) == .nextTarget)
        #expect(
            Self.decide(.status(429, retryAfter: .seconds(60)), policy: policy, hasNext: false) == .giveUp(.exhausted))
        // Without retry-after, the backoff decides.
        guard case .retrySameTarget(let pause) = Self.decide(.status(429), policy: policy) else {
            Issue.record("expected a retry")
            return
        }
        #expect(pause <= .milliseconds(100))
    }

    @Test("a pause longer than the time left goes to the next target instead; no time left stops")
    func timeLeft() {
        let policy = RetryPolicy(RetrySettings(attempts: 2))
        #expect(
            Self.decide(.status(429, retryAfter: .seconds(5)), policy: policy, timeLeft: .seconds(4)) == .nextTarget)
        #expect(Self.isRetry(Self.decide(.status(429, retryAfter: .seconds(5)), policy: policy, timeLeft: .seconds(6))))
        #expect(Self.decide(.connect, policy: policy, timeLeft: .zero) == .giveUp(.outOfTime))
    }

    @Test("retry-after headers: seconds, decimal seconds and milliseconds; dates and junk give nil")
    func parsing() {
        #expect(RetryAfter.parse("20") == .seconds(20))
        #expect(RetryAfter.parse(" 1.5 ") == .milliseconds(1500))
        #expect(RetryAfter.parse(milliseconds: "250") == .milliseconds(250))
        #expect(RetryAfter.parse(retryAfter: "3", retryAfterMilliseconds: "2500") == .milliseconds(2500))
        #expect(RetryAfter.parse(retryAfter: "3", retryAfterMilliseconds: nil) == .seconds(3))
        for junk in ["", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "1e3", "soon"] {
            #expect(RetryAfter.parse(junk) == nil, "\(junk)")
        }
    }
}
