/// Cleans an OpenAI `text/event-stream` on its way to the app, passing every other byte through
/// as it came:
/// - takes out the final usage chunk (`"choices":[]` with a `usage` object) when the app did not
///   ask for it: Sluice asks providers for it on every stream (`stream_options.include_usage`)
///   so limits and spend settle on real numbers;
/// - takes out a malformed chunk (a `data:` JSON object that does not parse), counting it, so a
///   provider's glitch does not break the app's SDK;
/// - notes whether `data: [DONE]` came, so a stream that ended cleanly without it can be
///   finished for the app.
/// Events are held only until their closing blank line; memory is one event.
public struct StreamEventFilter: Sendable {
    /// Bytes held back: the start of an event that may be the usage chunk, or line ends that
    /// may be half of the blank line closing an event being passed through.
    private var pending: [UInt8] = []
    /// Inside an event that cannot be the usage chunk: its bytes go through at once.
    private var passing = false
    /// Whether the usage chunk is taken out.
    public let dropsUsage: Bool
    /// Whether the usage chunk was seen (and dropped).
    public private(set) var dropped = false
    /// Malformed chunks taken out.
    public private(set) var malformed = 0
    /// Whether `data: [DONE]` went through.
    public private(set) var sawDone = false
    /// Whether any chunk (a `data:` JSON object) came: the stream is OpenAI's event stream.
    public private(set) var sawChunk = false

    private static let dataPrefix = Array("data:".utf8)

    /// The `[DONE]` event a finished stream ends with.
    public static let doneEvent = Array("data: [DONE]\n\n".utf8)

    public init(dropsUsage: Bool) {
        self.dropsUsage = dropsUsage
    }

    /// The bytes of `input` that may go to the app now. Only an event that starts with `data:`
    /// is held until its blank line (to see whether it is the usage chunk); anything else
    /// streams through as it comes.
    public mutating func feed(_ input: some Collection<UInt8>) -> [UInt8] {
        pending.append(contentsOf: input)
        var output: [UInt8] = []
        var start = 0
        while start < pending.count {
            let end = Self.eventEnd(in: pending, from: start)
            if passing {
                guard let end else {
                    // Keep trailing line ends: they may be the first half of the blank line.
                    var keep = pending.count
                    while keep > start, pending[keep - 1] == 0x0A || pending[keep - 1] == 0x0D { keep -= 1 }
                    output.append(contentsOf: pending[start..<keep])
                    start = keep
                    break
                }
                output.append(contentsOf: pending[start..<end])
                passing = false
                start = end
                continue
            }
            let available = pending.count - start
            let compared = min(available, Self.dataPrefix.count)
            guard pending[start..<start + compared].elementsEqual(Self.dataPrefix.prefix(compared)) else {
                passing = true
                continue
            }
            guard compared == Self.dataPrefix.count, let end else { break }  // wait for more
            let event = pending[start..<end]
            switch Self.classify(event) {
            case .usage where dropsUsage:
                sawChunk = true
                dropped = true
            case .malformed:
                malformed += 1
            case .done:
                sawDone = true
                output.append(contentsOf: event)
            case .chunk, .usage:
                sawChunk = true
                output.append(contentsOf: event)
            case .other:
                output.append(contentsOf: event)
            }
            start = end
        }
        pending.removeFirst(start)
        return output
    }

    /// What is left at the end of the stream (an event without its blank line), unfiltered.
    public mutating func finish() -> [UInt8] {
        defer {
            pending = []
            passing = false
        }
        return pending
    }

    /// The index after the first blank line (LF LF, or CR LF CR LF) at or after `start`.
    private static func eventEnd(in bytes: [UInt8], from start: Int) -> Int? {
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        var index = start
        while index < bytes.count {
            if bytes[index] == lf, index + 1 < bytes.count, bytes[index + 1] == lf { return index + 2 }
            if bytes[index] == cr, index + 3 < bytes.count, bytes[index + 1] == lf, bytes[index + 2] == cr,
                bytes[index + 3] == lf
            {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    enum EventKind { case chunk, usage, malformed, done, other }

    /// What a whole event is, read from its `data:` lines joined as SSE joins them (other
    /// fields such as `id:` or `event:` do not matter).
    static func classify(_ event: ArraySlice<UInt8>) -> EventKind {
        let data = dataLines(event)
        var index = data.startIndex
        while index < data.endIndex, data[index] == UInt8(ascii: " ") || data[index] == 0x0A { index += 1 }
        guard index < data.endIndex else { return .other }
        if data[index...].starts(with: Array("[DONE]".utf8)) { return .done }
        guard data[index] == UInt8(ascii: "{") else { return .other }
        guard let scan = try? BodyScan.scan(Array(data[index...]), fields: ["choices", "usage"]) else {
            return .malformed
        }
        guard let choices = scan["choices"], choices.kind == .array, choices.isEmptyContainer,
            scan["usage"]?.kind == .object
        else { return .chunk }
        return .usage
    }

    /// The values of the event's `data:` lines (one optional space dropped), joined by LF.
    private static func dataLines(_ event: ArraySlice<UInt8>) -> [UInt8] {
        let prefix = Array("data:".utf8)
        var data: [UInt8] = []
        var lineStart = event.startIndex
        var index = event.startIndex
        while index <= event.endIndex {
            if index == event.endIndex || event[index] == 0x0A {
                var line = event[lineStart..<index]
                if line.last == 0x0D { line = line.dropLast() }
                if line.starts(with: prefix) {
                    var value = line.dropFirst(prefix.count)
                    if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
                    if !data.isEmpty { data.append(0x0A) }
                    data.append(contentsOf: value)
                }
                lineStart = index + 1
            }
            index += 1
        }
        return data
    }
}
