import Testing

@testable import SluicePolicy

/// Problems with `api_key` references and resolving them.
@Suite("Policy errors: secrets")
struct SecretErrorTests {
    /// The issues for the minimal policy plus a provider `openai` with `api_key: <value>` on line 7.
    private func apiKeyIssues(_ value: String, variables: [String: String] = [:], files: [String: String] = [:])
        -> [String]
    {
        PolicyFixtures.issues(
            appending: "providers:\n  openai:\n    type: openai\n    api_key: \(value)\n", variables: variables,
            files: files
        )
    }

    @Test("an unset environment variable names the variable and the provider")
    func envNotSet() {
        #expect(
            apiKeyIssues("{ env: OPENAI_API_KEY }")
                == ["policy.yaml:7:21: environment variable OPENAI_API_KEY (api_key of provider 'openai') is not set"]
        )
    }

    @Test("an empty environment variable is refused")
    func envEmpty() {
        #expect(
            apiKeyIssues("{ env: OPENAI_API_KEY }", variables: ["OPENAI_API_KEY": ""])
                == ["policy.yaml:7:21: environment variable OPENAI_API_KEY (api_key of provider 'openai') is empty"]
        )
    }

    @Test("a missing or unreadable key file says why")
    func fileMissing() {
        #expect(
            apiKeyIssues("{ file: /run/secrets/openai }")
                == [
                    "policy.yaml:7:22: cannot read api_key of provider 'openai' from /run/secrets/openai: No such file or directory"
                ]
        )
    }

    @Test("a key file of only whitespace is empty")
    func fileEmpty() {
        #expect(
            apiKeyIssues("{ file: /run/secrets/openai }", files: ["/run/secrets/openai": " \n\n"])
                == ["policy.yaml:7:22: file /run/secrets/openai (api_key of provider 'openai') is empty"]
        )
    }

    @Test("a secret with a line break inside is refused: it would split the header it goes into")
    func controlCharacters() {
        #expect(
            apiKeyIssues("{ env: OPENAI_API_KEY }", variables: ["OPENAI_API_KEY": "sk-1\r\nx-evil: 1"])
                == [
                    "policy.yaml:7:21: environment variable OPENAI_API_KEY (api_key of provider 'openai') contains a control character such as a line break; a secret must be one line"
                ]
        )
        #expect(
            apiKeyIssues("{ file: /run/secrets/openai }", files: ["/run/secrets/openai": "sk-1\nsk-2\n"])
                == [
                    "policy.yaml:7:22: file /run/secrets/openai (api_key of provider 'openai') contains a control character such as a line break inside the secret; a secret must be one line"
                ]
        )
        // A trailing newline, as `kubectl create secret --from-file` or `echo` leaves, is not inside the secret.
        #expect(apiKeyIssues("{ file: /run/secrets/openai }", files: ["/run/secrets/openai": "sk-1\n"]).isEmpty)
        #expect(apiKeyIssues("{ env: OPENAI_API_KEY }", variables: ["OPENAI_API_KEY": "sk-1\n"]).isEmpty)
    }

    @Test("a reference names exactly one of env or file")
    func exactlyOne() {
        #expect(
            apiKeyIssues(
                "{ env: OPENAI_API_KEY, file: /run/key }", variables: ["OPENAI_API_KEY": "k"], files: ["/run/key": "k"])
                == ["policy.yaml:7:14: 'api_key' must name exactly one of 'env' or 'file', got both"]
        )
        #expect(
            apiKeyIssues("{}") == ["policy.yaml:7:14: 'api_key' must name exactly one of 'env' or 'file', got neither"])
    }

    @Test("a key written into the policy is refused without being echoed")
    func literalKey() {
        let issues = apiKeyIssues("sk-live-0123456789abcdef")
        #expect(
            issues
                == [
                    "policy.yaml:7:14: 'api_key' must be { env: NAME } or { file: PATH }; "
                        + "never write the key itself into the policy"
                ]
        )
        #expect(!issues.joined().contains("sk-live"))
    }

    @Test("an unknown key in a reference lists env and file, without echoing the value")
    func unknownRefKey() {
        let issues = apiKeyIssues("{ value: sk-live-0123456789abcdef }")
        #expect(
            issues
                == [
                    "policy.yaml:7:14: 'api_key' must name exactly one of 'env' or 'file', got neither",
                    "policy.yaml:7:16: unknown key 'value' in api_key of provider 'openai'; expected one of: env, file",
                ]
        )
        #expect(!issues.joined().contains("sk-live"))
    }

    @Test("env must be a variable name")
    func badEnvName() {
        #expect(
            apiKeyIssues("{ env: \"OPENAI KEY\" }")
                == [
                    "policy.yaml:7:21: 'env' must be an environment variable name (letters, digits and '_'), "
                        + "got \"OPENAI KEY\""
                ]
        )
        #expect(apiKeyIssues("{ env: }") == ["policy.yaml:7:21: 'env' must be a string, got nothing"])
    }

    @Test("every provider's secret is checked, not only the first")
    func allSecrets() {
        let yaml =
            PolicyFixtures.minimal + """
                providers:
                  openai: { type: openai, api_key: { env: OPENAI_API_KEY } }
                  anthropic: { type: anthropic, api_key: { env: ANTHROPIC_API_KEY } }

                """
        #expect(
            PolicyFixtures.issues(yaml)
                == [
                    "policy.yaml:5:43: environment variable OPENAI_API_KEY (api_key of provider 'openai') is not set",
                    "policy.yaml:6:49: environment variable ANTHROPIC_API_KEY (api_key of provider 'anthropic') is not set",
                ]
        )
    }
}
