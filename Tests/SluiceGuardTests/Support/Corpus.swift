#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The labelled corpus in `Corpus/` (see its README): one JSON object a line, the text and the
/// findings a perfect detector would report.
enum Corpus {
    struct Line: Decodable {
        struct Expected: Decodable {
            var type: String
            var value: String
            /// UTF-8 byte offsets; absent in hand-written lines, where `value` is searched for.
            var start: Int?
            var end: Int?
        }

        var text: String
        var findings: [Expected]
        var source: String
    }

    /// A line with its expected findings as byte ranges.
    struct Case {
        var text: String
        var source: String
        var expected: [(type: String, range: Range<Int>)]
    }

    /// The folder, from this file's real path (the test folder may be a symlink).
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        url.deleteLastPathComponent()  // file
        url.deleteLastPathComponent()  // Support
        return url.appendingPathComponent("Corpus").path
    }()

    /// Every case of every `*.jsonl` file.
    static func load() throws -> [Case] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }
            .sorted()
        var cases: [Case] = []
        let decoder = JSONDecoder()
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
            for raw in data.split(separator: UInt8(ascii: "\n")) where !raw.isEmpty {
                let line = try decoder.decode(Line.self, from: Data(raw))
                cases.append(Case(text: line.text, source: line.source, expected: try ranges(line)))
            }
        }
        return cases
    }

    private static func ranges(_ line: Line) throws -> [(type: String, range: Range<Int>)] {
        let bytes = Array(line.text.utf8)
        var searchFrom = 0
        return try line.findings.map { expected in
            if let start = expected.start, let end = expected.end { return (expected.type, start..<end) }
            let value = Array(expected.value.utf8)
            guard let start = firstIndex(of: value, in: bytes, from: searchFrom) else {
                throw CorpusError(message: "value of \(expected.type) not in: \(line.text)")
            }
            searchFrom = start + value.count
            return (expected.type, start..<start + value.count)
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    struct CorpusError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
