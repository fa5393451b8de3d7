/// Literal terms from the policy, matched case-insensitively as whole words: `Project Falcon`
/// matches `project falcon,` but not `project falconry`.
///
/// ASCII terms are matched on the bytes in one pass that only compares at word starts whose
/// first letter some term starts with. A term with non-ASCII letters is matched by a
/// case-insensitive `Regex`, so `Zürich` also finds `ZÜRICH`.
public struct TermDetector: @unchecked Sendable {
    // The regex is built once and only read afterwards; see `CustomPatternDetector`.
    private let terms: [[UInt8]]
    private let firstBytes: [Bool]
    private let unicodeRegex: Regex<AnyRegexOutput>?
    /// The type of the findings: the rule's name.
    public let type: EntityType

    /// A detector for `terms` (empty terms are ignored) reporting findings of type `name`.
    public init(name: String, terms: [String]) {
        self.type = EntityType(name)
        var ascii: [[UInt8]] = []
        var unicode: [String] = []
        for term in terms where !term.isEmpty {
            if term.utf8.allSatisfy({ $0 < 0x80 }) {
                ascii.append(term.utf8.map(ASCII.lower))
            } else {
                unicode.append(term)
            }
        }
        // Longest first, so `New York City` wins over `New York` at the same place.
        self.terms = ascii.sorted { $0.count > $1.count }
        var table = [Bool](repeating: false, count: 256)
        for term in self.terms { table[Int(term[0])] = true }
        self.firstBytes = table
        self.unicodeRegex = unicode.isEmpty ? nil : Self.regex(for: unicode)
    }

    /// Every occurrence in `bytes` (the UTF-8 of `text`).
    func findings(in bytes: UnsafeRawBufferPointer, text: @autoclosure () -> String) -> [Finding] {
        var found: [Finding] = []
        if !terms.isEmpty {
            let scan = ScanText(bytes)
            var index = 0
            while index < scan.count {
                if firstBytes[Int(ASCII.lower(scan[index]))], scan.isWordStart(index),
                    let length = matchLength(scan, at: index)
                {
                    found.append(Finding(type: type, range: index..<index + length))
                    index += length
                } else {
                    index += 1
                }
            }
        }
        if let unicodeRegex {
            let string = text()
            let utf8 = string.utf8
            for match in string.matches(of: unicodeRegex) {
                let lower = utf8.distance(from: utf8.startIndex, to: match.range.lowerBound)
                let upper = lower + utf8.distance(from: match.range.lowerBound, to: match.range.upperBound)
                found.append(Finding(type: type, range: lower..<upper))
            }
        }
        return found
    }

    private func matchLength(_ scan: ScanText, at index: Int) -> Int? {
        candidates: for term in terms {
            guard index + term.count <= scan.count else { continue }
            for offset in 0..<term.count where ASCII.lower(scan[index + offset]) != term[offset] {
                continue candidates
            }
            if scan.isWordEnd(index + term.count) { return term.count }
        }
        return nil
    }

    /// `(?i)\b(?:t1|t2)\b` with every non-alphanumeric ASCII character escaped.
    private static func regex(for terms: [String]) -> Regex<AnyRegexOutput>? {
        let alternatives = terms.map { term in
            var escaped = ""
            for character in term {
                if character.isASCII, !(character.isLetter || character.isNumber || character == " ") {
                    escaped.append("\\")
                }
                escaped.append(character)
            }
            return escaped
        }
        return try? Regex("(?i)\\b(?:" + alternatives.joined(separator: "|") + ")\\b")
    }
}
