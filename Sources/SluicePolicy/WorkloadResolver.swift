/// Decides which workload a request belongs to and what that workload may do.
///
/// Built once per policy snapshot and then only read, so the proxy calls it synchronously on
/// the event loop. Its duties, in order:
/// 1. With no `workloads:` in the policy, take every caller as ``CallerIdentity/anonymous``,
///    allowed every model: the behaviour before workloads existed.
/// 2. Read the presented virtual key from `Authorization: Bearer KEY` or `x-api-key: KEY`.
/// 3. Hash it with SHA-256 and compare the digest with every hash of every workload in
///    constant time (``ConstantTime/isEqual(_:_:)``), without stopping at a match.
/// 4. With no key, fall back to the sidecar's own workload, unless it has `require_key: true`.
///
/// A key that matches no workload is refused even when the sidecar has a workload of its own,
/// except when that workload's `credentials` is ``CredentialMode/passthrough``: there the
/// caller's `Authorization` carries its own provider key, which is forwarded, not looked up.
public struct WorkloadResolver: Sendable {
    /// The sidecar's own workload, as defined in the policy; nil when it has none or the policy
    /// has no workloads.
    public let ownWorkload: String?
    /// The workloads by name.
    private let workloads: [String: WorkloadConfig]
    /// Every workload's key digests, flattened, so one pass compares against all of them.
    private let keyTable: [(digest: [UInt8], workload: String)]
    /// How two digests are compared: ``ConstantTime/isEqual(_:_:)``, replaced only by tests that
    /// watch which comparisons a lookup makes.
    private let keyComparison: @Sendable ([UInt8], [UInt8]) -> Bool

    /// Builds the resolver for a policy.
    ///
    /// - Parameters:
    ///   - policy: the policy snapshot the requests are served under.
    ///   - workload: the sidecar's own workload (`--workload` / `SLUICE_WORKLOAD`), or nil.
    /// - Throws: when `workload` is given, the policy defines workloads, and none has that name.
    ///   When the policy defines no workloads, the name is not checked: callers are anonymous.
    public init(policy: Policy, workload: String?) throws(UndefinedWorkloadError) {
        try self.init(policy: policy, workload: workload, keyComparison: ConstantTime.isEqual)
    }

    /// Builds the resolver with the digest comparison given; for tests.
    init(
        policy: Policy, workload: String?, keyComparison: @escaping @Sendable ([UInt8], [UInt8]) -> Bool
    ) throws(UndefinedWorkloadError) {
        if let workload, !policy.workloads.isEmpty, policy.workloads[workload] == nil {
            throw UndefinedWorkloadError(workload: workload, defined: policy.workloads.keys.sorted())
        }
        self.workloads = policy.workloads
        self.ownWorkload = policy.workloads.isEmpty ? nil : workload
        // Sorted by name so the order of comparisons does not vary between runs of one policy.
        self.keyTable = policy.workloads.values.sorted { $0.name < $1.name }.flatMap { config in
            config.keyHashes.map { (digest: $0.bytes, workload: config.name) }
        }
        self.keyComparison = keyComparison
    }

    /// Who sent a request, from its `Authorization` and `x-api-key` header values.
    ///
    /// - Returns: the caller, or why it cannot be identified (answer 401 with the message).
    public func resolve(authorization: String?, apiKey: String?) -> Result<CallerIdentity, IdentityError> {
        guard !workloads.isEmpty else { return .success(.anonymous) }
        let own = ownWorkload.flatMap { workloads[$0] }
        let passthrough = own.map { $0.credentials == .passthrough } ?? false

        let presented: PresentedKey?
        switch PresentedKey.parse(authorization: authorization, apiKey: apiKey) {
        case .success(let key):
            presented = key
        case .failure(let error):
            // A passthrough caller's headers are its provider's business, in whatever scheme
            // that provider takes; only a missing key is this resolver's concern.
            if let own, passthrough { return .success(.workload(own.name)) }
            return .failure(error)
        }

        guard let presented else {
            guard let own else {
                return .failure(
                    IdentityError(
                        code: .noWorkload,
                        message: "this request presents no key and this sidecar serves no workload of its own "
                            + "(--workload / SLUICE_WORKLOAD); send 'Authorization: Bearer KEY' or 'x-api-key: KEY' "
                            + "with a key of one of the policy's workloads"
                    ))
            }
            guard !own.requireKey else {
                return .failure(
                    IdentityError(
                        code: .missingKey,
                        message: "workload '\(own.name)' requires a key (require_key: true); send "
                            + "'Authorization: Bearer KEY' or 'x-api-key: KEY' with one of its keys"
                    ))
            }
            return .success(.workload(own.name))
        }

        if let name = workloadName(forKey: presented.key) { return .success(.workload(name)) }
        if let own, passthrough { return .success(.workload(own.name)) }
        var message =
            "the key in the \(presented.header.name) header is not a key of any workload; "
            + "send a key listed under 'workloads' in the policy (make one with 'sluice key new')"
        if let own, !own.requireKey {
            message += ", or no key to be served as this sidecar's workload '\(own.name)'"
        }
        return .failure(IdentityError(code: .unknownKey, message: message))
    }

    /// The workload whose `keys` hold the hash of `key`, or nil.
    ///
    /// By construction, the time taken does not depend on which bytes match: the digest is
    /// compared with every digest of every workload, each comparison runs over all 32 bytes,
    /// and the loop does not stop at a match (hashes are unique across workloads, so at most
    /// one matches). What the time does reveal is the number of keys in the policy.
    func workloadName(forKey key: some StringProtocol) -> String? {
        let digest = SHA256.digest(of: key.utf8)
        var match: String?
        for entry in keyTable {
            let equal = keyComparison(entry.digest, digest)
            match = equal ? entry.workload : match
        }
        return match
    }

    /// The workload's definition; nil for an anonymous caller or an unknown name.
    public func workload(named name: String) -> WorkloadConfig? {
        workloads[name]
    }

    /// Whether `caller` may use `model` (403 `model_not_allowed` when not). An anonymous caller
    /// may use every model.
    public func isModelAllowed(_ model: String, for caller: CallerIdentity) -> Bool {
        allowedModels(for: caller).allows(model)
    }

    /// The models `caller` may use: what `GET /v1/models` filters by.
    public func allowedModels(for caller: CallerIdentity) -> ModelAllowList {
        switch caller {
        case .anonymous: .all
        case .workload(let name): workloads[name]?.allowedModels ?? .only([])
        }
    }

    /// Which provider key `caller`'s requests carry upstream; ``CredentialMode/inject`` for an
    /// anonymous caller.
    public func credentials(for caller: CallerIdentity) -> CredentialMode {
        caller.workloadName.flatMap { workloads[$0]?.credentials } ?? .inject
    }
}
