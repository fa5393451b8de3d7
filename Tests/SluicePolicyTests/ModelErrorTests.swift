import Testing

@testable import SluicePolicy

/// Problems in `models:`.
@Suite("Policy errors: models")
struct ModelErrorTests {
    /// The minimal policy with providers `openai` and `demo` (lines 4–6) and `models:` on line 7,
    /// followed by `lines`, whose first line is line 8.
    private func modelIssues(_ lines: String) -> [String] {
        PolicyFixtures.issues(
            appending: "providers:\n  openai: { type: openai }\n  demo: { type: mock }\nmodels:\n" + lines
        )
    }

    @Test("a target naming an unknown provider lists the defined ones")
    func unknownProvider() {
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: opena, model: gpt-4o }\n")
                == [
                    "policy.yaml:10:21: model 'gpt-4o' targets unknown provider 'opena'; defined providers: demo, openai"
                ]
        )
        #expect(
            PolicyFixtures.issues(appending: "models:\n  gpt-4o:\n    targets: [{ provider: openai }]\n")
                == ["policy.yaml:6:27: model 'gpt-4o' targets unknown provider 'openai'; defined providers: none"]
        )
    }

    @Test("a model needs at least one target")
    func noTargets() {
        #expect(
            modelIssues("  gpt-4o:\n    targets: []\n")
                == ["policy.yaml:9:14: model 'gpt-4o' has no targets; list at least one, e.g. - { provider: NAME }"]
        )
        #expect(
            modelIssues("  gpt-4o:\n    strategy: ordered\n") == [
                "policy.yaml:8:3: missing required key 'targets' in model 'gpt-4o'"
            ])
        #expect(
            modelIssues("  gpt-4o:\n    targets: { provider: openai }\n")
                == ["policy.yaml:9:14: 'targets' must be a list, got a mapping"]
        )
        #expect(modelIssues("  gpt-4o:\n") == ["policy.yaml:8:3: missing required key 'targets' in model 'gpt-4o'"])
    }

    @Test("targets are mappings with a provider")
    func badTargets() {
        #expect(
            modelIssues("  gpt-4o:\n    targets: [openai]\n")
                == [
                    "policy.yaml:9:15: target 1 of model 'gpt-4o' must be a mapping such as "
                        + "{ provider: NAME, model: NAME }, got string \"openai\""
                ]
        )
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: openai }\n      - { model: gpt-4o }\n")
                == ["policy.yaml:11:9: missing required key 'provider' in target 2 of model 'gpt-4o'"]
        )
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: openai, modle: gpt-4o }\n")
                == [
                    "policy.yaml:10:29: unknown key 'modle' in target 1 of model 'gpt-4o'; "
                        + "expected one of: provider, model, weight"
                ]
        )
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: openai, model: \"\" }\n")
                == ["policy.yaml:10:36: 'model' must not be empty"]
        )
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: openai, model: \"gpt\\r\\nx: 1\" }\n")
                == [
                    "policy.yaml:10:36: target 1 of model 'gpt-4o' has a model name with a control character such as a line break; model names are one line"
                ]
        )
    }

    @Test("an unknown key in a model lists the model keys")
    func unknownModelKey() {
        #expect(
            modelIssues("  gpt-4o:\n    targets: [{ provider: openai }]\n    fallback: [demo]\n")
                == [
                    "policy.yaml:10:5: unknown key 'fallback' in model 'gpt-4o'; expected one of: targets, strategy, retry, resume"
                ]
        )
        #expect(
            modelIssues("  gpt-4o: openai\n")
                == ["policy.yaml:8:11: model 'gpt-4o' must be a mapping, got string \"openai\""]
        )
    }

    @Test("an unknown strategy lists the strategies")
    func unknownStrategy() {
        #expect(
            modelIssues("  cheap:\n    strategy: random\n    targets: [{ provider: openai, weight: 1 }]\n")
                == [
                    "policy.yaml:9:15: unknown strategy 'random' for model 'cheap'; "
                        + "expected one of: ordered, weighted, least_latency, least_inflight"
                ]
        )
    }

    @Test("weights go with the weighted strategy, and only with it")
    func weights() {
        #expect(
            modelIssues(
                "  cheap:\n    strategy: weighted\n    targets:\n      - { provider: openai, weight: 80 }\n      - { provider: demo }\n"
            ) == [
                "policy.yaml:12:9: target 2 of model 'cheap' needs a 'weight', since the model's strategy is weighted"
            ]
        )
        #expect(
            modelIssues("  gpt-4o:\n    targets:\n      - { provider: openai, weight: 80 }\n")
                == [
                    "policy.yaml:10:29: target 1 of model 'gpt-4o' has a 'weight', which only strategy weighted uses; "
                        + "set strategy: weighted or remove the weight"
                ]
        )
        #expect(
            modelIssues(
                "  cheap:\n    strategy: weighted\n    targets:\n      - { provider: openai, weight: 0 }\n      - { provider: demo, weight: 0 }\n"
            ) == ["policy.yaml:11:7: every target of model 'cheap' has weight 0; give at least one a weight above 0"]
        )
        #expect(
            modelIssues("  cheap:\n    strategy: weighted\n    targets:\n      - { provider: openai, weight: -1 }\n")
                == ["policy.yaml:11:37: 'weight' must be at least 0, got -1"]
        )
    }

    @Test(
        "retry settings are checked",
        arguments: [
            ("{ attempts: 0 }", "policy.yaml:10:24: 'attempts' must be at least 1, got 0"),
            ("{ backoff: soon }", "policy.yaml:10:23: 'backoff' is not a duration: \"soon\"; write e.g. 250ms, 2s, 5m"),
            (
                "{ on: 5xx }",
                "policy.yaml:10:18: 'on' must be a list such as [connect, timeout, 429, 5xx], got string \"5xx\""
            ),
            (
                "{ on: [connect, oops] }",
                "policy.yaml:10:28: unknown retry condition 'oops' in model 'gpt-4o'; expected one of: "
                    + "connect, timeout, 5xx, context_length, content_filter, or an HTTP status from 400 to 599"
            ),
            (
                "{ on: [200] }",
                "policy.yaml:10:19: unknown retry condition '200' in model 'gpt-4o'; expected one of: "
                    + "connect, timeout, 5xx, context_length, content_filter, or an HTTP status from 400 to 599"
            ),
            (
                "{ tries: 3 }",
                "policy.yaml:10:14: unknown key 'tries' in retry of model 'gpt-4o'; expected one of: attempts, backoff, on"
            ),
            ("3", "policy.yaml:10:12: 'retry' must be a mapping, got number 3"),
        ])
    func retry(value: String, expected: String) {
        #expect(modelIssues("  gpt-4o:\n    targets: [{ provider: openai }]\n    retry: \(value)\n") == [expected])
    }

    @Test("model names must not be empty")
    func emptyName() {
        #expect(
            modelIssues("  \"\":\n    targets: [{ provider: openai }]\n") == [
                "policy.yaml:8:3: model names must not be empty"
            ]
        )
    }
}
