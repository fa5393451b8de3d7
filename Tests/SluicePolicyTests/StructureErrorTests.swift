import Testing

@testable import SluicePolicy

/// Problems with the file as a whole: YAML syntax, shape, version, unknown and duplicate keys.
@Suite("Policy errors: file structure")
struct StructureErrorTests {
    @Test("YAML syntax errors carry libyaml's position")
    func syntax() {
        #expect(
            PolicyFixtures.issues("version: 1\nlisten: x\n  app: 127.0.0.1:4000\n")
                == ["policy.yaml:3:6: invalid YAML: mapping values are not allowed in this context"]
        )
        #expect(
            PolicyFixtures.issues("version: 1\nlisten: { app: 127.0.0.1:4000\n")
                == [
                    "policy.yaml:3:1: invalid YAML: did not find expected ',' or '}' "
                        + "(while parsing a flow mapping at line 2, column 9)"
                ]
        )
        #expect(
            PolicyFixtures.issues("version: 1\nlisten: *nope\n")
                == ["policy.yaml:2:9: invalid YAML: found undefined alias"]
        )
    }

    @Test("a tab in the indentation gets a hint")
    func tabs() {
        #expect(
            PolicyFixtures.issues("version: 1\nlisten:\n\tapp: 127.0.0.1:4000\n")
                == [
                    "policy.yaml:3:1: invalid YAML: found character that cannot start any token "
                        + "(while scanning for the next token at line 3, column 1); indent with spaces, YAML does not allow tabs"
                ]
        )
    }

    @Test("a second YAML document is refused")
    func twoDocuments() {
        #expect(
            PolicyFixtures.issues("version: 1\n---\nversion: 1\n")
                == ["policy.yaml:2:1: the policy file must hold one YAML document, but a second one starts here"]
        )
    }

    @Test("an empty file or one of comments only says what it needs", arguments: ["", "# nothing yet\n", "\n\n"])
    func empty(yaml: String) {
        #expect(
            PolicyFixtures.issues(yaml)
                == [
                    "policy.yaml:1:1: the policy file is empty; it needs at least 'version: 1' and 'listen: { app: HOST:PORT }'"
                ]
        )
    }

    @Test("the top level must be a mapping")
    func notAMapping() {
        #expect(
            PolicyFixtures.issues("- version: 1\n")
                == [
                    "policy.yaml:1:1: the policy must be a mapping of sections "
                        + "(version, listen, server, providers, models, workloads, limits_store, prices), got a list"
                ]
        )
        #expect(
            PolicyFixtures.issues("hello\n")
                == [
                    "policy.yaml:1:1: the policy must be a mapping of sections "
                        + "(version, listen, server, providers, models, workloads, limits_store, prices), got string \"hello\""
                ]
        )
    }

    @Test("version is required")
    func missingVersion() {
        #expect(
            PolicyFixtures.issues("listen:\n  app: 127.0.0.1:4000\n")
                == ["policy.yaml:1:1: missing required key 'version' in policy"]
        )
    }

    @Test("an unsupported version stops the walk: the rest may mean something else there")
    func unsupportedVersion() {
        #expect(
            PolicyFixtures.issues("version: 2\nlisten: {}\nbogus: 1\n")
                == ["policy.yaml:1:10: unsupported policy version 2; this version of Sluice reads version 1"]
        )
        #expect(
            PolicyFixtures.issues("version: \"1\"\nlisten:\n  app: 127.0.0.1:4000\n")
                == ["policy.yaml:1:10: 'version' must be an integer, got string \"1\""]
        )
    }

    @Test("an unknown top-level key lists the sections")
    func unknownSection() {
        #expect(
            PolicyFixtures.issues("version: 1\nlistn:\n  app: 127.0.0.1:4000\n")
                == [
                    "policy.yaml:1:1: missing required key 'listen' in policy",
                    "policy.yaml:2:1: unknown key 'listn' in policy; expected one of: version, listen, server, providers, models, workloads, limits_store, prices",
                ]
        )
    }

    @Test("limits_store without its postgres URL names the missing key")
    func limitsStoreNeedsPostgres() {
        #expect(
            PolicyFixtures.issues(appending: "workloads:\n  checkout: {}\nlimits_store:\n  lease: 5%\n")
                == ["policy.yaml:6:1: missing required key 'postgres' in limits_store"]
        )
    }

    @Test("a duplicate key is reported at its second occurrence")
    func duplicateKeys() {
        let providers = """
            version: 1
            listen:
              app: 127.0.0.1:4000
            providers:
              openai:
                type: openai
              demo:
                type: mock
              openai:
                type: mock

            """
        #expect(
            PolicyFixtures.issues(providers)
                == ["policy.yaml:9:3: duplicate key 'openai'; it is already defined at line 5, column 3"]
        )
        #expect(
            PolicyFixtures.issues("version: 1\nversion: 1\n")
                == ["policy.yaml:2:1: duplicate key 'version'; it is already defined at line 1, column 1"]
        )
    }

    @Test("several duplicates in one mapping are each reported, in file order")
    func severalDuplicates() {
        let yaml = """
            version: 1
            listen:
              egress: 127.0.0.1:1
              app: 127.0.0.1:2
              egress: 127.0.0.1:3
              app: 127.0.0.1:4

            """
        #expect(
            PolicyFixtures.issues(yaml)
                == [
                    "policy.yaml:5:3: duplicate key 'egress'; it is already defined at line 3, column 3",
                    "policy.yaml:6:3: duplicate key 'app'; it is already defined at line 4, column 3",
                ]
        )
    }

    @Test("a duplicate inside a list item and inside a flow mapping")
    func duplicateInListAndFlow() {
        let inList =
            PolicyFixtures.minimal + """
                models:
                  m:
                    targets:
                      - provider: a
                        provider: b

                """
        #expect(
            PolicyFixtures.issues(inList)
                == ["policy.yaml:8:9: duplicate key 'provider'; it is already defined at line 7, column 9"]
        )
        // Flow mappings keep Yams' position, the first occurrence.
        #expect(
            PolicyFixtures.issues("version: 1\nlisten: { app: 127.0.0.1:4000, app: 127.0.0.1:4001 }\n")
                == ["policy.yaml:2:11: duplicate key 'app'; a key may appear only once in a mapping"]
        )
    }

    @Test("keys must be plain names")
    func complexKey() {
        #expect(
            PolicyFixtures.issues(appending: "[a, b]: 1\n")
                == ["policy.yaml:4:1: keys must be plain names, got a list"]
        )
    }

    @Test("a merge key must merge mappings")
    func badMerge() {
        #expect(
            PolicyFixtures.issues(appending: "providers:\n  demo:\n    <<: 5\n    type: mock\n")
                == ["policy.yaml:6:9: '<<' must merge a mapping or a list of mappings"]
        )
    }

    @Test("every problem in a file is reported, in file order")
    func allProblems() {
        let yaml = """
            version: 1
            listen:
              app: localhost
            server:
              max_body: lots
            providers:
              openai:
                type: opnai
                max_connections: 0
            models:
              gpt-4o:
                targets: []
            extra: 1

            """
        #expect(
            PolicyFixtures.issues(yaml)
                == [
                    "policy.yaml:3:8: 'app' is not a HOST:PORT address: \"localhost\" (no port); "
                        + "write e.g. 127.0.0.1:4000 or [::1]:4000",
                    "policy.yaml:5:13: 'max_body' is not a size: \"lots\"; write e.g. 512KiB, 4MiB, 1MB or a number of bytes",
                    "policy.yaml:8:11: unknown provider type 'opnai' for provider 'openai'; "
                        + "expected one of: openai, anthropic, azure, gemini, bedrock, mock",
                    "policy.yaml:9:22: 'max_connections' must be at least 1, got 0",
                    "policy.yaml:12:14: model 'gpt-4o' has no targets; list at least one, e.g. - { provider: NAME }",
                    "policy.yaml:13:1: unknown key 'extra' in policy; expected one of: version, listen, server, providers, models, workloads, limits_store, prices",
                ]
        )
    }

    @Test("an unreadable policy file is reported at its start")
    func unreadableFile() {
        #expect(
            throws: PolicyLoadError(issues: [
                PolicyIssue(
                    file: "missing.yaml", line: 1, column: 1,
                    message: "cannot read the policy file: No such file or directory")
            ])
        ) {
            try PolicyLoader.load(path: "missing.yaml", environment: .inMemory())
        }
    }

    @Test("issues print as FILE:LINE:COL: message, errors as one line each")
    func printing() {
        let first = PolicyIssue(file: "p.yaml", line: 3, column: 7, message: "first")
        let second = PolicyIssue(file: "p.yaml", line: 9, column: 1, message: "second")
        #expect(first.description == "p.yaml:3:7: first")
        #expect(PolicyLoadError(issues: [first, second]).description == "p.yaml:3:7: first\np.yaml:9:1: second")
    }
}
