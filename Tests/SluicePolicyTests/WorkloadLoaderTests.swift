import Testing

@testable import SluicePolicy

@Suite("Loading workloads")
struct WorkloadLoaderTests {
    typealias Fixtures = WorkloadFixtures

    /// The design's `workloads` example, less what this version does not serve yet.
    static let design = """
          checkout:
            keys: [ "\(Fixtures.hash1)" ]
            require_key: false
            credentials: inject
            models: [gpt-4o, cheap]
          billing:
            keys:
              - \(Fixtures.hash2)
              - \(Fixtures.hash3)
            require_key: true
            provider_keys:
              openai: { env: BILLING_OPENAI_KEY }
            models: ["*"]
          byok:
            credentials: passthrough
            models: [cheap]

        """

    @Test("the design's example loads with every value in place")
    func design() throws {
        let loaded = try Fixtures.load(Self.design, variables: ["BILLING_OPENAI_KEY": "sk-billing-team"])
        let workloads = loaded.policy.workloads
        #expect(workloads.keys.sorted() == ["billing", "byok", "checkout"])
        #expect(
            workloads["checkout"]
                == WorkloadConfig(
                    name: "checkout", keyHashes: [try #require(KeyHash(Fixtures.hash1))],
                    allowedModels: .only(["gpt-4o", "cheap"])
                )
        )
        #expect(
            workloads["billing"]
                == WorkloadConfig(
                    name: "billing",
                    keyHashes: [try #require(KeyHash(Fixtures.hash2)), try #require(KeyHash(Fixtures.hash3))],
                    requireKey: true, providerKeys: ["openai": .env("BILLING_OPENAI_KEY")]
                )
        )
        #expect(
            workloads["byok"]
                == WorkloadConfig(name: "byok", credentials: .passthrough, allowedModels: .only(["cheap"])))
        #expect(loaded.workloadSecrets == ["billing": ["openai": SecretValue("sk-billing-team")]])
    }

    @Test("a workload override replaces the provider's key for that workload only")
    func providerKeyOverride() throws {
        let loaded = try Fixtures.load(Self.design, variables: ["BILLING_OPENAI_KEY": "sk-billing-team"])
        #expect(loaded.providerKey(for: "openai", workload: "billing")?.value == "sk-billing-team")
        #expect(loaded.providerKey(for: "openai", workload: "checkout")?.value == "sk-openai-policy-key")
        #expect(loaded.providerKey(for: "openai", workload: nil)?.value == "sk-openai-policy-key")
        #expect(loaded.providerKey(for: "demo", workload: "billing") == nil)
    }

    @Test("an override may come from a file, relative to the policy's folder")
    func providerKeyFromFile() throws {
        let yaml = Fixtures.base + "  checkout:\n    provider_keys: { openai: { file: keys/checkout } }\n"
        let loaded = try PolicyFixtures.load(
            yaml, variables: Fixtures.variables, files: ["/etc/sluice/keys/checkout": "sk-checkout\n"],
            file: "/etc/sluice/policy.yaml"
        )
        #expect(loaded.policy.workloads["checkout"]?.providerKeys == ["openai": .file("/etc/sluice/keys/checkout")])
        #expect(loaded.workloadSecrets["checkout"]?["openai"]?.value == "sk-checkout")
    }

    @Test("an empty or null workload gets every default", arguments: ["  checkout: {}\n", "  checkout:\n"])
    func defaults(lines: String) throws {
        let workload = try #require(try Fixtures.load(lines).policy.workloads["checkout"])
        #expect(workload == WorkloadConfig(name: "checkout"))
        #expect(workload.keyHashes.isEmpty)
        #expect(workload.requireKey == false)
        #expect(workload.credentials == .inject)
        #expect(workload.allowedModels == .all)
        #expect(workload.providerKeys.isEmpty)
    }

    @Test("\"*\" allows every model, alone in a list or on its own", arguments: ["[\"*\"]", "\"*\"", "['*']"])
    func wildcard(models: String) throws {
        let workload = try Fixtures.load("  checkout:\n    models: \(models)\n").policy.workloads["checkout"]
        #expect(workload?.allowedModels == .all)
    }

    @Test("keys: with nothing under it means no keys")
    func nullKeys() throws {
        let workload = try Fixtures.load("  checkout:\n    keys:\n").policy.workloads["checkout"]
        #expect(workload?.keyHashes == [])
    }

    @Test("a passthrough workload may require callers to bring a key")
    func passthroughRequiringKey() throws {
        let workload = try Fixtures.load("  byok:\n    credentials: passthrough\n    require_key: true\n")
            .policy.workloads["byok"]
        #expect(workload?.requireKey == true)
        #expect(workload?.credentials == .passthrough)
    }

    @Test("anchors and merge keys share settings between workloads; own keys win")
    func mergeKeys() throws {
        let lines = """
              base: &base
                require_key: true
                keys: [\(Fixtures.hash1)]
                models: [cheap]
              search:
                <<: *base
                keys: [\(Fixtures.hash2)]

            """
        let workloads = try Fixtures.load(lines).policy.workloads
        #expect(workloads["search"]?.requireKey == true)
        #expect(workloads["search"]?.allowedModels == .only(["cheap"]))
        #expect(workloads["search"]?.keyHashes == [try #require(KeyHash(Fixtures.hash2))])
    }

    @Test("redactedJSON shows key hashes and hides override keys and where they live")
    func redactedJSON() throws {
        let loaded = try Fixtures.load(Self.design, variables: ["BILLING_OPENAI_KEY": "sk-billing-team"])
        let json = loaded.redactedJSON()
        #expect(!json.contains("sk-billing-team"))
        #expect(!json.contains("BILLING_OPENAI_KEY"))
        #expect(!json.contains("sk-openai-policy-key"))
        #expect(json.contains("\"provider_keys\" : {\n        \"openai\" : \"<redacted>\"\n      }"))
        #expect(json.contains(Fixtures.hash2))
        #expect(json.contains("\"models\" : [\n        \"*\"\n      ]"))
    }

    @Test("a workload in redactedJSON has a stable, readable shape")
    func redactedJSONShape() throws {
        let lines = """
              checkout:
                keys: [\(Fixtures.hash1)]
                provider_keys: { openai: { env: TEAM_KEY } }
                models: [gpt-4o, cheap]

            """
        let json = try Fixtures.load(lines, variables: ["TEAM_KEY": "sk-team-secret"]).redactedJSON()
        let workloads = try #require(json.firstRange(of: "  \"workloads\" : {"))
        #expect(
            json[workloads.lowerBound...] == """
                  "workloads" : {
                    "checkout" : {
                      "credentials" : "inject",
                      "keys" : [
                        "\(Fixtures.hash1)"
                      ],
                      "models" : [
                        "cheap",
                        "gpt-4o"
                      ],
                      "name" : "checkout",
                      "provider_keys" : {
                        "openai" : "<redacted>"
                      },
                      "require_key" : false
                    }
                  }
                }
                """
        )
        #expect(!json.contains("sk-team-secret"))
        #expect(!json.contains("TEAM_KEY"))
    }

    @Test("a loaded policy printed whole shows no override key")
    func printing() throws {
        let loaded = try Fixtures.load(Self.design, variables: ["BILLING_OPENAI_KEY": "sk-billing-team"])
        #expect(!String(describing: loaded).contains("sk-billing-team"))
        #expect(!String(reflecting: loaded).contains("sk-billing-team"))
        var dumped = ""
        dump(loaded, to: &dumped)
        #expect(!dumped.contains("sk-billing-team"))
    }

    @Test("a policy without workloads has none, and says nothing about them in redactedJSON")
    func noWorkloads() throws {
        let loaded = try PolicyFixtures.load(PolicyFixtures.minimal)
        #expect(loaded.policy.workloads.isEmpty)
        #expect(loaded.workloadSecrets.isEmpty)
        #expect(!loaded.redactedJSON().contains("workloads"))
        let empty = try PolicyFixtures.load(PolicyFixtures.minimal + "workloads:\n")
        #expect(empty.policy.workloads.isEmpty)
    }
}
