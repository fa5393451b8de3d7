/// A named rule of `redact.custom` or `guard.deny`: a regular expression (`pattern`) or a list
/// of literal `terms` matched case-insensitively as whole words. Exactly one of the two is set.
public struct MatchRule: Sendable, Hashable, Encodable {
    /// The rule's name: the placeholder label for `custom` (`employee_id` → `[EMPLOYEE_ID_1]`),
    /// the rule a block names for `deny`.
    public var name: String
    /// The regular expression, in Swift `Regex` syntax (`(?i)` and the usual PCRE classes).
    public var pattern: String?
    /// The literal terms.
    public var terms: [String]

    /// A pattern rule.
    public static func pattern(_ name: String, _ pattern: String) -> MatchRule {
        MatchRule(name: name, pattern: pattern, terms: [])
    }

    /// A terms rule.
    public static func terms(_ name: String, _ terms: [String]) -> MatchRule {
        MatchRule(name: name, pattern: nil, terms: terms)
    }

    /// A rule; set `pattern` or `terms`, not both.
    public init(name: String, pattern: String?, terms: [String]) {
        self.name = name
        self.pattern = pattern
        self.terms = terms
    }

    private enum CodingKeys: String, CodingKey {
        case name, pattern, terms
    }

    /// Encodes `name` and whichever of `pattern` and `terms` is set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if let pattern {
            try container.encode(pattern, forKey: .pattern)
        } else {
            try container.encode(terms, forKey: .terms)
        }
    }
}
