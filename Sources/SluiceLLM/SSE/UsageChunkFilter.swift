/// Takes OpenAI's final usage chunk (`"choices":[]` with a `usage` object) out of a
/// `text/event-stream`, and passes every other byte through as it came.
///
/// Sluice asks providers for that chunk (`stream_options.include_usage`) on every stream so
/// limits and spend settle on real numbers; an app that did not ask for it must not get it.
/// Events are held only until their closing blank line; memory is one event.
public struct UsageChunkFilter: Sendable {
    /// Bytes held back: the start of an event that may be the usage chunk, or line ends that
    /// may be half of the blank line closing an event being passed through.
    private var pending: [UInt8] = []
    /// Inside an event that cannot be the usage chunk: its bytes go through at once.
    private var passing = false
    /// Whether the usage chunk was seen (and dropped).
    public private(set) var dropped = false

    private static let dataPrefix = Array("data:".utf8)

    public init() {}

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
            if Self.isUsageChunk(event) {
                dropped = true
            } else {
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

    /// Whether the event's data is a chunk with no choices and a usage object.
    static func isUsageChunk(_ event: ArraySlice<UInt8>) -> Bool {
        // Cheap pre-check: only the usage chunk has an empty choices array.
        guard let dataStart = Self.dataPayloadStart(event) else { return false }
        let payload = Array(event[dataStart...])
        guard let scan = try? BodyScan.scan(payload, fields: ["choices", "usage"]) else { return false }
        guard let choices = scan["choices"], choices.kind == .array, choices.isEmptyContainer else { return false }
        return scan["usage"]?.kind == .object
    }

    /// Where the JSON of a single-line `data:` event starts.
    private static func dataPayloadStart(_ event: ArraySlice<UInt8>) -> Int? {
        let prefix = Array("data:".utf8)
        guard event.starts(with: prefix) else { return nil }
        var index = event.startIndex + prefix.count
        while index < event.endIndex, event[index] == UInt8(ascii: " ") { index += 1 }
        guard index < event.endIndex, event[index] == UInt8(ascii: "{") else { return nil }
        return index
    }
}
