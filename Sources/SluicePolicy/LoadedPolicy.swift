#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A policy as loaded from a file: the validated model, its resolved secrets and the file's hash.
public struct LoadedPolicy: Sendable {
    /// The validated policy.
    public var policy: Policy
    /// Resolved provider keys by provider name; providers without `api_key` have none.
    public var secrets: [String: SecretValue]
    /// Resolved per-workload provider keys (`provider_keys`), by workload name, then provider
    /// name; workloads without overrides have no entry.
    public var workloadSecrets: [String: [String: SecretValue]]
    /// The resolved URL of `limits_store.postgres.url`; nil without a store.
    public var limitsStoreURL: SecretValue?
    /// Lowercase hex SHA-256 of the file's bytes: tells in `/config`, logs and metrics which
    /// file is active, and lets a reload skip an unchanged file.
    public var sha256: String

    /// The ``sha256`` a policy file with this text gets: tells whether a file still holds what was loaded.
    public static func sha256(ofText text: String) -> String {
        SHA256.hex(of: text.utf8)
    }

    /// Creates a loaded policy.
    public init(
        policy: Policy, secrets: [String: SecretValue] = [:], workloadSecrets: [String: [String: SecretValue]] = [:],
        limitsStoreURL: SecretValue? = nil, sha256: String
    ) {
        self.limitsStoreURL = limitsStoreURL
        self.policy = policy
        self.secrets = secrets
        self.workloadSecrets = workloadSecrets
        self.sha256 = sha256
    }

    /// The key to send to `provider` for a request of `workload` under ``CredentialMode/inject``:
    /// the workload's `provider_keys` override when it has one, else the provider's `api_key`;
    /// nil when neither exists (a provider that needs no key). An anonymous caller passes nil.
    public func providerKey(for provider: String, workload: String?) -> SecretValue? {
        if let workload, let override = workloadSecrets[workload]?[provider] { return override }
        return secrets[provider]
    }

    /// The effective policy, defaults filled in, as pretty JSON with sorted keys (for `/config`).
    ///
    /// Every `api_key` and `provider_keys` entry is written `"<redacted>"`, and secret values are
    /// not part of the encoded model at all, so no secret can appear. Virtual key hashes are
    /// shown: a hash gives the key away no more than the policy file itself does.
    public func redactedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail; "{}" only guards the API.
        guard let data = try? encoder.encode(policy) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
