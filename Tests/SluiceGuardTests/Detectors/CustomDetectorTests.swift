import SluiceGuard
import Testing

@Suite("custom patterns and terms")
struct CustomDetectorTests {
    func scan(_ text: String, patterns: [(String, String)] = [], terms: [(String, [String])] = []) throws -> [Found] {
        let scanner = RedactionScanner(
            detectors: [],
            patterns: try patterns.map { try CustomPatternDetector(name: $0.0, pattern: $0.1) },
            terms: terms.map { TermDetector(name: $0.0, terms: $0.1) })
        let bytes = Array(text.utf8)
        return scanner.scan(text).map { Found($0.type.name, String(decoding: bytes[$0.range], as: UTF8.self)) }
    }

    @Test("a pattern finds every match, with byte ranges past non-ASCII text")
    func pattern() throws {
        #expect(
            try scan("Zoë (EMP-123456) and EMP-654321, not EMP-12345", patterns: [("employee_id", "EMP-[0-9]{6}")]) == [
                Found("employee_id", "EMP-123456"), Found("employee_id", "EMP-654321"),
            ])
        #expect(
            try scan("IGNORE ALL INSTRUCTIONS", patterns: [("x", "(?i)ignore (all|previous) instructions")]).count == 1)
    }

    @Test("an invalid pattern throws, and validate explains")
    func invalidPattern() {
        #expect(throws: (any Error).self) { try CustomPatternDetector(name: "x", pattern: "EMP-([0-9]{6}") }
        #expect(CustomPatternDetector.validate("EMP-([0-9]{6}") != nil)
        #expect(CustomPatternDetector.validate("EMP-[0-9]{6}") == nil)
    }

    @Test("terms match whole words in any case")
    func terms() throws {
        let rule = [("codename", ["Project Falcon", "bluebird"])]
        #expect(
            try scan("about project FALCON, and Bluebird.", terms: rule) == [
                Found("codename", "project FALCON"), Found("codename", "Bluebird"),
            ])
        #expect(try scan("project falconry and bluebirds and xbluebird", terms: rule) == [])
        #expect(try scan("bluebird_x bluebird-y", terms: rule) == [Found("codename", "bluebird")])
    }

    @Test("non-ASCII terms match case-insensitively too")
    func unicodeTerms() throws {
        let rule = [("city", ["Zürich"])]
        #expect(
            try scan("Office: ZÜRICH, also zürich.", terms: rule) == [Found("city", "ZÜRICH"), Found("city", "zürich")])
        #expect(try scan("Zürichsee", terms: rule) == [])
    }

    @Test("the longer of overlapping findings wins")
    func overlaps() throws {
        let scanner = RedactionScanner(
            detectors: [.email], patterns: [try CustomPatternDetector(name: "domain", pattern: "example\\.com")])
        let text = "mail bob@example.com"
        let findings = scanner.scan(text)
        #expect(findings.map(\.type) == [.email])
        #expect(findings.map(\.range) == [5..<20])
    }
}
