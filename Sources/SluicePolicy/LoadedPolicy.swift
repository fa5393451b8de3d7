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
    /// Lowercase hex SHA-256 of the file's bytes: tells in `/config`, logs and metrics which
    /// file is active, and lets a reload skip an unchanged file.
    public var sha256: String

    /// Creates a loaded policy.
    public init(policy: Policy, secrets: [String: SecretValue] = [:], sha256: String) {
        self.policy = policy
        self.secrets = secrets
        self.sha256 = sha256
    }

    /// The effective policy, defaults filled in, as pretty JSON with sorted keys (for `/config`).
    ///
    /// Every `api_key` is written `"<redacted>"`, and secret values are not part of the
    /// encoded model at all, so no secret can appear.
    public func redactedJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail; "{}" only guards the API.
        guard let data = try? encoder.encode(policy) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
