import SluicePolicy
import SluiceRouting
import Testing

@Suite("Route planner")
struct RoutePlannerTests {
    typealias F = RoutingFixtures

    static func providers(_ plan: RoutePlan?) -> [String] {
        plan?.targets.map(\.provider) ?? []
    }

    @Test("ordered keeps the written order; a target without model passes the requested name on")
    func ordered() throws {
        let planner = F.planner(F.route("gpt-4o", [F.primary, F.fallback, F.third]))
        var random = SplitMix64(seed: 1)
        let plan = try #require(planner.plan(model: "gpt-4o", book: TargetBook(), at: .zero, using: &random))
        #expect(Self.providers(plan) == ["openai", "anthropic", "demo"])
        #expect(plan.targets.map(\.model) == ["gpt-4o", "claude-sonnet-4-5", "gpt-4o"])
        #expect(plan.targets.map(\.position) == [0, 1, 2])
        #expect(plan.routeName == "gpt-4o" && plan.requestedModel == "gpt-4o" && plan.skipped.isEmpty)
        #expect(planner.plan(model: "nope", book: TargetBook(), at: .zero, using: &random) == nil)
    }

    @Test("weighted choice follows the weights over 10,000 plans; the rest follow as fallbacks")
    func weighted() throws {
        let targets = [
            RouteTarget(provider: "openai", model: "gpt-4o-mini", weight: 70),
            RouteTarget(provider: "anthropic", model: "claude-haiku", weight: 20),
            RouteTarget(provider: "demo", weight: 10),
        ]
        let planner = F.planner(F.route("cheap", targets, strategy: .weighted))
        var random = SplitMix64(seed: 42)
        var firsts: [String: Int] = [:]
        let runs = 10_000
        for _ in 0..<runs {
            let plan = try #require(planner.plan(model: "cheap", book: TargetBook(), at: .zero, using: &random))
            firsts[plan.targets[0].provider, default: 0] += 1
            #expect(plan.targets.count == 3)
            let rest = plan.targets.dropFirst().map(\.position)
            #expect(rest == rest.sorted(), "the fallbacks keep the written order")
        }
        // Binomial standard deviation at n = 10,000 is at most 0.5 %; allow 1.5 percentage points.
        #expect(abs(Double(firsts["openai", default: 0]) / Double(runs) - 0.70) < 0.015)
        #expect(abs(Double(firsts["anthropic", default: 0]) / Double(runs) - 0.20) < 0.015)
        #expect(abs(Double(firsts["demo", default: 0]) / Double(runs) - 0.10) < 0.015)
    }

