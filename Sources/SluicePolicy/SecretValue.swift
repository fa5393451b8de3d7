/// A resolved secret, such as a provider's API key.
///
/// Every textual form of it is `<redacted>`, so interpolating one into a log line, an error or a
/// debugger print cannot leak it; only code that reads ``value`` on purpose sees the key.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Read it only to hand it to the upstream request.
    public let value: String

    /// Wraps a secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}

extension SecretValue: CustomReflectable {
    /// Hides the value from `dump` and debuggers' mirrors too.
    public var customMirror: Mirror { Mirror(self, children: ["value": "<redacted>"]) }
}
