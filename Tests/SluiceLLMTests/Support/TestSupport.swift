import SluiceLLM

/// Helpers shared by the suites.
enum TestSupport {
    /// Where to cut a body of `count` bytes in two: every position for bodies up to 20 KB (all
    /// streamed fixtures); for larger ones every position in the first 1 KB and last 4 KB (where
    /// usage sits) and every 61st in between, to keep the quadratic work bounded.
    static func splitPoints(_ count: Int) -> [Int] {
        guard count > 20_480 else { return Array(0...count) }
        let head = Array(0..<1024)
        let middle = Array(stride(from: 1024, to: count - 4096, by: 61))
        let tail = Array((count - 4096)...count)
        return head + middle + tail
    }

    /// The top-level keys of a JSON object in the order they appear in its bytes.
    static func topLevelKeys(_ bytes: [UInt8]) throws -> [String] {
        guard let keys = JSONValue.parse(bytes)?.object?.keys else { return [] }
        let scan = try BodyScan.scan(bytes, fields: Set(keys))
        return keys.sorted { (scan[$0]?.valueRange.lowerBound ?? 0) < (scan[$1]?.valueRange.lowerBound ?? 0) }
    }

    /// The events of a whole stream, parsed in one feed.
    static func events(_ bytes: [UInt8]) -> [SSEEvent] {
        var parser = SSEParser()
        return parser.feed(bytes) + parser.finish()
    }
}
