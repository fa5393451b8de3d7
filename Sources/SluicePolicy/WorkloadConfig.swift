/// One workload (an entry under `workloads:`): who its callers are and what they may do.
///
/// A sidecar serves its own workload (named by `--workload` / `SLUICE_WORKLOAD`); a caller that
/// presents a virtual key is the workload whose ``keyHashes`` hold that key's hash. Like the
/// rest of ``Policy`` it holds secret references only; resolved override keys live in
/// ``LoadedPolicy/workloadSecrets``.
public struct WorkloadConfig: Sendable, Hashable, Encodable {
    /// The workload's name: its key under `workloads:`.
    public var name: String
    /// The hashes of the virtual keys that identify callers as this workload (`keys`); a hash
    /// belongs to at most one workload.
    public var keyHashes: [KeyHash]
    /// Whether a caller with no key is refused rather than taken for this sidecar's own
    /// workload (`require_key`); false by default.
    public var requireKey: Bool
    /// Which provider key goes upstream (`credentials`); ``CredentialMode/inject`` by default.
    public var credentials: CredentialMode
    /// The models the workload may use (`models`); ``ModelAllowList/all`` by default.
    public var allowedModels: ModelAllowList
    /// Per-provider keys that replace the provider's own `api_key` for this workload's
    /// requests (`provider_keys`), by provider name; only with ``CredentialMode/inject``.
    public var providerKeys: [String: SecretRef]
    /// What to find and mask, block or log in prompts (`redact`); nil: nothing.
    public var redaction: RedactionSettings?
    /// Deny rules, the injection check and the prompt size limit (`guard`); nil: none.
    public var promptGuard: GuardSettings?
    /// Rate, token, concurrency and money limits (`limits`); nil: none.
    public var limits: LimitSettings?

    /// Creates a workload with the defaults for anything not given.
    public init(
        name: String,
        keyHashes: [KeyHash] = [],
        requireKey: Bool = false,
        credentials: CredentialMode = .inject,
        allowedModels: ModelAllowList = .all,
        providerKeys: [String: SecretRef] = [:],
        redaction: RedactionSettings? = nil,
        promptGuard: GuardSettings? = nil,
        limits: LimitSettings? = nil
    ) {
        self.limits = limits
        self.redaction = redaction
        self.promptGuard = promptGuard
        self.name = name
        self.keyHashes = keyHashes
        self.requireKey = requireKey
        self.credentials = credentials
        self.allowedModels = allowedModels
        self.providerKeys = providerKeys
    }

    private enum CodingKeys: String, CodingKey {
        case name, credentials
        case keyHashes = "keys"
        case requireKey = "require_key"
        case allowedModels = "models"
        case providerKeys = "provider_keys"
        case redaction = "redact"
        case promptGuard = "guard"
        case limits
    }
}
