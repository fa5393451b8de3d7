import Yams

/// A 1-based line and column in the policy text, where an issue is reported.
struct SourcePosition: Hashable, Comparable {
    var line: Int
    var column: Int

    /// The start of the file: where problems with the file as a whole are reported.
    static let start = SourcePosition(line: 1, column: 1)

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of a Yams mark; nodes built by the composer always carry one.
    init(_ mark: Mark?) {
        self = mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? .start
    }

    /// The lines of `yaml` as Unicode scalars, which is how libyaml counts columns; a `\r`
    /// before the `\n` is dropped, so CRLF files locate the same as LF files.
    static func scalarLines(of yaml: String) -> [[Unicode.Scalar]] {
        yaml.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Array(line.last == "\r" ? line.dropLast() : line)
        }
    }

    static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}
