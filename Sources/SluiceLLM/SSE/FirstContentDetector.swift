/// Says when a chat or completion stream carries its first content: text, a tool call, a
/// refusal, a finish reason, an error or the end (`[DONE]`). Until then a stream holds only its
/// preamble (a role-only chunk, empty deltas, comments and pings), which Sluice may hold back
/// and throw away to retry or fall back without the app noticing.
///
/// Anything that does not look like an event-stream preamble (a line that is no SSE field, a
/// `data:` that is not a JSON object) counts as content: when in doubt, the stream goes on.
/// Reads bytes cut anywhere; keeps one event at most.
public struct FirstContentDetector: Sendable {
    private var parser = SSEParser()
    /// Whether the next byte starts a line.
    private var atLineStart = true
    /// Whether content was seen.
    public private(set) var sawContent = false

    public init() {}

    /// Reads more of the stream; returns whether content has been seen so far.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> Bool {
        guard !sawContent else { return true }
        // The first byte of every line must start an SSE field (`data`, `event`, `id`, `retry`)
        // or a comment; anything else is not a preamble.
        for byte in bytes {
            if atLineStart, !Self.lineStarts.contains(byte) {
                sawContent = true
                return true
            }
            atLineStart = byte == 0x0A || byte == 0x0D
        }
        for event in parser.feed(bytes) where Self.isContent(data: Array(event.data.utf8)) {
            sawContent = true
            return true
        }
        return false
    }

    /// The bytes a preamble line may start with: `d`ata, `e`vent, `i`d, `r`etry, `:` comment,
    /// and the line ends of a blank line.
    private static let lineStarts: Set<UInt8> = [
        UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "r"), UInt8(ascii: ":"), 0x0A, 0x0D,
    ]

    /// Whether one event's data (its `data:` lines joined) is content.
    static func isContent(data: [UInt8]) -> Bool {
        guard data.first == UInt8(ascii: "{") else { return true }  // [DONE], or not a chunk at all
        for key in ["content", "text", "refusal", "reasoning_content", "finish_reason", "arguments"] {
            if hasNonEmptyString(data, key: key) { return true }
        }
        for key in ["tool_calls", "function_call", "error"] {
            if hasNonNullValue(data, key: key) { return true }
        }
        return false
    }

    /// Where the value of `"key":` starts (after whitespace), for every occurrence.
    private static func valueStarts(_ data: [UInt8], key: String) -> [Int] {
        let needle = Array("\"\(key)\"".utf8)
        var starts: [Int] = []
        var index = 0
        while index + needle.count <= data.count {
            if data[index] == needle[0], data[index..<index + needle.count].elementsEqual(needle) {
                var cursor = index + needle.count
                while cursor < data.count, data[cursor] == 0x20 || data[cursor] == 0x09 { cursor += 1 }
                if cursor < data.count, data[cursor] == UInt8(ascii: ":") {
                    cursor += 1
                    while cursor < data.count, data[cursor] == 0x20 || data[cursor] == 0x09 { cursor += 1 }
                    if cursor < data.count { starts.append(cursor) }
                }
                index += needle.count
            } else {
                index += 1
            }
        }
        return starts
    }

    private static func hasNonEmptyString(_ data: [UInt8], key: String) -> Bool {
        valueStarts(data, key: key).contains { start in
            data[start] == UInt8(ascii: "\"") && start + 1 < data.count && data[start + 1] != UInt8(ascii: "\"")
        }
    }

    private static func hasNonNullValue(_ data: [UInt8], key: String) -> Bool {
        valueStarts(data, key: key).contains { start in
            data[start] != UInt8(ascii: "n") && data[start] != UInt8(ascii: "]")
                && !(data[start] == UInt8(ascii: "[") && start + 1 < data.count && data[start + 1] == UInt8(ascii: "]"))
        }
    }
}
