/// A workload's `redact:` block: which detectors look for personal data and secrets in what the
/// app sends, and what happens to what they find.
public struct RedactionSettings: Sendable, Hashable, Encodable {
    /// What happens to findings (`action`).
    public enum Action: String, Sendable, Hashable, CaseIterable, Encodable {
        /// Replace each with a typed placeholder such as `[EMAIL_1]`.
        case mask
        /// Refuse the request with 400 `pii_detected`.
        case block
        /// Pass the request unchanged; count and log the types found.
        case log
    }

    /// The built-in detectors that run (`detectors`), by name; all of them when not given.
    public var detectors: [String]
    /// Named patterns and term lists (`custom`).
    public var custom: [MatchRule]
    /// What happens to findings (`action`), `mask` by default.
    public var action: Action
    /// Whether placeholders in the answer become the values again (`restore`), false by default.
    public var restore: Bool
    /// Whether the answer's own text is redacted too (`output`), false by default.
    public var output: Bool

    /// The names `detectors` accepts, in the order messages list them.
    public static let detectorNames = ["email", "phone", "credit_card", "ssn", "iban", "ip_address", "secret"]

    /// Settings with the defaults for anything not given.
    public init(
        detectors: [String] = RedactionSettings.detectorNames,
        custom: [MatchRule] = [],
        action: Action = .mask,
        restore: Bool = false,
        output: Bool = false
    ) {
        self.detectors = detectors
        self.custom = custom
        self.action = action
        self.restore = restore
        self.output = output
    }
}
