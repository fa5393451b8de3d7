public import SluiceLLM

/// What the prompt guards decided about one request.
public enum GuardVerdict: Sendable, Hashable {
    /// No rule tripped.
    case pass
    /// Injection rules tripped in `flag` mode: let the request through, report the rules.
    case flagged(rules: [String])
    /// A rule refused the request; `error` is the 400 `prompt_blocked` to answer with.
    case blocked(rule: String, error: SluiceError)

    /// The rule that blocked, if one did.
    public var blockingRule: String? {
        if case .blocked(let rule, _) = self { return rule }
        return nil
    }
}
