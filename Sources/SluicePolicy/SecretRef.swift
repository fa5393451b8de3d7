/// Where a secret comes from: `{ env: NAME }` or `{ file: PATH }` in the policy.
///
/// The policy never holds a secret itself, only this reference; the loader resolves it into a
/// ``SecretValue`` and re-resolves it on every reload, so a rotated key is picked up.
public enum SecretRef: Sendable, Hashable, Encodable {
    /// The value of an environment variable of the Sluice process.
    case env(String)
    /// The contents of a file (trailing newlines and spaces trimmed), e.g. a mounted Kubernetes secret.
    case file(String)

    /// Always writes `"<redacted>"`: `/config` and `redactedJSON()` must not even hint at where keys live.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode("<redacted>")
    }
}