    @Test("a weight of 0 is only ever a fallback; weights of unavailable targets drop out")
    func weightZero() throws {
        let targets = [
            RouteTarget(provider: "openai", model: "a", weight: 0),
            RouteTarget(provider: "anthropic", model: "b", weight: 5),
        ]
        let planner = F.planner(F.route("w", targets, strategy: .weighted))
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let plan = try #require(planner.plan(model: "w", book: TargetBook(), at: .zero, using: &random))
            #expect(Self.providers(plan) == ["anthropic", "openai"])
        }
        // With the weighted target's circuit open, the weight-0 target is all there is.
        var book = TargetBook()
        let open = planner.key(for: targets[1])
        for _ in 0..<5 {
            book.finish(
                open, permit: book.begin(open, at: .zero)!, outcome: .failure(.connect, elapsed: nil), at: .zero)
        }
        let plan = try #require(planner.plan(model: "w", book: book, at: .zero, using: &random))
        #expect(Self.providers(plan) == ["openai"])
        #expect(plan.skipped.map(\.provider) == ["anthropic"])
    }

    @Test("least latency prefers the faster target, and measures an unmeasured one first")
    func leastLatency() throws {
        let planner = F.planner(F.route("fast", [F.primary, F.fallback], strategy: .leastLatency))
        var random = SplitMix64(seed: 3)
        var book = TargetBook()
        let slow = F.key(F.primary)
        let quick = F.key(F.fallback)
        // Nothing measured: written order.
        #expect(
            Self.providers(planner.plan(model: "fast", book: book, at: .zero, using: &random)) == [
                "openai", "anthropic",
            ])
        book.finish(
            slow, permit: book.begin(slow, at: .zero)!, outcome: .success(firstByteAfter: .milliseconds(900)), at: .zero
        )
        // The primary is measured, the fallback not yet: the fallback goes first, to be measured.
        #expect(
            Self.providers(planner.plan(model: "fast", book: book, at: .zero, using: &random)) == [
                "anthropic", "openai",
            ])
        for sample in [120, 150, 130] {
            book.finish(
                quick, permit: book.begin(quick, at: .zero)!,
                outcome: .success(firstByteAfter: .milliseconds(Int64(sample))), at: .zero)
        }
        for _ in 0..<10 {
            #expect(
                Self.providers(planner.plan(model: "fast", book: book, at: F.at(1), using: &random)) == [
                    "anthropic", "openai",
                ])
        }
        // The primary speeds up: the average follows, and the order flips.
        for _ in 0..<10 {
            book.finish(
                slow, permit: book.begin(slow, at: F.at(2))!, outcome: .success(firstByteAfter: .milliseconds(50)),
                at: F.at(2))
        }
        #expect(
            Self.providers(planner.plan(model: "fast", book: book, at: F.at(2), using: &random)) == [
                "openai", "anthropic",
            ])
    }

    @Test("a latency average too old to count makes the target measured again")
    func staleLatency() throws {
        let planner = F.planner(F.route("fast", [F.primary, F.fallback], strategy: .leastLatency))
        var random = SplitMix64(seed: 3)
        var book = TargetBook(settings: .init(latencyStaleAfter: .seconds(60)))
        book.finish(
            F.key(F.primary), permit: book.begin(F.key(F.primary), at: .zero)!,
            outcome: .success(firstByteAfter: .seconds(2)), at: .zero)
        book.finish(
            F.key(F.fallback), permit: book.begin(F.key(F.fallback), at: F.at(50))!,
            outcome: .success(firstByteAfter: .milliseconds(100)), at: F.at(50))
        #expect(
            Self.providers(planner.plan(model: "fast", book: book, at: F.at(59), using: &random)) == [
                "anthropic", "openai",
            ])
        #expect(
            Self.providers(planner.plan(model: "fast", book: book, at: F.at(61), using: &random)) == [
                "openai", "anthropic",
            ])
    }

    @Test("a timeout counts as a slow answer for least latency")
    func timeoutIsSlow() {
        var book = TargetBook()
        let key = F.key(F.primary)
        book.finish(
            key, permit: book.begin(key, at: .zero)!, outcome: .failure(.timeout(.firstByte), elapsed: .seconds(30)),
            at: .zero)
        #expect(book.latency(of: key, at: .zero) == .seconds(30))
    }

    @Test("least in-flight prefers the idle target and spreads ties at random")
    func leastInflight() throws {
        let planner = F.planner(F.route("busy", [F.primary, F.fallback], strategy: .leastInflight))
        var random = SplitMix64(seed: 11)
        var book = TargetBook()
        var firsts: [String: Int] = [:]
        for _ in 0..<1000 {
            firsts[Self.providers(planner.plan(model: "busy", book: book, at: .zero, using: &random))[0], default: 0] +=
                1
        }
        #expect(firsts["openai", default: 0] > 400 && firsts["anthropic", default: 0] > 400)
        _ = book.begin(F.key(F.primary), at: .zero)
        _ = book.begin(F.key(F.primary), at: .zero)
        _ = book.begin(F.key(F.fallback), at: .zero)
        for _ in 0..<100 {
            #expect(
                Self.providers(planner.plan(model: "busy", book: book, at: .zero, using: &random)) == [
                    "anthropic", "openai",
                ])
        }
    }

    @Test("resting and open targets are skipped; a plan with none left is empty")
    func skipped() throws {
        let planner = F.planner(F.route())
        var random = SplitMix64(seed: 5)
        var book = TargetBook()
        let primary = F.key(F.primary)
        book.finish(
            primary, permit: book.begin(primary, at: .zero)!,
            outcome: .failure(.status(429, retryAfter: .seconds(20)), elapsed: nil), at: .zero)
        let plan = try #require(planner.plan(model: "gpt-4o", book: book, at: F.at(5), using: &random))
        #expect(Self.providers(plan) == ["anthropic"])
        #expect(plan.skipped.map(\.provider) == ["openai"])
        #expect(
            Self.providers(planner.plan(model: "gpt-4o", book: book, at: F.at(20), using: &random)) == [
                "openai", "anthropic",
            ])
        let fallback = F.key(F.fallback)
        for _ in 0..<5 {
            book.finish(
                fallback, permit: book.begin(fallback, at: F.at(6))!, outcome: .failure(.status(500), elapsed: nil),
                at: F.at(6))
        }
        #expect(planner.plan(model: "gpt-4o", book: book, at: F.at(7), using: &random)?.isEmpty == true)
    }

    @Test("glob keys: the most specific route serves the name")
    func globs() throws {
        let planner = F.planner(
            F.route("gpt-4o", [F.primary]), F.route("gpt-4o*", [F.fallback]), F.route("*", [F.third]))
        var random = SplitMix64(seed: 9)
        func served(_ model: String) -> String? {
            planner.plan(model: model, book: TargetBook(), at: .zero, using: &random)?.routeName
        }
        #expect(served("gpt-4o") == "gpt-4o")
        #expect(served("gpt-4o-mini") == "gpt-4o*")
        #expect(served("llama-3") == "*")
        let plan = try #require(planner.plan(model: "llama-3", book: TargetBook(), at: .zero, using: &random))
        #expect(plan.targets[0].model == "llama-3", "a target without model passes the requested name on")
    }

    @Test("target keys carry the provider's endpoint, and the planner lists them for reloads")
    func keys() {
        let planner = F.planner(F.route("a", [F.primary, F.fallback]), F.route("b", [F.primary, F.third]))
        #expect(planner.allKeys.count == 3)
        #expect(planner.key(for: F.primary).endpoint == "openai https://api.openai.com/v1")
        #expect(planner.key(for: F.third).endpoint == "mock in-process")
        #expect(planner.key(for: F.third).description == "demo/*")
    }
}
