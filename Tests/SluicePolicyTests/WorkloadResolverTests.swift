import Synchronization
import Testing

@testable import SluicePolicy

@Suite("Identity: which workload a request is")
struct WorkloadResolverTests {
    typealias Fixtures = WorkloadFixtures

    /// `checkout` (key 1, the usual sidecar workload, models gpt-4o), `billing` (keys 2 and 3,
    /// require_key, every model) and `byok` (passthrough, cheap only).
    static let policy: Policy = {
        let lines = """
              checkout:
                keys: [\(Fixtures.hash1)]
                models: [gpt-4o]
              billing:
                keys: [\(Fixtures.hash2), \(Fixtures.hash3)]
                require_key: true
              byok:
                credentials: passthrough
                models: [cheap]

            """
        do {
            return try Fixtures.load(lines).policy
        } catch {
            fatalError("\(error)")
        }
    }()

    private func resolver(_ workload: String?) throws -> WorkloadResolver {
        try WorkloadResolver(policy: Self.policy, workload: workload)
    }

    private func resolve(_ workload: String?, authorization: String? = nil, apiKey: String? = nil) throws
        -> Result<CallerIdentity, IdentityError>
    {
        try resolver(workload).resolve(authorization: authorization, apiKey: apiKey)
    }

    // MARK: Which workload

