/// Why ``RedactionRules`` could not be built from policy text.
public enum RedactionRulesError: Error, Sendable, Hashable {
    /// A name in `detectors` that is not a ``BuiltinDetector``.
    case unknownDetector(String)
    /// A custom pattern that is not a valid regex.
    case invalidPattern(name: String, reason: String)
}
