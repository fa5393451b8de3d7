/// Reads token usage out of a response body as it streams past, without keeping the body.
///
/// Feed it every chunk the proxy relays, cut anywhere; read ``usage`` at the end. It understands
/// a plain JSON body and a `text/event-stream` of JSON `data:` events, and the usage shapes of
/// OpenAI (`usage.prompt_tokens`, `…_details.cached_tokens` / `reasoning_tokens`), Anthropic
/// (`usage` / `message.usage` with cache counts), Gemini (`usageMetadata`) and Bedrock Converse
/// (`usage.inputTokens`). Only top-level usage objects count: a `"usage"` inside message text or
/// tool arguments is a string and is skipped.
///
/// Each count keeps the last value seen, so OpenAI's final usage chunk, Anthropic's cumulative
/// `message_delta` and Gemini's running totals all come out right.
///
/// Cost: a few comparisons per byte (string contents are skipped in a tight loop); memory is
/// constant, well under a kilobyte, whatever the body size.
public struct UsageSniffer: Sendable {
    /// How the body is framed.
    public enum Framing: Sendable, Hashable {
        /// One JSON document (`application/json`).
        case json
        /// Server-sent events whose `data:` payloads are JSON documents (`text/event-stream`).
        case sse
    }

    private enum Line {
        /// Matching the line's first bytes against `data:`; the count matched so far.
        case start(Int)
        /// After `data:`; one optional space comes next.
        case dataColon
        /// Inside a `data:` value.
        case data
        /// Inside any other line (`event:`, `id:`, a comment).
        case other
    }

    private static let dataPrefix: [UInt8] = Array("data:".utf8)

    /// The framing chosen at creation.
    public let framing: Framing
    private var tokenizer = UsageTokenizer()
    private var line = Line.start(0)
    private var afterCR = false
    /// `data:` lines seen in an event stream: roughly one per delivered token for OpenAI, which
    /// is what a stream cut before its usage is settled on.
    public private(set) var dataLines = 0

    /// Creates a sniffer for a body with the given framing.
    public init(framing: Framing) {
        self.framing = framing
    }

    /// Creates a sniffer for a body with this `content-type`: `text/event-stream` means SSE,
    /// anything else one JSON document.
    public init(contentType: String?) {
        self.init(framing: Self.isEventStream(contentType) ? .sse : .json)
    }

    /// Whether a `content-type` is `text/event-stream` (with any parameters), ignoring ASCII case as media
    /// types are compared. Byte by byte in place: no lowercased copy and no iterator over the string.
    public static func isEventStream(_ contentType: String?) -> Bool {
        guard var contentType else { return false }
        let prefix: StaticString = "text/event-stream"
        let count = prefix.utf8CodeUnitCount
        return contentType.withUTF8 { type in
            guard type.count >= count else { return false }
            let expected = prefix.utf8Start
            for offset in 0..<count where type[offset] | 0x20 != expected[offset] | 0x20 { return false }
            return true
        }
    }

    /// The usage seen so far, normalised to OpenAI's meaning; nil until any count was seen.
    public var usage: Usage? {
        UsagePaths.usage(from: tokenizer.counters)
    }

    /// Reads the next chunk of the body.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        switch framing {
        case .json: tokenizer.feed(bytes, from: 0, to: bytes.count)
        case .sse: feedEventStream(bytes)
        }
    }

    /// Reads the next chunk of the body.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { feed(UnsafeRawBufferPointer($0)) }
        if handled == nil {
            Array(bytes).withUnsafeBytes { feed($0) }
        }
    }

    /// Reads a `usage` object that was found by something that reads the body's JSON anyway (the event
    /// filter does, for every chunk), as if a document `{"usage": object}` had come whole: no pass over
    /// the event's lines, and nothing of the body fed besides. Counts are kept as ``feed(_:)`` keeps them.
    public mutating func feedUsageObject(_ object: UnsafeRawBufferPointer) {
        Self.usageDocumentStart.withUnsafeBytes { tokenizer.feed($0, from: 0, to: $0.count) }
        tokenizer.feed(object, from: 0, to: object.count)
        Self.usageDocumentEnd.withUnsafeBytes { tokenizer.feed($0, from: 0, to: $0.count) }
        tokenizer.endDocument()
    }

    private static let usageDocumentStart = Array(#"{"usage":"#.utf8)
    private static let usageDocumentEnd = Array("}".utf8)

    private mutating func feedEventStream(_ buffer: UnsafeRawBufferPointer) {
        var index = 0
        let end = buffer.count
        while index < end {
            let byte = buffer[index]
            if afterCR {
                afterCR = false
                if byte == 0x0A {
                    index += 1
                    continue
                }
            }
            switch line {
            case .data, .other:
                let lineEnd = ByteSearch.firstIndex(of: 0x0A, or: 0x0D, in: buffer, from: index, to: end)
                let stop = lineEnd ?? end
                if case .data = line { tokenizer.feed(buffer, from: index, to: stop) }
                guard stop < end else { return }
                endLine(buffer[stop])
                index = stop + 1
            case .start(let matched):
                index += 1
                if byte == 0x0A || byte == 0x0D {
                    // A blank line ends the event, and with it the JSON document.
                    if matched == 0 { tokenizer.endDocument() }
                    endLine(byte)
                } else if byte == Self.dataPrefix[matched] {
                    if matched + 1 == Self.dataPrefix.count {
                        line = .dataColon
                        dataLines += 1
                    } else {
                        line = .start(matched + 1)
                    }
                } else {
                    line = .other
                }
            case .dataColon:
                if byte == UInt8(ascii: " ") { index += 1 }
                line = .data
            }
        }
    }

    private mutating func endLine(_ terminator: UInt8) {
        afterCR = terminator == 0x0D
        if case .data = line {
            // SSE joins data lines with a newline: JSON whitespace.
            withUnsafeBytes(of: UInt8(0x0A)) { tokenizer.feed($0, from: 0, to: 1) }
        }
        line = .start(0)
    }
}
