import SluiceRouting
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    static let settings = BreakerSettings(failureThreshold: 5, cooldown: .seconds(10), probeTimeout: .seconds(30))
    let t0 = MonotonicInstant.zero

    /// A breaker that has just opened at `t0`.
    func opened() -> CircuitBreaker {
        var breaker = CircuitBreaker(settings: Self.settings)
        for _ in 0..<5 {
            let permit = breaker.acquire(at: t0)
            breaker.recordFailure(permit!, at: t0)
        }
        return breaker
    }

    @Test("opens after the fifth consecutive failure, not before")
    func opens() {
        var breaker = CircuitBreaker(settings: Self.settings)
        for failure in 1...4 {
            breaker.recordFailure(breaker.acquire(at: t0)!, at: t0)
            #expect(breaker.state == .closed)
            #expect(breaker.consecutiveFailures == failure)
        }
        breaker.recordFailure(breaker.acquire(at: t0)!, at: t0)
        #expect(breaker.state == .open)
        #expect(breaker.reopensAt == t0 + .seconds(10))
    }

    @Test("a success in between starts the count again")
    func successResets() {
        var breaker = CircuitBreaker(settings: Self.settings)
        for _ in 0..<4 { breaker.recordFailure(.normal, at: t0) }
        breaker.recordSuccess(.normal, at: t0)
        #expect(breaker.consecutiveFailures == 0)
        for _ in 0..<4 { breaker.recordFailure(.normal, at: t0) }
        #expect(breaker.state == .closed)
    }

    @Test("while open the target is skipped until the cooldown is over")
    func skips() {
        var breaker = opened()
        for seconds in [0, 1, 5, 9] {
            #expect(!breaker.allows(at: t0 + .seconds(seconds)))
            #expect(breaker.acquire(at: t0 + .seconds(seconds)) == nil)
        }
        #expect(breaker.state == .open)
        #expect(breaker.allows(at: t0 + .seconds(10)))
    }

    @Test("after the cooldown exactly one probe goes; the others still skip")
    func oneProbe() {
        var breaker = opened()
        let later = t0 + .seconds(10)
        #expect(breaker.acquire(at: later) == .probe)
        #expect(breaker.state == .halfOpen)
        for offset in 0..<100 {
            #expect(breaker.acquire(at: later + .milliseconds(Int64(offset))) == nil)
        }
    }

    @Test("a successful probe closes the breaker")
    func probeCloses() {
        var breaker = opened()
        let later = t0 + .seconds(12)
        let permit = breaker.acquire(at: later)
        breaker.recordSuccess(permit!, at: later + .seconds(1))
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
        #expect(breaker.acquire(at: later + .seconds(1)) == .normal)
    }

    @Test("a failed probe opens it again for a new cooldown")
    func probeReopens() {
        var breaker = opened()
        let later = t0 + .seconds(12)
        breaker.recordFailure(breaker.acquire(at: later)!, at: later + .seconds(2))
        #expect(breaker.state == .open)
        #expect(breaker.reopensAt == later + .seconds(12))
        #expect(breaker.acquire(at: later + .seconds(11)) == nil)
        #expect(breaker.acquire(at: later + .seconds(12)) == .probe)
    }

    @Test("results of attempts begun before the breaker opened do not decide it")
    func staleResults() {
        var breaker = opened()
        breaker.recordSuccess(.normal, at: t0 + .seconds(1))
        #expect(breaker.state == .open)
        _ = breaker.acquire(at: t0 + .seconds(10))
        breaker.recordSuccess(.normal, at: t0 + .seconds(10))
        breaker.recordFailure(.normal, at: t0 + .seconds(10))
        #expect(breaker.state == .halfOpen)
    }

    @Test("a probe given back frees the slot at once; a lost probe frees it after the probe timeout")
    func probeRelease() {
        var breaker = opened()
        let later = t0 + .seconds(10)
        breaker.release(breaker.acquire(at: later)!)
        #expect(breaker.acquire(at: later) == .probe)
        #expect(breaker.acquire(at: later + .seconds(29)) == nil)
        #expect(breaker.acquire(at: later + .seconds(30)) == .probe)
    }

    @Test("settings keep at least one failure as the threshold")
    func threshold() {
        var breaker = CircuitBreaker(settings: BreakerSettings(failureThreshold: 0))
        breaker.recordFailure(.normal, at: t0)
        #expect(breaker.state == .open)
        #expect(BreakerSettings().failureThreshold == 5)
    }
}
