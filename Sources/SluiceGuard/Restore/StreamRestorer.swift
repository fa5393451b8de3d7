/// Puts original values back in place of placeholders in text that arrives in pieces: the
/// deltas of a streamed answer.
///
/// A placeholder may be cut anywhere, across any number of pieces (`[EM` `AIL` `_1]`). The
/// restorer passes text on as soon as it can: it holds back only a tail that is a proper prefix
/// of one of the request's placeholders, so never more bytes than the longest placeholder less
/// one. ``finish()`` hands over whatever is held, so a stream that ends inside a placeholder
/// still delivers every byte it had. Brackets that start no known placeholder (`[1]`,
/// `[EMAIL_9]` when only one address was masked) pass through unchanged.
public struct StreamRestorer: Sendable {
    private let table: MaskTable
    private let prefixes: Set<[UInt8]>
    private let longest: Int
    private var pending: [UInt8] = []
    /// When set, restored values are escaped for the inside of a JSON string literal: for
    /// streams of JSON text such as tool-call arguments.
    private let escapesForJSON: Bool

    /// A restorer for the placeholders of `masks`.
    public init(masks: MaskTable, escapesForJSON: Bool = false) {
        self.table = masks
        self.longest = masks.longestPlaceholder
        self.escapesForJSON = escapesForJSON
        var prefixes: Set<[UInt8]> = []
        for placeholder in masks.allPlaceholders {
            let bytes = Array(placeholder.utf8)
            for length in 1..<bytes.count { prefixes.insert(Array(bytes[..<length])) }
        }
        self.prefixes = prefixes
    }

    /// The number of bytes held back, waiting for the rest of a possible placeholder.
    public var heldBytes: Int { pending.count }

    /// Restores `piece`, returning what can be passed on now.
    public mutating func feed(_ piece: String) -> String {
        if table.isEmpty { return piece }
        return String(decoding: feed(bytes: Array(piece.utf8)), as: UTF8.self)
    }

    /// Restores the UTF-8 `piece`, returning what can be passed on now.
    public mutating func feed(bytes piece: [UInt8]) -> [UInt8] {
        if table.isEmpty { return piece }
        var buffer = pending
        buffer.append(contentsOf: piece)
        pending.removeAll(keepingCapacity: true)
        var output: [UInt8] = []
        output.reserveCapacity(buffer.count)
        var index = 0
        while index < buffer.count {
            guard let open = buffer[index...].firstIndex(of: 0x5B) else {
                output.append(contentsOf: buffer[index...])
                break
            }
            output.append(contentsOf: buffer[index..<open])
            var end = open + 1
            while end < buffer.count, end - open < longest, Self.isPlaceholderByte(buffer[end]) { end += 1 }
            if end < buffer.count, buffer[end] == 0x5D,
                let value = table.value(forPlaceholderBytes: buffer[open...end])
            {
                appendValue(value, to: &output)
                index = end + 1
            } else if end == buffer.count, prefixes.contains(Array(buffer[open..<end])) {
                pending.append(contentsOf: buffer[open..<end])
                break
            } else {
                output.append(0x5B)
                index = open + 1
            }
        }
        return output
    }

    /// Ends the stream: the bytes still held, unchanged (an unfinished placeholder is not a
    /// placeholder).
    public mutating func finish() -> String {
        String(decoding: finishBytes(), as: UTF8.self)
    }

    /// Ends the stream: the bytes still held.
    public mutating func finishBytes() -> [UInt8] {
        defer { pending.removeAll() }
        return pending
    }

    /// Restores every placeholder in a whole text at once.
    public static func restore(_ text: String, masks: MaskTable) -> String {
        var restorer = StreamRestorer(masks: masks)
        return restorer.feed(text) + restorer.finish()
    }

    @inline(__always) private static func isPlaceholderByte(_ byte: UInt8) -> Bool {
        ASCII.isUpper(byte) || ASCII.isDigit(byte) || byte == ASCII.underscore
    }

    private func appendValue(_ value: String, to output: inout [UInt8]) {
        guard escapesForJSON else {
            output.append(contentsOf: value.utf8)
            return
        }
        var quoted = JSONStringCodec.quoted(Array(value.utf8))
        quoted.removeFirst()
        quoted.removeLast()
        output.append(contentsOf: quoted)
    }
}
