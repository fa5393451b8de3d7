/// A workload's `guard:` block: rules that refuse a prompt before it leaves.
public struct GuardSettings: Sendable, Hashable, Encodable {
    /// What the prompt-injection check does (`injection`).
    public enum Injection: String, Sendable, Hashable, CaseIterable, Encodable {
        /// Refuse the request with 400 `prompt_blocked`, naming the rule.
        case block
        /// Let it through and report the rule in the access log and metrics.
        case flag
        /// Do not check.
        case off
    }

    /// Patterns and term lists that refuse a prompt they match (`deny`).
    public var deny: [MatchRule]
    /// The prompt-injection check (`injection`), `off` by default.
    public var injection: Injection
    /// The most bytes of prompt text a request may carry (`max_prompt_bytes`); no cap when nil.
    public var maxPromptBytes: Int?

    /// Settings with the defaults for anything not given.
    public init(deny: [MatchRule] = [], injection: Injection = .off, maxPromptBytes: Int? = nil) {
        self.deny = deny
        self.injection = injection
        self.maxPromptBytes = maxPromptBytes
    }

    private enum CodingKeys: String, CodingKey {
        case deny, injection
        case maxPromptBytes = "max_prompt_bytes"
    }
}
