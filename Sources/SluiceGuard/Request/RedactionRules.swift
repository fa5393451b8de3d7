/// A workload's redaction settings in the form the request path uses: detectors ready to run.
/// Build one per policy snapshot, not per request.
public struct RedactionRules: Sendable {
    /// The detectors, patterns and terms.
    public var scanner: RedactionScanner
    /// What to do with findings.
    public var action: RedactionAction
    /// Whether placeholders in the answer are turned back into the values (`restore: true`).
    public var restore: Bool
    /// Whether the answer's text is redacted too (`output: true`).
    public var output: Bool

    /// Rules running `scanner` with `action`.
    public init(scanner: RedactionScanner, action: RedactionAction = .mask, restore: Bool = false, output: Bool = false)
    {
        self.scanner = scanner
        self.action = action
        self.restore = restore
        self.output = output
    }

    /// Rules from policy text: detector names, `(name, pattern)` regexes and `(name, terms)`
    /// lists. Throws ``RedactionRulesError`` naming an unknown detector or a pattern that does
    /// not compile (the policy loader has checked both, so this fails only on a programming error).
    public init(
        detectors: [String],
        patterns: [(name: String, pattern: String)] = [],
        terms: [(name: String, terms: [String])] = [],
        action: RedactionAction = .mask,
        restore: Bool = false,
        output: Bool = false
    ) throws(RedactionRulesError) {
        var builtins: Set<BuiltinDetector> = []
        for name in detectors {
            guard let detector = BuiltinDetector(rawValue: name) else {
                throw RedactionRulesError.unknownDetector(name)
            }
            builtins.insert(detector)
        }
        var compiled: [CustomPatternDetector] = []
        for (name, pattern) in patterns {
            do {
                compiled.append(try CustomPatternDetector(name: name, pattern: pattern))
            } catch {
                throw RedactionRulesError.invalidPattern(name: name, reason: "\(error)")
            }
        }
        let lists = terms.map { TermDetector(name: $0.name, terms: $0.terms) }
        self.init(
            scanner: RedactionScanner(detectors: builtins, patterns: compiled, terms: lists),
            action: action, restore: restore, output: output)
    }
}
