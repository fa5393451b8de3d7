/// Cuts a multi-document YAML stream into its documents without parsing them, so a document that
/// is not changed can be written back byte for byte, comments and all.
///
/// A document starts at a line beginning with `---` followed by a space, a tab or the line end:
/// YAML forbids that at column 1 inside any content, so no scalar can be cut in two.
struct YAMLDocumentSplitter {
    /// One document's text.
    struct Document: Equatable {
        /// The `---` line, with its line break; empty for a first document without one.
        var separator: Substring
        /// Everything after the separator, up to the next one.
        var body: Substring
        /// The 1-based line of the document's first line in the input.
        var firstLine: Int

        /// The document as it was in the input.
        var text: Substring { self.separator.isEmpty ? self.body : self.separator.base[self.separator.startIndex..<self.body.endIndex] }

        /// Whether the document holds only blank lines, comments and directives (nothing to parse).
        var isTrivia: Bool {
            let trailing = self.separator.dropFirst(3).drop(while: { $0 == " " || $0 == "\t" })
            if !trailing.isEmpty && !trailing.hasPrefix("#") && !trailing.allSatisfy(\.isNewline) { return false }
            return YAMLDocumentSplitter.lines(of: self.body).allSatisfy { line in
                let content = line.drop(while: { $0 == " " || $0 == "\t" })
                return content.isEmpty || content.allSatisfy(\.isNewline) || content.hasPrefix("#") || content.hasPrefix("%")
            }
        }

        /// The comment and blank lines at the top of the body, which Sluice keeps when it
        /// re-emits a changed document (the YAML emitter keeps no comments).
        var leadingComments: Substring {
            var end = self.body.startIndex
            for line in YAMLDocumentSplitter.lines(of: self.body) {
                let content = line.drop(while: { $0 == " " || $0 == "\t" })
                guard content.isEmpty || content.allSatisfy(\.isNewline) || content.hasPrefix("#") else { break }
                guard line.last?.isNewline == true else { break }
                end = line.endIndex
            }
            return self.body[self.body.startIndex..<end]
        }
    }

    static func split(_ text: String) -> [Document] {
        let whole = text[...]
        var documents: [Document] = []
        var separator: Substring = whole[whole.startIndex..<whole.startIndex]
        var bodyStart = whole.startIndex
        var firstLine = 1
        for (offset, line) in Self.lines(of: whole).enumerated() where Self.isSeparator(line) {
            if line.startIndex > whole.startIndex {
                documents.append(Document(separator: separator, body: whole[bodyStart..<line.startIndex], firstLine: firstLine))
            }
            separator = line
            bodyStart = line.endIndex
            firstLine = offset + 1
        }
        documents.append(Document(separator: separator, body: whole[bodyStart..<whole.endIndex], firstLine: firstLine))
        return documents
    }

    /// The lines of `text`, each with its line break (`\n`, or `\r\n`, which Swift sees as one
    /// character; so lines are cut on the UTF-8 view).
    static func lines(of text: Substring) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")).map { text.utf8.index(after: $0) } ?? text.endIndex
            lines.append(text[start..<end])
            start = end
        }
        return lines
    }

    private static func isSeparator(_ line: Substring) -> Bool {
        guard line.hasPrefix("---") else { return false }
        guard let next = line.dropFirst(3).first else { return true }
        return next == " " || next == "\t" || next.isNewline
    }
}
