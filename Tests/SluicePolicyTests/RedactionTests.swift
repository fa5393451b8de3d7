import Testing

@testable import SluicePolicy

/// No secret value leaves through printing, dumping or the effective-policy JSON.
@Suite("Secrets stay secret")
struct RedactionTests {
    static let secretText = "sk-very-secret-0123456789"

    @Test("SecretValue prints as <redacted> in every form")
    func secretValuePrinting() {
        let secret = SecretValue(Self.secretText)
        #expect(secret.value == Self.secretText)
        #expect(secret.description == "<redacted>")
        #expect(secret.debugDescription == "<redacted>")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!"\([secret])".contains(Self.secretText))
        #expect(!"\(["openai": secret])".contains(Self.secretText))
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains(Self.secretText))
    }

    @Test("a loaded policy printed whole shows no secret")
    func loadedPolicyPrinting() throws {
        let loaded = try PolicyFixtures.load(
            PolicyFixtures.minimal + "providers:\n  openai: { type: openai, api_key: { env: OPENAI_API_KEY } }\n",
            variables: ["OPENAI_API_KEY": Self.secretText]
        )
        #expect(loaded.secrets["openai"]?.value == Self.secretText)
        #expect(!String(describing: loaded).contains(Self.secretText))
        #expect(!String(reflecting: loaded).contains(Self.secretText))
        var dumped = ""
        dump(loaded, to: &dumped)
        #expect(!dumped.contains(Self.secretText))
    }

    @Test("SecretRef encodes as <redacted>, whatever it refers to")
    func secretRefEncoding() throws {
        let loaded = LoadedPolicy(
            policy: Policy(
                listen: ListenSettings(app: HostPort(host: "127.0.0.1", port: 4000)),
                providers: [
                    "a": ProviderConfig(name: "a", type: .openai, apiKey: .env("OPENAI_API_KEY")),
                    "b": ProviderConfig(name: "b", type: .anthropic, apiKey: .file("/run/secrets/b")),
                ]
            ),
            sha256: ""
        )
        let json = loaded.redactedJSON()
        #expect(!json.contains("OPENAI_API_KEY"))
        #expect(!json.contains("/run/secrets/b"))
        #expect(json.ranges(of: "\"api_key\" : \"<redacted>\"").count == 2)
    }

    @Test("redactedJSON of the design's example holds no secret and every effective value")
    func redactedJSONHasNoSecret() throws {
        let loaded = try PolicyFixtures.load(
            PolicyLoaderTests.full, variables: PolicyLoaderTests.variables, files: PolicyLoaderTests.files
        )
        let json = loaded.redactedJSON()
        for secret in loaded.secrets.values {
            #expect(!json.contains(secret.value))
        }
        #expect(!json.contains("sk-"))
        #expect(json.contains("\"api_key\" : \"<redacted>\""))
        #expect(json.contains("\"max_body\" : 524288"))
        #expect(json.contains("\"drain_timeout\" : \"5s\""))
        #expect(json.contains("\"first_byte\" : \"2m\""))
        #expect(json.contains("\"base_url\" : \"https://vllm.internal:8443/v1\""))
        #expect(json.contains("\"strategy\" : \"least_latency\""))
        #expect(json.contains("\"backoff\" : \"200ms\""))
        #expect(json.contains("\"ca_file\" : \"/etc/sluice/ca.pem\""))
    }

    @Test("redactedJSON has a stable, readable shape")
    func redactedJSONShape() throws {
        let yaml =
            PolicyFixtures.minimal + """
                providers:
                  demo: { type: mock }
                models:
                  m: { targets: [{ provider: demo }] }

                """
        let json = try PolicyFixtures.load(yaml).redactedJSON()
        #expect(
            json == """
                {
                  "listen" : {
                    "admin" : "127.0.0.1:9901",
                    "app" : "127.0.0.1:4000"
                  },
                  "models" : {
                    "m" : {
                      "name" : "m",
                      "resume" : false,
                      "strategy" : "ordered",
                      "targets" : [
                        {
                          "provider" : "demo"
                        }
                      ]
                    }
                  },
                  "providers" : {
                    "demo" : {
                      "breaker" : {
                        "cooldown" : "10s",
                        "failures" : 5
                      },
                      "max_connections" : 64,
                      "name" : "demo",
                      "timeouts" : {
                        "connect" : "2s",
                        "first_byte" : "30s",
                        "first_token" : "30s",
                        "idle" : "1m",
                        "total" : "10m"
                      },
                      "tls" : {

                      },
                      "type" : "mock"
                    }
                  },
                  "server" : {
                    "drain_timeout" : "20s",
                    "max_body" : 4194304,
                    "release_startup_pages" : true
                  },
                  "version" : 1
                }
                """
        )
    }
}
