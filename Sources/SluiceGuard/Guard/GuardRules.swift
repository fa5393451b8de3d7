/// A workload's prompt guards in the form the request path uses (`guard:` in the policy):
/// deny patterns and terms, the injection check, and a size cap. Build one per policy snapshot.
public struct GuardRules: Sendable {
    /// Patterns that refuse a prompt they match, each named.
    public var denyPatterns: [CustomPatternDetector]
    /// Term lists that refuse a prompt containing one of their terms (whole words, any case).
    public var denyTerms: [TermDetector]
    /// What the injection check does.
    public var injection: InjectionMode
    /// The most bytes of prompt text (all text fields together, decoded) a request may carry.
    public var maxPromptBytes: Int?

    /// The rule name a size block reports.
    public static let maxPromptBytesRule = "max_prompt_bytes"

    /// Rules from compiled parts: `deny` patterns and `denyTerms` lists.
    public init(
        deny: [CustomPatternDetector] = [],
        denyTerms: [TermDetector] = [],
        injection: InjectionMode = .off,
        maxPromptBytes: Int? = nil
    ) {
        self.denyPatterns = deny
        self.denyTerms = denyTerms
        self.injection = injection
        self.maxPromptBytes = maxPromptBytes
    }

    /// Rules from policy text; throws ``RedactionRulesError/invalidPattern(name:reason:)`` for a
    /// pattern that does not compile (the policy loader has already refused those).
    public init(
        denyPatterns: [(name: String, pattern: String)],
        denyTerms: [(name: String, terms: [String])] = [],
        injection: InjectionMode = .off,
        maxPromptBytes: Int? = nil
    ) throws(RedactionRulesError) {
        var compiled: [CustomPatternDetector] = []
        for (name, pattern) in denyPatterns {
            do {
                compiled.append(try CustomPatternDetector(name: name, pattern: pattern))
            } catch {
                throw RedactionRulesError.invalidPattern(name: name, reason: "\(error)")
            }
        }
        self.init(
            deny: compiled, denyTerms: denyTerms.map { TermDetector(name: $0.name, terms: $0.terms) },
            injection: injection, maxPromptBytes: maxPromptBytes)
    }

    /// Whether no guard is on.
    public var isEmpty: Bool {
        denyPatterns.isEmpty && denyTerms.isEmpty && injection == .off && maxPromptBytes == nil
    }
}
