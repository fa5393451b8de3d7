/// Which provider key a workload's requests carry upstream (`credentials:`).
public enum CredentialMode: String, Sendable, Hashable, Encodable, CaseIterable {
    /// Sluice sends the provider key from the policy (a provider's `api_key`, or the workload's
    /// `provider_keys` override) and never forwards what the caller sent. The default.
    case inject
    /// Sluice forwards the caller's own `Authorization` / `x-api-key` to the provider untouched;
    /// the caller pays with its own key.
    case passthrough
}
