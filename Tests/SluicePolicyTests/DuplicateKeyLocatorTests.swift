import Testing

@testable import SluicePolicy

@Suite("Locating duplicate keys")
struct DuplicateKeyLocatorTests {
    private func lines(_ positions: [SourcePosition]) -> [Int] { positions.map(\.line) }

    @Test("finds every occurrence in a block mapping, whichever occurrence it starts from")
    func blockMapping() {
        let yaml = "a:\n  x: 1\n  y: 2\n  # x: commented\n\n  x: 3\nb:\n  x: 4\n"
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "x", near: SourcePosition(line: 2, column: 3), in: yaml)) == [
                2, 6,
            ])
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "x", near: SourcePosition(line: 3, column: 3), in: yaml)) == [
                2, 6,
            ])
    }

    @Test("stays inside one list item's mapping")
    func listItems() {
        let yaml = "t:\n  - p: a\n    p: b\n  - p: c\n"
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "p", near: SourcePosition(line: 2, column: 5), in: yaml)) == [
                2, 3,
            ])
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "p", near: SourcePosition(line: 3, column: 5), in: yaml)) == [
                2, 3,
            ])
    }

    @Test("reads quoted keys and keys with spaces before the colon; ignores values that look like keys")
    func keyForms() {
        let yaml = "m:\n  \"k\": 1\n  k : 2\n  j: \"k: 3\"\n  'k': 4\n  kk: 5\n"
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "k", near: SourcePosition(line: 2, column: 3), in: yaml)) == [
                2, 3, 5,
            ])
    }

    @Test("finds nothing in a flow mapping, so Yams' position is kept")
    func flowMapping() {
        let yaml = "a: { x: 1, x: 2 }\n"
        #expect(DuplicateKeyLocator.occurrences(of: "x", near: SourcePosition(line: 1, column: 6), in: yaml).isEmpty)
    }

    @Test("handles CRLF line ends")
    func crlf() {
        let yaml = "a:\r\n  x: 1\r\n  x: 2\r\n"
        #expect(
            lines(DuplicateKeyLocator.occurrences(of: "x", near: SourcePosition(line: 2, column: 3), in: yaml)) == [
                2, 3,
            ])
    }
}
