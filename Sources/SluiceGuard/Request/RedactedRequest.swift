/// The outcome of redacting one request that may go on.
public struct RedactedRequest: Sendable {
    /// The body to send: the placeholders in place (`mask`), or nil when the original bytes go
    /// out unchanged (nothing found, or `log`).
    public var body: [UInt8]?
    /// What was found, by type, whatever the action.
    public var counts: FindingCounts
    /// The action the rules prescribe; `counts` says whether it did anything.
    public var action: RedactionAction
    /// The placeholders handed out, for restoring the answer; empty unless `mask` found something.
    public var masks: MaskTable

    /// Whether the body was changed.
    public var isModified: Bool { body != nil }
}
