import Yams

/// Lists of named rules, `[{ name, pattern }]` or `[{ name, terms: [...] }]`, as `redact.custom`
/// and `guard.deny` write them.
extension PolicyDecoder {
    /// Decodes a rule list, reporting bad entries; a pattern must compile as a Swift `Regex`.
    ///
    /// - Parameter reserved: names a rule may not take (the built-in detectors, for `custom`).
    mutating func decodeMatchRules(_ field: PolicyField, context: String, reserved: Set<String>) -> [MatchRule] {
        guard case .sequence(let items) = field.value else {
            report(
                "\(field.label) in \(context) must be a list such as [ { name: NAME, pattern: REGEX } ], "
                    + "got \(field.value.kindDescription)",
                at: field.value.position)
            return []
        }
        var rules: [MatchRule] = []
        var names: Set<String> = []
        for (index, item) in items.enumerated() {
            let label = "rule \(index + 1) of \(field.label) in \(context)"
            guard case .mapping = item else {
                report(
                    "\(label) must be a mapping such as { name: NAME, pattern: REGEX } or { name: NAME, terms: [...] }, "
                        + "got \(item.kindDescription)",
                    at: item.position)
                continue
            }
            guard
                let given = fields(
                    of: item, label: label, context: label, owner: item.position, allowed: ["name", "pattern", "terms"])
            else { continue }
            guard let nameField = require("name", in: given), let name = string(nameField) else { continue }
            var valid = true
            if !Self.isValidName(name) {
                report(
                    "rule name '\(name)' may contain only letters, digits, '-', '_' and '.'",
                    at: nameField.value.position)
                valid = false
            } else if reserved.contains(name) {
                report(
                    "rule name '\(name)' is a built-in detector; list it under 'detectors' or pick another name",
                    at: nameField.value.position)
                valid = false
            } else if !names.insert(name).inserted {
                report("rule name '\(name)' is used twice in \(context)", at: nameField.value.position)
                valid = false
            }
            switch (given["pattern"], given["terms"]) {
            case (nil, nil):
                report("rule '\(name)' in \(context) needs a 'pattern' or a 'terms' list", at: item.position)
            case (.some, .some(let terms)):
                report("rule '\(name)' in \(context) has both 'pattern' and 'terms'; keep one", at: terms.keyPosition)
            case (.some(let patternField), nil):
                if let pattern = decodePattern(patternField, rule: name, context: context), valid {
                    rules.append(.pattern(name, pattern))
                }
            case (nil, .some(let termsField)):
                if let terms = decodeTerms(termsField, rule: name, context: context), valid {
                    rules.append(.terms(name, terms))
                }
            }
        }
        return rules
    }

    private mutating func decodePattern(_ field: PolicyField, rule: String, context: String) -> String? {
        guard let pattern = string(field) else { return nil }
        do {
            _ = try Regex(pattern)
        } catch {
            report(
                "the pattern of rule '\(rule)' in \(context) is not a valid regular expression: \(error)",
                at: field.value.position)
            return nil
        }
        return pattern
    }

    private mutating func decodeTerms(_ field: PolicyField, rule: String, context: String) -> [String]? {
        guard case .sequence(let items) = field.value, !items.isEmpty else {
            report(
                "the terms of rule '\(rule)' in \(context) must be a non-empty list of words or phrases, "
                    + "got \(field.value.kindDescription)",
                at: field.value.position)
            return nil
        }
        var terms: [String] = []
        for item in items {
            guard let term = item.text, !term.allSatisfy(\.isWhitespace) else {
                report("a term of rule '\(rule)' in \(context) must be a non-empty string", at: item.position)
                continue
            }
            terms.append(term)
        }
        return terms.count == items.count ? terms : nil
    }
}
