import Testing

@testable import SluicePolicy

@Suite("Policy: a provider's breaker")
struct BreakerPolicyTests {
    @Test("breaker settings load; defaults are 5 failures and 10 s")
    func loads() throws {
        let loaded = try PolicyFixtures.load(
            PolicyFixtures.minimal + """
                providers:
                  a: { type: mock, breaker: { failures: 3, cooldown: 30s } }
                  b: { type: mock }

                """)
        #expect(loaded.policy.providers["a"]?.breaker == BreakerPolicy(failures: 3, cooldown: .seconds(30)))
        #expect(loaded.policy.providers["b"]?.breaker == BreakerPolicy(failures: 5, cooldown: .seconds(10)))
        #expect(loaded.redactedJSON().contains("\"cooldown\" : \"30s\""))
    }

    @Test("bad breaker values are named")
    func errors() {
        #expect(
            PolicyFixtures.issues(
                appending: "providers:\n  a: { type: mock, breaker: { failures: 0, cooldown: 0s, after: 1 } }\n")
                == [
                    "policy.yaml:5:41: 'failures' must be at least 1, got 0",
                    "policy.yaml:5:54: 'cooldown' must be longer than 0s",
                    "policy.yaml:5:58: unknown key 'after' in breaker of provider 'a'; expected one of: failures, cooldown",
                ])
    }
}
