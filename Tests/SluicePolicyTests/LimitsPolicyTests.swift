import Testing

@testable import SluicePolicy

@Suite("Policy: limits, budgets, limits_store and prices")
struct LimitsPolicyTests {
    typealias Fixtures = WorkloadFixtures

    @Test("a full limits block loads with exact money and per-model limits")
    func loads() throws {
        let loaded = try Fixtures.load(
            """
              checkout:
                limits:
                  requests_per_minute: 600
                  tokens_per_minute: 200000
                  max_concurrent: 32
                  default_max_tokens: 512
                  budget: { usd_per_day: 50, usd_per_month: 1000.25 }
                  models:
                    gpt-4o: { requests_per_minute: 60, max_concurrent: 4 }

            """)
        let limits = try #require(loaded.policy.workloads["checkout"]?.limits)
        #expect(limits.rates == RateLimits(requestsPerMinute: 600, tokensPerMinute: 200_000, maxConcurrent: 32))
        #expect(limits.defaultMaxTokens == 512)
        #expect(limits.budget == BudgetSettings(nanoUSDPerDay: 50_000_000_000, nanoUSDPerMonth: 1_000_250_000_000))
        #expect(limits.models == ["gpt-4o": RateLimits(requestsPerMinute: 60, maxConcurrent: 4)])
    }

    @Test("a workload without limits has none; default_max_tokens defaults to 1024")
    func defaults() throws {
        let loaded = try Fixtures.load("  checkout: {}\n  billing:\n    limits: { max_concurrent: 2 }\n")
        #expect(loaded.policy.workloads["checkout"]?.limits == nil)
        #expect(loaded.policy.workloads["billing"]?.limits?.defaultMaxTokens == 1024)
        #expect(loaded.policy.limitsStore == nil)
    }

    @Test("bad limit values are reported at their place")
    func badValues() {
        let lines = """
                limits:
                  requests_per_minute: 0
                  tokens_per_minute: lots
                  max_concurrent: -1
                  budget: { usd_per_day: $5, usd_per_week: 3 }
                  models:
                    gpt-5: { requests_per_minute: 1 }
                    cheap: { rpm: 1 }

            """
        #expect(
            Fixtures.checkoutIssues(lines) == [
                "policy.yaml:13:28: 'requests_per_minute' must be at least 1, got 0",
                "policy.yaml:14:26: 'tokens_per_minute' must be an integer, got string \"lots\"",
                "policy.yaml:15:23: 'max_concurrent' must be at least 1, got -1",
                "policy.yaml:16:30: 'usd_per_day' is not an amount of US dollars: \"$5\"; write e.g. 50 or 12.75 "
                    + "(no currency sign, at most 9 decimals)",
                "policy.yaml:16:34: unknown key 'usd_per_week' in 'budget' of workload 'checkout'; "
                    + "expected one of: usd_per_day, usd_per_month",
                "policy.yaml:18:9: limits of workload 'checkout' name unknown model 'gpt-5'; defined models: cheap, gpt-4o",
                "policy.yaml:19:18: unknown key 'rpm' in limits of model 'cheap' in workload 'checkout'; "
                    + "expected one of: requests_per_minute, tokens_per_minute, max_concurrent",
            ])
    }

    @Test("an empty budget is refused: it would limit nothing")
    func emptyBudget() {
        #expect(
            Fixtures.checkoutIssues("    limits: { budget: {} }\n") == [
                "policy.yaml:12:15: 'budget' of workload 'checkout' sets no limit; give usd_per_day, usd_per_month or both"
            ])
    }

    @Test("limits_store loads its URL as a secret, the lease as basis points and the outage mode")
    func limitsStore() throws {
        let loaded = try PolicyFixtures.load(
            PolicyFixtures.minimal + """
                limits_store:
                  postgres: { url: { env: SLUICE_PG_URL } }
                  lease: 2.5%
                  on_store_error: fail_closed

                """,
            variables: ["SLUICE_PG_URL": "postgres://sluice:hunter2@127.0.0.1:5432/sluice"])
        let store = try #require(loaded.policy.limitsStore)
        #expect(store.postgresURL == .env("SLUICE_PG_URL"))
        #expect(store.leaseBasisPoints == 250)
        #expect(store.onError == .failClosed)
        #expect(loaded.limitsStoreURL?.value == "postgres://sluice:hunter2@127.0.0.1:5432/sluice")
        #expect(!loaded.redactedJSON().contains("hunter2"))
        #expect(loaded.redactedJSON().contains("\"on_store_error\" : \"fail_closed\""))
    }

    @Test("limits_store defaults: lease 5%, fail_open")
    func limitsStoreDefaults() throws {
        let loaded = try PolicyFixtures.load(
            PolicyFixtures.minimal + "limits_store:\n  postgres: { url: { file: /run/pg-url } }\n",
            files: ["/run/pg-url": "postgresql://127.0.0.1/sluice\n"])
        #expect(loaded.policy.limitsStore?.leaseBasisPoints == 500)
        #expect(loaded.policy.limitsStore?.onError == .failOpen)
    }

    @Test("limits_store problems: a missing variable, a URL that is not postgres, bad lease and mode")
    func limitsStoreErrors() {
        let store = """
            limits_store:
              postgres: { url: { env: SLUICE_PG_URL } }
              lease: 0%
              on_store_error: retry

            """
        #expect(
            PolicyFixtures.issues(appending: store) == [
                "policy.yaml:5:27: environment variable SLUICE_PG_URL (the PostgreSQL URL of limits_store) is not set",
                "policy.yaml:6:10: 'lease' must be above 0% and at most 100%, got \"0%\"",
                "policy.yaml:7:19: unknown on_store_error 'retry'; expected one of: fail_open, fail_closed",
            ])
        let issues = PolicyFixtures.issues(
            appending: "limits_store:\n  postgres: { url: { env: PG } }\n  lease: 5\n",
            variables: ["PG": "mysql://root:secret@db/x"])
        #expect(
            issues == [
                "policy.yaml:5:20: the PostgreSQL URL of limits_store must start with postgres:// or postgresql:// "
                    + "(postgres://USER:PASSWORD@HOST:PORT/DATABASE)",
                "policy.yaml:6:10: 'lease' must be a percentage of each limit such as 5% or 2.5%, got \"5\"",
            ])
        #expect(!issues.joined().contains("secret"))
    }

    @Test("prices override by provider/model or model; unknown providers and missing prices are named")
    func prices() throws {
        let loaded = try Fixtures.load(
            "  checkout: {}\nprices:\n  openai/gpt-4o: { input: 2.5, cached_input: 1.25, output: 10 }\n"
                + "  my-model: { input: 0, output: 0.6 }\n")
        #expect(
            loaded.policy.prices == [
                "openai/gpt-4o": PriceSettings(input: 2_500_000_000, cachedInput: 1_250_000_000, output: 10_000_000_000),
                "my-model": PriceSettings(input: 0, output: 600_000_000),
            ])
        #expect(
            Fixtures.issues("  checkout: {}\nprices:\n  azure/gpt-4o: { input: 1, output: 2 }\n  x: { input: 1 }\n")
                == [
                    "policy.yaml:13:3: price 'azure/gpt-4o' names unknown provider 'azure'; defined providers: demo, openai",
                    "policy.yaml:14:3: missing required key 'output' in price 'x'",
                ])
    }
}
