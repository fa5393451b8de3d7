/// Finds where a duplicated key occurs, so the issue can point at the second occurrence.
///
/// Yams rejects a mapping with a repeated key but reports only the first occurrence of the
/// first duplicate, which is the line the user did not mean to repeat. For block mappings,
/// which policies are written in, every key of one mapping starts in the same column, so the
/// occurrences are found by scanning the lines of that mapping for the key at that column.
/// Flow mappings (`{ a: 1, a: 2 }`) find nothing here and keep Yams' position.
enum DuplicateKeyLocator {
    /// Positions of `key` in the block mapping that has a key at `anchor`, in file order.
    static func occurrences(of key: String, near anchor: SourcePosition, in yaml: String) -> [SourcePosition] {
        let lines = SourcePosition.scalarLines(of: yaml)
        let column = anchor.column
        let anchorIndex = anchor.line - 1
        guard lines.indices.contains(anchorIndex) else { return [] }
        var found: [Int] = []
        if self.key(in: lines[anchorIndex], at: column) == key { found.append(anchorIndex) }

        // Upwards: lines indented at least as far belong to the mapping; the first line indented
        // less may still hold its first key after a `- ` (a mapping inside a list), and ends it.
        var index = anchorIndex - 1
        while index >= 0 {
            defer { index -= 1 }
            guard let indent = indentColumn(lines[index]) else { continue }
            if self.key(in: lines[index], at: column) == key { found.append(index) }
            if indent < column { break }
        }
        // Downwards: the mapping ends at the first line indented less than its keys.
        index = anchorIndex + 1
        while index < lines.count {
            defer { index += 1 }
            guard let indent = indentColumn(lines[index]) else { continue }
            if indent < column { break }
            if self.key(in: lines[index], at: column) == key { found.append(index) }
        }
        return found.sorted().map { SourcePosition(line: $0 + 1, column: column) }
    }

    /// The 1-based column of a line's first character, or nil for a blank or comment-only line.
    private static func indentColumn(_ line: [Unicode.Scalar]) -> Int? {
        guard let first = line.firstIndex(where: { $0 != " " }), line[first] != "#" else { return nil }
        return first + 1
    }

    /// The mapping key starting at `column`, when only indentation and list dashes precede it.
    private static func key(in line: [Unicode.Scalar], at column: Int) -> String? {
        let start = column - 1
        guard start >= 0, start < line.count, line[..<start].allSatisfy({ $0 == " " || $0 == "-" }) else { return nil }
        var rest = line[start...]
        var name = ""
        if let quote = rest.first, quote == "\"" || quote == "'" {
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: quote) else { return nil }
            name = String(String.UnicodeScalarView(rest[..<close]))
            rest = rest[(close + 1)...]
        } else {
            // A plain key ends at the first `:` followed by a space or the end of the line.
            var end = rest.startIndex
            while end < rest.endIndex {
                if rest[end] == ":", end + 1 == rest.endIndex || rest[end + 1] == " " { break }
                end += 1
            }
            guard end < rest.endIndex else { return nil }
            name = String(String.UnicodeScalarView(rest[..<end]))
            while name.hasSuffix(" ") { name.removeLast() }
            rest = rest[end...]
        }
        while rest.first == " " { rest = rest.dropFirst() }
        return rest.first == ":" ? name : nil
    }
}