    @Test("a key identifies its workload, from either header", arguments: [nil, "checkout", "billing"])
    func keyToWorkload(own: String?) throws {
        #expect(try resolve(own, authorization: "Bearer \(Fixtures.key1)") == .success(.workload("checkout")))
        #expect(try resolve(own, apiKey: Fixtures.key2) == .success(.workload("billing")))
        #expect(try resolve(own, authorization: "Bearer \(Fixtures.key3)") == .success(.workload("billing")))
        #expect(
            try resolve(own, authorization: "Bearer \(Fixtures.key1)", apiKey: Fixtures.key1)
                == .success(.workload("checkout")))
    }

    @Test("the Bearer scheme is case-insensitive and whitespace around the key is ignored")
    func bearerSpelling() throws {
        for header in ["bearer \(Fixtures.key1)", "BEARER \(Fixtures.key1)", "  Bearer \t \(Fixtures.key1)  "] {
            #expect(try resolve(nil, authorization: header) == .success(.workload("checkout")))
        }
        #expect(try resolve(nil, apiKey: " \(Fixtures.key1)\t") == .success(.workload("checkout")))
    }

    @Test("no key: the sidecar's own workload")
    func defaultWorkload() throws {
        #expect(try resolve("checkout") == .success(.workload("checkout")))
        #expect(try resolver("checkout").ownWorkload == "checkout")
    }

    @Test("no key and require_key: 401 missing key")
    func requireKey() throws {
        let result = try resolve("billing")
        #expect(result.failure?.code == .missingKey)
        #expect(
            result.failure?.message
                == "workload 'billing' requires a key (require_key: true); send "
                + "'Authorization: Bearer KEY' or 'x-api-key: KEY' with one of its keys"
        )
        #expect(try resolve("billing", apiKey: Fixtures.key2) == .success(.workload("billing")))
    }

    @Test("no key and no workload of its own: 401 saying so")
    func noWorkload() throws {
        let result = try resolve(nil)
        #expect(result.failure?.code == .noWorkload)
        #expect(
            result.failure?.message
                == "this request presents no key and this sidecar serves no workload of its own "
                + "(--workload / SLUICE_WORKLOAD); send 'Authorization: Bearer KEY' or 'x-api-key: KEY' "
                + "with a key of one of the policy's workloads"
        )
    }

    @Test("an unknown key is refused even when the sidecar has a workload; its message holds no key")
    func unknownKey() throws {
        let withDefault = try resolve("checkout", authorization: "Bearer sk-sluice-wrong")
        #expect(withDefault.failure?.code == .unknownKey)
        #expect(
            withDefault.failure?.message
                == "the key in the Authorization header is not a key of any workload; send a key listed under "
                + "'workloads' in the policy (make one with 'sluice key new'), "
                + "or no key to be served as this sidecar's workload 'checkout'"
        )
        let requiring = try resolve("billing", apiKey: "sk-sluice-wrong")
        #expect(
            requiring.failure?.message
                == "the key in the x-api-key header is not a key of any workload; send a key listed under "
                + "'workloads' in the policy (make one with 'sluice key new')"
        )
        #expect(try resolve(nil, apiKey: "sk-sluice-wrong").failure?.code == .unknownKey)
        for result in [withDefault, requiring] {
            #expect(!(result.failure?.message.contains("sk-sluice-wrong") ?? true))
        }
    }

    @Test("a key's hash, not the key, is what is listed: a hash sent as a key is unknown")
    func hashIsNotAKey() throws {
        #expect(try resolve("checkout", authorization: "Bearer \(Fixtures.hash1)").failure?.code == .unknownKey)
    }

    @Test(
        "malformed headers are 401 with a message that never repeats the credentials",
        arguments: [
            ("Basic dXNlcjpwYXNz", nil, "the Authorization header must be 'Bearer KEY', got the Basic scheme"),
            ("token abc", nil, "the Authorization header must be 'Bearer KEY', got the Token scheme"),
            (
                "sk-sluice-abc", nil,
                "the Authorization header must be 'Bearer KEY', got a value without the Bearer scheme"
            ),
            ("Bearer", nil, "the Authorization header's Bearer key is empty; send 'Authorization: Bearer KEY'"),
            ("Bearer   ", nil, "the Authorization header's Bearer key is empty; send 'Authorization: Bearer KEY'"),
            ("", nil, "the Authorization header is empty; send 'Authorization: Bearer KEY' or leave it out"),
            (
                "Bearer sk-one sk-two", nil,
                "the Authorization header must be 'Bearer KEY' with one key and nothing after it"
            ),
            (nil, "", "the x-api-key header is empty; send 'x-api-key: KEY' or leave it out"),
            (nil, "sk-one sk-two", "the x-api-key header must hold one key and nothing else"),
            (
                "Bearer test-key", "key-two",
                "the request sends different keys in Authorization and x-api-key; send one key, in either header"
            ),
        ] as [(String?, String?, String)]
    )
    func malformed(authorization: String?, apiKey: String?, message: String) throws {
        for own in [nil, "checkout"] {
            let result = try resolve(own, authorization: authorization, apiKey: apiKey)
            #expect(result.failure == IdentityError(code: .malformedCredentials, message: message))
        }
        let shown = try resolve(nil, authorization: authorization, apiKey: apiKey).failure?.message ?? ""
        for secret in ["dXNlcjpwYXNz", "abc", "sk-one", "sk-two", "test-key", "key-two"] {
            #expect(!shown.contains(secret))
        }
    }

    @Test("error codes have stable names for envelopes and metrics")
    func codeNames() {
        #expect(IdentityError.Code.malformedCredentials.description == "malformed_credentials")
        #expect(IdentityError.Code.unknownKey.description == "unknown_key")
        #expect(IdentityError.Code.missingKey.description == "missing_key")
        #expect(IdentityError.Code.noWorkload.description == "no_workload")
    }

    // MARK: Passthrough

    @Test("a passthrough sidecar forwards what callers send: any key, any scheme, is its workload")
    func passthroughDefault() throws {
        #expect(try resolve("byok", authorization: "Bearer sk-proj-caller-own-key") == .success(.workload("byok")))
        #expect(try resolve("byok", apiKey: "sk-ant-caller-own-key") == .success(.workload("byok")))
        #expect(try resolve("byok", authorization: "Basic dXNlcjpwYXNz") == .success(.workload("byok")))
        #expect(try resolve("byok") == .success(.workload("byok")))
        // A virtual key still identifies its own workload.
        #expect(try resolve("byok", authorization: "Bearer \(Fixtures.key1)") == .success(.workload("checkout")))
        #expect(try resolver("byok").credentials(for: .workload("byok")) == .passthrough)
    }

    @Test("a passthrough workload with require_key refuses a request that brings no key")
    func passthroughRequiringKey() throws {
        let policy = try Fixtures.load("  byok:\n    credentials: passthrough\n    require_key: true\n").policy
        let resolver = try WorkloadResolver(policy: policy, workload: "byok")
        #expect(resolver.resolve(authorization: nil, apiKey: nil).failure?.code == .missingKey)
        #expect(resolver.resolve(authorization: "Bearer sk-own", apiKey: nil) == .success(.workload("byok")))
    }

    // MARK: No workloads, unknown workload

    @Test("with no workloads section every caller is anonymous and may use every model")
    func anonymous() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.minimal).policy
        for own in [nil, "checkout"] {
            let resolver = try WorkloadResolver(policy: policy, workload: own)
            #expect(resolver.ownWorkload == nil)
            for (authorization, apiKey) in [(nil, nil), ("Bearer anything", nil), ("Basic x", "y"), (nil, "")] {
                #expect(resolver.resolve(authorization: authorization, apiKey: apiKey) == .success(.anonymous))
            }
            #expect(resolver.isModelAllowed("any-model", for: .anonymous))
            #expect(resolver.allowedModels(for: .anonymous) == .all)
            #expect(resolver.credentials(for: .anonymous) == .inject)
        }
    }

    @Test("a sidecar workload the policy does not define is refused when the resolver is built")
    func undefinedWorkload() {
        #expect(throws: UndefinedWorkloadError(workload: "checkuot", defined: ["billing", "byok", "checkout"])) {
            try WorkloadResolver(policy: Self.policy, workload: "checkuot")
        }
        #expect(
            UndefinedWorkloadError(workload: "checkuot", defined: ["billing", "checkout"]).description
                == "this sidecar's workload 'checkuot' (--workload / SLUICE_WORKLOAD) is not defined under "
                + "'workloads' in the policy; defined workloads: billing, checkout"
        )
    }

    // MARK: Constant-time lookup, by construction

    /// The digests a resolver's comparisons were given, in order.
    private final class ComparisonLog: Sendable {
        let presented = Mutex<[[UInt8]]>([])
    }

    /// A resolver whose digest comparisons are recorded, then answered by ``ConstantTime``.
    private func recordingResolver(_ workload: String?) throws -> (WorkloadResolver, ComparisonLog) {
        let log = ComparisonLog()
        let resolver = try WorkloadResolver(policy: Self.policy, workload: workload) { stored, presented in
            log.presented.withLock { $0.append(presented) }
            return ConstantTime.isEqual(stored, presented)
        }
        return (resolver, log)
    }

    @Test(
        "a presented key's digest is compared with every hash of every workload, without stopping at a match",
        arguments: [Fixtures.key1, Fixtures.key2, Fixtures.key3, "sk-sluice-unknown"]
    )
    func everyHashCompared(key: String) throws {
        let (resolver, log) = try recordingResolver("checkout")
        _ = resolver.resolve(authorization: "Bearer \(key)", apiKey: nil)
        let comparisons = log.presented.withLock { $0 }
        // Three hashes in the policy: each is compared once, whether or where the key matches.
        #expect(comparisons.count == 3)
        #expect(comparisons.allSatisfy { $0 == SHA256.digest(of: key.utf8) })
    }

    @Test("no key, no comparison; the answer comes from the comparison function")
    func comparisonDecides() throws {
        let (resolver, log) = try recordingResolver("checkout")
        _ = resolver.resolve(authorization: nil, apiKey: nil)
        #expect(log.presented.withLock { $0.isEmpty })

        // A comparison that never matches turns every key into an unknown one: the resolver
        // has no other way to match keys.
        let blind = try WorkloadResolver(policy: Self.policy, workload: "checkout") { _, _ in false }
        #expect(blind.resolve(authorization: "Bearer \(Fixtures.key1)", apiKey: nil).failure?.code == .unknownKey)
    }

    // MARK: Authorization

    @Test("the allow-list decides which models a workload may use; \"*\" allows all")
    func allowList() throws {
        let resolver = try resolver("checkout")
        #expect(resolver.isModelAllowed("gpt-4o", for: .workload("checkout")))
        #expect(!resolver.isModelAllowed("cheap", for: .workload("checkout")))
        #expect(resolver.isModelAllowed("cheap", for: .workload("billing")))
        #expect(resolver.isModelAllowed("gpt-4o", for: .workload("billing")))
        #expect(resolver.isModelAllowed("cheap", for: .workload("byok")))
        #expect(!resolver.isModelAllowed("gpt-4o", for: .workload("byok")))
        #expect(!resolver.isModelAllowed("gpt-4o", for: .workload("nobody")))
        #expect(resolver.allowedModels(for: .workload("checkout")).filter(["cheap", "gpt-4o"]) == ["gpt-4o"])
        #expect(resolver.allowedModels(for: .workload("billing")).filter(["gpt-4o", "cheap"]) == ["cheap", "gpt-4o"])
        #expect(resolver.allowedModels(for: .workload("nobody")).filter(["cheap"]) == [])
    }

    @Test("credentials and definitions per caller")
    func perCaller() throws {
        let resolver = try resolver("checkout")
        #expect(resolver.credentials(for: .workload("checkout")) == .inject)
        #expect(resolver.credentials(for: .workload("byok")) == .passthrough)
        #expect(resolver.workload(named: "billing")?.requireKey == true)
        #expect(resolver.workload(named: "nobody") == nil)
        #expect(CallerIdentity.workload("checkout").workloadName == "checkout")
        #expect(CallerIdentity.anonymous.workloadName == nil)
    }
}

extension Result {
    /// The error, if this is a failure.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
