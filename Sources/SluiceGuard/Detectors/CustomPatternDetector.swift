/// A named regular expression from the policy (`custom: [{ name: employee_id, pattern: … }]`).
///
/// Patterns use Swift's `Regex` syntax (a superset of PCRE's common core: `(?i)`, classes,
/// quantifiers, lookahead). A regex runs over the whole text on its own, so each one costs a
/// pass; the built-in detectors share a single pass.
public struct CustomPatternDetector: @unchecked Sendable {
    // `Regex` is not declared Sendable; this one is never mutated after `init`, and matching
    // reads it only, so sharing it between threads is safe.
    private let regex: Regex<AnyRegexOutput>
    /// The type of the findings: the rule's name.
    public let type: EntityType

    /// Compiles `pattern`; throws the compiler's error when it is not a valid regex.
    public init(name: String, pattern: String) throws {
        self.regex = try Regex(pattern)
        self.type = EntityType(name)
        // Matching once lowers the regex to its program now, at policy load, rather than on the
        // first request that uses it.
        _ = "".firstMatch(of: regex)
    }

    /// Every non-empty match in `text`, as UTF-8 byte ranges.
    public func findings(in text: String) -> [Finding] {
        var found: [Finding] = []
        let utf8 = text.utf8
        for match in text.matches(of: regex) where !match.range.isEmpty {
            let lower = utf8.distance(from: utf8.startIndex, to: match.range.lowerBound)
            let upper = lower + utf8.distance(from: match.range.lowerBound, to: match.range.upperBound)
            found.append(Finding(type: type, range: lower..<upper))
        }
        return found
    }

    /// Whether `pattern` compiles, and the compiler's message when it does not.
    public static func validate(_ pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
