/// What the prompt-injection check does when it trips (`guard.injection`).
public enum InjectionMode: String, Sendable, Hashable, CaseIterable {
    /// Refuse the request with 400 `prompt_blocked`, naming the rule.
    case block
    /// Let the request through and report the rule for the access log and metrics.
    case flag
    /// Do not check.
    case off
}
