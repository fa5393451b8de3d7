import Testing

@testable import SluicePolicy

/// Problems in `workloads:`, each at its line and column.
@Suite("Policy errors: workloads")
struct WorkloadErrorTests {
    typealias Fixtures = WorkloadFixtures

    @Test("the section and each workload must be mappings; names stay plain")
    func shape() {
        #expect(
            PolicyFixtures.issues(PolicyFixtures.minimal + "workloads: [checkout]\n")
                == ["policy.yaml:4:12: 'workloads' must be a mapping, got a list"]
        )
        #expect(
            Fixtures.issues("  checkout: 5\n")
                == ["policy.yaml:11:13: workload 'checkout' must be a mapping, got number 5"]
        )
        #expect(
            Fixtures.issues("  \"check out\": {}\n")
                == ["policy.yaml:11:3: workload name 'check out' may contain only letters, digits, '-', '_' and '.'"]
        )
    }

    @Test("an unknown key in a workload lists the known ones")
    func unknownKey() {
        #expect(
            Fixtures.checkoutIssues("    modles: [gpt-4o]\n")
                == [
                    "policy.yaml:12:5: unknown key 'modles' in workload 'checkout'; "
                        + "expected one of: keys, require_key, credentials, provider_keys, models, redact, guard, limits"
                ]
        )
    }

    @Test("redact, guard and limits load together")
    func protectionsLoad() {
        let lines = """
                redact: { detectors: [email] }
                guard: { injection: block }
                limits: { requests_per_minute: 600 }

            """
        #expect(Fixtures.checkoutIssues(lines) == [])
    }

    @Test("keys must be a list; a single value is refused without being echoed")
    func keysNotAList() {
        let issues = Fixtures.checkoutIssues("    keys: sk-sluice-secret\n")
        #expect(
            issues == [
                "policy.yaml:12:11: 'keys' of workload 'checkout' must be a list such as "
                    + "[ \"sha256:<64 lowercase hex digits>\" ], got a single value"
            ]
        )
        #expect(!issues.joined().contains("sk-sluice-secret"))
        #expect(
            Fixtures.checkoutIssues("    keys: { a: 1 }\n")
                == [
                    "policy.yaml:12:11: 'keys' of workload 'checkout' must be a list such as "
                        + "[ \"sha256:<64 lowercase hex digits>\" ], got a mapping"
                ]
        )
    }

    @Test(
        "a malformed key hash names the expected form and why, never the text",
        arguments: [
            ("sk-sluice-secret", "it does not start with sha256:"),
            ("sha256:abc", "it has 3 characters after sha256:, not 64"),
            ("SHA256:" + String(repeating: "a", count: 64), "it does not start with sha256:"),
            ("sha256:" + String(repeating: "A", count: 64), "only the digits 0-9 and lowercase a-f may follow sha256:"),
            ("sha256:" + String(repeating: "g", count: 64), "only the digits 0-9 and lowercase a-f may follow sha256:"),
            ("sha256:" + String(repeating: "a", count: 65), "it has 65 characters after sha256:, not 64"),
            ("sha256:" + String(repeating: "é", count: 64), "only the digits 0-9 and lowercase a-f may follow sha256:"),
        ]
    )
    func malformedHash(text: String, reason: String) {
        let issues = Fixtures.checkoutIssues("    keys:\n      - \"\(text)\"\n")
        #expect(
            issues == [
                "policy.yaml:13:9: key 1 of workload 'checkout' is not a key hash (\(reason)); "
                    + "write sha256:<64 lowercase hex digits> as 'sluice key hash' prints it, never the key itself"
            ]
        )
        #expect(!issues.joined().contains(text))
    }

    @Test("a key hash must be a string")
    func hashNotAString() {
        #expect(
            Fixtures.checkoutIssues("    keys:\n      - { a: 1 }\n      - \(Fixtures.hash1)\n      -\n")
                == [
                    "policy.yaml:13:9: key 1 of workload 'checkout' must be a string "
                        + "sha256:<64 lowercase hex digits>, got a mapping",
                    "policy.yaml:15:8: key 3 of workload 'checkout' must be a string "
                        + "sha256:<64 lowercase hex digits>, got nothing",
                ]
        )
    }

    @Test("a hash listed twice in one workload points at the first")
    func repeatedHash() {
        #expect(
            Fixtures.checkoutIssues(
                "    keys:\n      - \(Fixtures.hash1)\n      - \(Fixtures.hash2)\n      - \(Fixtures.hash1)\n")
                == ["policy.yaml:15:9: key 3 of workload 'checkout' repeats key 1"]
        )
    }

    @Test("a hash listed in two workloads is an error at the second, naming the first")
    func hashInTwoWorkloads() {
        let lines = """
              checkout:
                keys:
                  - \(Fixtures.hash1)
              billing:
                keys:
                  - \(Fixtures.hash2)
                  - \(Fixtures.hash1)
              search:
                keys: [\(Fixtures.hash2)]

            """
        #expect(
            Fixtures.issues(lines)
                == [
                    "policy.yaml:17:9: key 2 of workload 'billing' is already a key of workload 'checkout' "
                        + "(line 13, column 9); a key must identify one workload",
                    "policy.yaml:19:12: key 1 of workload 'search' is already a key of workload 'billing' "
                        + "(line 16, column 9); a key must identify one workload",
                ]
        )
    }

    @Test("require_key must be a boolean")
    func requireKeyType() {
        #expect(
            Fixtures.checkoutIssues("    require_key: maybe\n")
                == ["policy.yaml:12:18: 'require_key' must be true or false, got string \"maybe\""]
        )
        #expect(
            Fixtures.checkoutIssues("    require_key: \"true\"\n")
                == ["policy.yaml:12:18: 'require_key' must be true or false, got string \"true\""]
        )
        #expect(
            Fixtures.checkoutIssues("    require_key: 1\n")
                == ["policy.yaml:12:18: 'require_key' must be true or false, got number 1"]
        )
    }

    @Test("require_key: true with no keys leaves no way in")
    func requireKeyWithoutKeys() {
        let expected = [
            "policy.yaml:12:18: workload 'checkout' has require_key: true but no 'keys', so no caller can reach it; "
                + "add keys or set require_key: false"
        ]
        #expect(Fixtures.checkoutIssues("    require_key: true\n") == expected)
        #expect(Fixtures.checkoutIssues("    require_key: true\n    keys: []\n") == expected)
        // A broken key is reported by itself, without a second message about having none.
        #expect(
            Fixtures.checkoutIssues("    require_key: true\n    keys: [sha256:abc]\n")
                == [
                    "policy.yaml:13:12: key 1 of workload 'checkout' is not a key hash "
                        + "(it has 3 characters after sha256:, not 64); "
                        + "write sha256:<64 lowercase hex digits> as 'sluice key hash' prints it, never the key itself"
                ]
        )
    }

    @Test("credentials is inject or passthrough")
    func credentialsMode() {
        #expect(
            Fixtures.checkoutIssues("    credentials: forward\n")
                == [
                    "policy.yaml:12:18: unknown credentials mode 'forward' for workload 'checkout'; "
                        + "expected one of: inject, passthrough"
                ]
        )
    }

    @Test("passthrough callers send provider keys, so they have no virtual keys and no overrides")
    func passthroughConflicts() {
        #expect(
            Fixtures.checkoutIssues("    credentials: passthrough\n    keys:\n      - \(Fixtures.hash1)\n")
                == [
                    "policy.yaml:13:5: workload 'checkout' has 'keys' but credentials: passthrough, whose callers "
                        + "send their own provider key in Authorization or x-api-key; "
                        + "remove 'keys' or use credentials: inject"
                ]
        )
        #expect(
            Fixtures.checkoutIssues(
                "    credentials: passthrough\n    provider_keys: { openai: { env: TEAM_KEY } }\n",
                variables: ["TEAM_KEY": "sk-team"]
            )
                == [
                    "policy.yaml:13:5: workload 'checkout' has 'provider_keys' but credentials: passthrough, "
                        + "which forwards the caller's own key; remove 'provider_keys' or use credentials: inject"
                ]
        )
    }

    @Test("provider_keys must be a mapping, and a key written in place is not echoed")
    func providerKeysShape() {
        let issues = Fixtures.checkoutIssues("    provider_keys: sk-live-0123456789\n")
        #expect(
            issues == [
                "policy.yaml:12:20: 'provider_keys' of workload 'checkout' must be a mapping such as "
                    + "{ openai: { env: NAME } }; never write a key itself into the policy"
            ]
        )
        #expect(!issues.joined().contains("sk-live"))
        #expect(
            Fixtures.checkoutIssues("    provider_keys: [openai]\n")
                == ["policy.yaml:12:20: 'provider_keys' of workload 'checkout' must be a mapping, got a list"]
        )
    }

    @Test("provider_keys must name defined providers")
    func providerKeysUnknownProvider() {
        #expect(
            Fixtures.checkoutIssues(
                "    provider_keys: { opnai: { env: TEAM_KEY } }\n", variables: ["TEAM_KEY": "sk-team"])
                == [
                    "policy.yaml:12:22: provider_keys of workload 'checkout' names unknown provider 'opnai'; "
                        + "defined providers: demo, openai"
                ]
        )
    }

    @Test("an override is a secret reference like api_key, with the same checks")
    func providerKeyReferences() {
        let literal = Fixtures.checkoutIssues("    provider_keys: { openai: sk-live-0123456789 }\n")
        #expect(
            literal == [
                "policy.yaml:12:30: the key for provider 'openai' in workload 'checkout' must be "
                    + "{ env: NAME } or { file: PATH }; never write the key itself into the policy"
            ]
        )
        #expect(!literal.joined().contains("sk-live"))
        #expect(
            Fixtures.checkoutIssues("    provider_keys: { openai: { env: TEAM_KEY } }\n")
                == [
                    "policy.yaml:12:37: environment variable TEAM_KEY "
                        + "(key for provider 'openai' in workload 'checkout') is not set"
                ]
        )
        #expect(
            Fixtures.checkoutIssues("    provider_keys: { openai: { env: TEAM_KEY } }\n", variables: ["TEAM_KEY": ""])
                == [
                    "policy.yaml:12:37: environment variable TEAM_KEY "
                        + "(key for provider 'openai' in workload 'checkout') is empty"
                ]
        )
        #expect(
            Fixtures.checkoutIssues("    provider_keys: { openai: { file: /run/team } }\n")
                == [
                    "policy.yaml:12:38: cannot read key for provider 'openai' in workload 'checkout' from /run/team: "
                        + "No such file or directory"
                ]
        )
        #expect(
            Fixtures.checkoutIssues(
                "    provider_keys: { openai: { file: /run/team } }\n", files: ["/run/team": "\n"])
                == ["policy.yaml:12:38: file /run/team (key for provider 'openai' in workload 'checkout') is empty"]
        )
        #expect(
            Fixtures.checkoutIssues(
                "    provider_keys: { openai: { env: TEAM_KEY, file: /run/team } }\n",
                variables: ["TEAM_KEY": "k"], files: ["/run/team": "k"]
            )
                == [
                    "policy.yaml:12:30: the key for provider 'openai' in workload 'checkout' "
                        + "must name exactly one of 'env' or 'file', got both"
                ]
        )
        let unknown = Fixtures.checkoutIssues("    provider_keys: { openai: { value: sk-live-0123456789 } }\n")
        #expect(
            unknown == [
                "policy.yaml:12:30: the key for provider 'openai' in workload 'checkout' "
                    + "must name exactly one of 'env' or 'file', got neither",
                "policy.yaml:12:32: unknown key 'value' in key for provider 'openai' in workload 'checkout'; "
                    + "expected one of: env, file",
            ]
        )
        #expect(!unknown.joined().contains("sk-live"))
    }

    @Test("an empty allow-list is refused: it would refuse every request")
    func emptyAllowList() {
        #expect(
            Fixtures.checkoutIssues("    models: []\n")
                == [
                    "policy.yaml:12:13: 'models' of workload 'checkout' is empty, so the workload may use no model; "
                        + "list model names, or \"*\" for all"
                ]
        )
        #expect(
            Fixtures.checkoutIssues("    models:\n")
                == [
                    "policy.yaml:12:5: 'models' of workload 'checkout' is empty, so the workload may use no model; "
                        + "list model names, or \"*\" for all"
                ]
        )
    }

    @Test("the allow-list is a list of names or \"*\"")
    func allowListShape() {
        #expect(
            Fixtures.checkoutIssues("    models: gpt-4o\n")
                == [
                    "policy.yaml:12:13: 'models' of workload 'checkout' must be a list of model names or \"*\", "
                        + "got string \"gpt-4o\""
                ]
        )
        #expect(
            Fixtures.checkoutIssues("    models: [gpt-4o, { name: cheap }, \"\", ~]\n")
                == [
                    "policy.yaml:12:22: model 2 of workload 'checkout' must be a model name, got a mapping",
                    "policy.yaml:12:39: model 3 of workload 'checkout' must be a model name, got an empty string",
                    "policy.yaml:12:43: model 4 of workload 'checkout' must be a model name, got null",
                ]
        )
    }

    @Test("the allow-list names models defined under models:")
    func unknownModel() {
        #expect(
            Fixtures.checkoutIssues("    models: [gpt-4o, gpt-5]\n")
                == [
                    "policy.yaml:12:22: workload 'checkout' allows unknown model 'gpt-5'; defined models: cheap, gpt-4o"
                ]
        )
        #expect(
            PolicyFixtures.issues(appending: "workloads:\n  checkout:\n    models: [gpt-4o]\n")
                == ["policy.yaml:6:14: workload 'checkout' allows unknown model 'gpt-4o'; defined models: none"]
        )
    }

    @Test("an unquoted * is a YAML alias; the message says to quote it")
    func unquotedWildcard() {
        #expect(
            Fixtures.checkoutIssues("    models: [*]\n")
                == [
                    "policy.yaml:12:15: invalid YAML: did not find expected alphabetic or numeric character "
                        + "(while scanning an alias at line 12, column 14); "
                        + "a * starts an alias in YAML, so write \"*\" in quotes"
                ]
        )
    }

    @Test("a model listed twice, or \"*\" beside names, is refused")
    func allowListRedundancy() {
        #expect(
            Fixtures.checkoutIssues("    models: [gpt-4o, cheap, gpt-4o]\n")
                == ["policy.yaml:12:29: workload 'checkout' lists model 'gpt-4o' twice"]
        )
        #expect(
            Fixtures.checkoutIssues("    models: [gpt-4o, \"*\"]\n")
                == [
                    "policy.yaml:12:22: workload 'checkout' lists \"*\", which allows every model, together with "
                        + "model names; keep either \"*\" or the names"
                ]
        )
    }

    @Test("cross-section checks are skipped when the section they need is itself broken")
    func brokenSectionsSkipChecks() {
        let yaml =
            PolicyFixtures.minimal + """
                providers: [openai]
                models: [gpt-4o]
                workloads:
                  checkout:
                    provider_keys: { openai: { env: TEAM_KEY } }
                    models: [gpt-5]

                """
        #expect(
            PolicyFixtures.issues(yaml, variables: ["TEAM_KEY": "k"])
                == [
                    "policy.yaml:4:12: 'providers' must be a mapping, got a list",
                    "policy.yaml:5:9: 'models' must be a mapping, got a list",
                ]
        )
    }

    @Test("every problem in every workload is reported, in file order")
    func allProblems() {
        let lines = """
              checkout:
                keys: [sha256:abc]
                credentials: forward
                models: [gpt-5]
                limits: {}
              "bad name":
                require_key: maybe

            """
        #expect(
            Fixtures.issues(lines)
                == [
                    "policy.yaml:12:12: key 1 of workload 'checkout' is not a key hash "
                        + "(it has 3 characters after sha256:, not 64); "
                        + "write sha256:<64 lowercase hex digits> as 'sluice key hash' prints it, never the key itself",
                    "policy.yaml:13:18: unknown credentials mode 'forward' for workload 'checkout'; "
                        + "expected one of: inject, passthrough",
                    "policy.yaml:14:14: workload 'checkout' allows unknown model 'gpt-5'; defined models: cheap, gpt-4o",
                    "policy.yaml:16:3: workload name 'bad name' may contain only letters, digits, '-', '_' and '.'",
                    "policy.yaml:17:18: 'require_key' must be true or false, got string \"maybe\"",
                ]
        )
    }
}
