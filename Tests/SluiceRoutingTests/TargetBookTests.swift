import SluicePolicy
import SluiceRouting
import Testing

@Suite("Target book")
struct TargetBookTests {
    typealias F = RoutingFixtures

    static func fail(
        _ book: inout TargetBook, _ key: TargetKey, times: Int, _ failure: AttemptFailure, at now: MonotonicInstant
    ) {
        for _ in 0..<times {
            guard let permit = book.begin(key, at: now) else { return }
            book.finish(key, permit: permit, outcome: .failure(failure, elapsed: .milliseconds(50)), at: now)
        }
    }

    @Test("breaker state survives a reload for unchanged targets; removed ones are forgotten")
    func reload() {
        var book = TargetBook()
        let before = F.planner(F.route("gpt-4o", [F.primary, F.fallback]))
        Self.fail(&book, before.key(for: F.primary), times: 5, .connect, at: .zero)
        Self.fail(&book, before.key(for: F.fallback), times: 2, .connect, at: .zero)

        // The reloaded policy keeps the primary as it was and drops the fallback.
        let after = F.planner(F.route("gpt-4o", [F.primary, F.third]), F.route("other", [F.primary]))
        book.retain(after.allKeys)
        #expect(book[after.key(for: F.primary)]?.breaker.state == .open)
        #expect(book[before.key(for: F.fallback)] == nil)
        #expect(book.keys == [after.key(for: F.primary)])
    }

    @Test("pointing a provider elsewhere makes its targets new")
    func endpointChange() {
        var book = TargetBook()
        let key = F.key(F.primary)
        Self.fail(&book, key, times: 5, .connect, at: .zero)
        var providers = F.providers
        providers["openai"] = ProviderConfig(
            name: "openai", type: .openai, baseURL: UpstreamURL("http://127.0.0.1:8080/v1"))
        let moved = RoutePlanner(routes: ["gpt-4o": F.route()], providers: providers)
        #expect(moved.key(for: F.primary) != key)
        book.retain(moved.allKeys)
        #expect(book.isAvailable(moved.key(for: F.primary), at: .zero))
        #expect(book.keys.isEmpty)
    }

    @Test("caller errors, refusals and prompts too long keep the target healthy")
    func harmlessFailures() {
        var book = TargetBook()
        let key = F.key(F.primary)
        Self.fail(&book, key, times: 4, .status(503), at: .zero)
        Self.fail(&book, key, times: 1, .status(400), at: .zero)
        Self.fail(&book, key, times: 4, .status(503), at: .zero)
        Self.fail(&book, key, times: 1, .contextLength, at: .zero)
        Self.fail(&book, key, times: 1, .contentFilter, at: .zero)
        #expect(book[key]?.breaker.state == .closed)
        #expect(book[key]?.failures == 11)
        Self.fail(&book, key, times: 5, .status(401), at: .zero)
        #expect(book[key]?.breaker.state == .open, "a provider refusing Sluice's key is broken for everyone")
    }

    @Test("retry-after rests the target, at most for the longest rest")
    func rest() {
        var book = TargetBook(settings: .init(maxRest: .seconds(30)))
        let key = F.key(F.primary)
        Self.fail(&book, key, times: 1, .status(429, retryAfter: .seconds(600)), at: .zero)
        #expect(!book.isAvailable(key, at: F.at(29)))
        #expect(book.begin(key, at: F.at(29)) == nil)
        #expect(book.isAvailable(key, at: F.at(30)))
    }

    @Test("in-flight counts rise on begin and fall on finish, whatever the outcome")
    func inFlight() {
        var book = TargetBook()
        let key = F.key(F.primary)
        let permits = (0..<3).compactMap { _ in book.begin(key, at: .zero) }
        #expect(book.inFlight(key) == 3)
        book.finish(key, permit: permits[0], outcome: .success(firstByteAfter: nil), at: .zero)
        book.finish(key, permit: permits[1], outcome: .failure(.connect, elapsed: nil), at: .zero)
        book.finish(key, permit: permits[2], outcome: .abandoned, at: .zero)
        #expect(book.inFlight(key) == 0)
    }

    @Test("the status snapshot shows breaker, latency, rest and counts")
    func statuses() throws {
        var book = TargetBook()
        let primary = F.key(F.primary)
        let fallback = F.key(F.fallback)
        Self.fail(&book, primary, times: 5, .connect, at: .zero)
        book.finish(
            fallback, permit: book.begin(fallback, at: .zero)!, outcome: .success(firstByteAfter: .milliseconds(250)),
            at: .zero)
        let statuses = book.statuses(at: F.at(4))
        #expect(statuses.map(\.key) == [fallback, primary])
        let open = try #require(statuses.last)
        #expect(open.breaker == .open && open.consecutiveFailures == 5 && open.probeIn == .seconds(6))
        #expect(!open.isAvailable && open.failures == 5)
        let healthy = try #require(statuses.first)
        #expect(healthy.breaker == .closed && healthy.isAvailable && healthy.latency == .milliseconds(250))
        #expect(healthy.latencySamples == 1 && healthy.successes == 1 && healthy.inFlight == 0)
        #expect(open.breaker.rawValue == "open" && CircuitBreaker.State.halfOpen.rawValue == "half_open")
    }

    @Test("instants: arithmetic saturates instead of trapping")
    func instants() {
        #expect(MonotonicInstant.zero + .seconds(2) - .seconds(1) == F.at(1))
        #expect(F.at(3) - F.at(1) == .seconds(2))
        #expect(MonotonicInstant(nanoseconds: .max) + .seconds(1) == MonotonicInstant(nanoseconds: .max))
        #expect(MonotonicInstant(nanoseconds: .min) - MonotonicInstant(nanoseconds: .max) < .zero)
        #expect(F.at(1.5).description == "1.5 seconds")
    }
}
