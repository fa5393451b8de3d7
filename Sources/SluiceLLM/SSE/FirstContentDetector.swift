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
        let handled = bytes.withContiguousStorageIfAvailable { feed(UnsafeRawBufferPointer($0)) }
        return handled ?? Array(bytes).withUnsafeBytes { feed($0) }
    }

    /// Reads more of the stream; returns whether content has been seen so far.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !sawContent else { return true }
        // The usual event, one `data:` line and its blank line, is read where it lies: neither the parser's
        // walk nor its copy of the line is needed for it.
        var start = 0
        if self.atLineStart, self.parser.acceptsEventsInPlace(before: bytes) {
            while let event = Self.oneLineDataEvent(bytes, from: start) {
                if Self.isContent(data: UnsafeRawBufferPointer(rebasing: bytes[event.data])) {
                    sawContent = true
                    return true
                }
                start = event.end
            }
        }
        let rest = UnsafeRawBufferPointer(rebasing: bytes[start...])
        // Once content shows, nothing after it needs reading: the detector's work is done.
        let contentEnd = parser.feed(rest, untilData: Self.isContent(data:))
        let read = UnsafeRawBufferPointer(rebasing: rest[..<(contentEnd ?? rest.count)])
        sawContent = contentEnd != nil || !self.linesStartAsFields(read)
        return sawContent
    }

    /// The event at `start` when it is one `data:` line ended by LF and then a blank line (LF): where its
    /// data is (after one optional space) and where the event ends. Nil for anything else, which the parser
    /// reads: other fields, CRs, several lines, an event not whole in `bytes`.
    static func oneLineDataEvent(
        _ bytes: UnsafeRawBufferPointer, from start: Int
    ) -> (data: Range<Int>, end: Int)? {
        // A CR anywhere in the line ends it for SSE: such a line is left to the parser.
        let lineEnd = ByteSearch.firstIndex(of: 0x0A, or: 0x0D, in: bytes, from: start, to: bytes.count)
        guard let lineEnd, bytes[lineEnd] == 0x0A, lineEnd + 1 < bytes.count, bytes[lineEnd + 1] == 0x0A,
            let data = StreamEventFilter.dataValue(bytes, start, lineEnd)
        else { return nil }
        return (data, lineEnd + 2)
    }

    /// Whether the first byte of every line starts an SSE field (`data`, `event`, `id`, `retry`) or a
    /// comment: anything else is not a preamble. Jumps from line end to line end.
    private mutating func linesStartAsFields(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            if atLineStart, !Self.isLineStart(bytes[index]) { return false }
            guard let lineEnd = ByteSearch.firstIndex(of: 0x0A, or: 0x0D, in: bytes, from: index, to: bytes.count) else {
                atLineStart = false
                return true
            }
            atLineStart = true
            index = lineEnd + 1
        }
        return true
    }

    /// Whether a preamble line may start with `byte`: `d`ata, `e`vent, `i`d, `r`etry, `:`
    /// comment, and the line ends of a blank line.
    private static func isLineStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "d"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "r"), UInt8(ascii: ":"), 0x0A, 0x0D:
            true
        default:
            false
        }
    }

    /// What a key that may mark content asks of its value.
    enum ContentKey {
        /// `content`, `text`, `refusal`, `reasoning_content`, `finish_reason`, `arguments`: a non-empty string
        /// is content.
        case text
        /// `tool_calls`, `function_call`, `error`: anything but `null` or `[]` is content.
        case object
    }

    /// Bit `n` set: some content key is `n` bytes long. Most strings of a chunk are ruled out by this alone.
    @inline(__always)
    static var keyLengths: UInt64 { 1 << 4 | 1 << 5 | 1 << 7 | 1 << 9 | 1 << 10 | 1 << 13 | 1 << 17 }

    /// The content key `text` is, if any. A switch on the length and literal compares: this runs for every
    /// string of every chunk until the first content, and static arrays of keys would be checked for being
    /// made on each use.
    static func contentKey(_ text: UnsafeRawBufferPointer) -> ContentKey? {
        switch text.count {
        case 4: Self.equals(text, "text") ? .text : nil
        case 5: Self.equals(text, "error") ? .object : nil
        case 7: Self.equals(text, "content") || Self.equals(text, "refusal") ? .text : nil
        case 9: Self.equals(text, "arguments") ? .text : nil
        case 10: Self.equals(text, "tool_calls") ? .object : nil
        case 13:
            Self.equals(text, "finish_reason") ? .text : Self.equals(text, "function_call") ? .object : nil
        case 17: Self.equals(text, "reasoning_content") ? .text : nil
        default: nil
        }
    }

    /// Whether `text` (a key as written, escapes left in: an escaped key is not content) is `literal`.
    @inline(__always)
    private static func equals(_ text: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        JSONSyntaxScanner.key(text, 0..<text.count, hasEscapes: false, is: literal)
    }

    /// Whether one event's data (its `data:` lines joined) is content: one pass over its keys.
    static func isContent(data: [UInt8]) -> Bool {
        data.withUnsafeBytes { isContent(data: $0) }
    }

    /// Whether one event's data (its `data:` lines joined) is content: one pass over its keys.
    static func isContent(data: UnsafeRawBufferPointer) -> Bool {
        guard data.first == UInt8(ascii: "{") else { return true }  // [DONE], or not a chunk at all
        let quote = UInt8(ascii: "\"")
        var index = 0
        let backslash = UInt8(ascii: "\\")
        while let opening = ByteSearch.firstIndex(of: quote, or: quote, in: data, from: index, to: data.count) {
            index = opening
            // A string: read it to its closing quote (skipping escapes).
            var end = index + 1
            while true {
                // An unterminated string: the event is cut, not content.
                guard let stop = ByteSearch.firstIndex(of: quote, or: backslash, in: data, from: end, to: data.count)
                else { return false }
                if data[stop] == quote {
                    end = stop
                    break
                }
                end = stop + 2
            }
            // Only a string as long as one of the keys is worth a closer look.
            let length = end - index - 1
            guard length < 64, Self.keyLengths & (1 << UInt64(length)) != 0 else {
                index = end + 1
                continue
            }
            let text = UnsafeRawBufferPointer(rebasing: data[index + 1..<end])
            var cursor = end + 1
            while cursor < data.count, data[cursor] == 0x20 || data[cursor] == 0x09 { cursor += 1 }
            guard cursor < data.count, data[cursor] == UInt8(ascii: ":") else {
                index = end + 1
                continue
            }
            cursor += 1
            while cursor < data.count, data[cursor] == 0x20 || data[cursor] == 0x09 { cursor += 1 }
            guard cursor < data.count else { return false }
            let value = data[cursor]
            switch Self.contentKey(text) {
            case .text:
                if value == quote, cursor + 1 < data.count, data[cursor + 1] != quote { return true }
            case .object:
                if value != UInt8(ascii: "n"),
                    !(value == UInt8(ascii: "[") && cursor + 1 < data.count && data[cursor + 1] == UInt8(ascii: "]"))
                {
                    return true
                }
            case nil:
                break
            }
            index = cursor
        }
        return false
    }
}
