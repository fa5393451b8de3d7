import SluiceLLM

/// Helpers shared by the suites.
enum TestSupport {
    /// Where to cut a JSON body of `count` bytes in two: every position up to 4 KB; for larger
    /// bodies every position in the first 256 bytes and the last 768 (where usage sits: at most
    /// 500 bytes from the end in every recording) and every 97th in between, to keep the
    /// quadratic work of a debug build bounded.
    static func splitPoints(_ count: Int) -> [Int] {
        guard count > 4096 else { return Array(0...count) }
        return Array(0..<256) + Array(stride(from: 256, to: count - 768, by: 97)) + Array((count - 768)...count)
    }

    /// The byte ranges of a stream's events: each ends just after the blank line that closes it
    /// (LF, CRLF or CR line ends); the last one runs to the end of the stream.
    static func eventWindows(_ bytes: [UInt8]) -> [Range<Int>] {
        var windows: [Range<Int>] = []
        var start = 0
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x0A || byte == 0x0D else {
                index += 1
                continue
            }
            let blank = index == lineStart
            index += byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
            lineStart = index
            if blank {
                windows.append(start..<index)
                start = index
            }
        }
        if start < bytes.count { windows.append(start..<bytes.count) }
        return windows
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
