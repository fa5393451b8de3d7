/// Cleans an OpenAI `text/event-stream` on its way to the app, passing every other byte through
/// as it came:
/// - takes out the final usage chunk (`"choices":[]` with a `usage` object) when the app did not
///   ask for it: Sluice asks providers for it on every stream (`stream_options.include_usage`)
///   so limits and spend settle on real numbers;
/// - takes out a malformed chunk (a `data:` JSON object that does not parse), counting it, so a
///   provider's glitch does not break the app's SDK;
/// - notes whether `data: [DONE]` came, so a stream that ended cleanly without it can be
///   finished for the app;
/// - hands over the `usage` object of the chunk that carries one (``takeUsage()``) and counts the
///   chunks (``chunks``): since it reads every chunk's JSON anyway, the usage sniffer need not walk
///   the stream again.
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
    /// Chunks (well-formed `data:` JSON objects, the usage chunk included) seen so far: about one per
    /// token delivered, what a stream cut before its usage is settled on.
    public private(set) var chunks = 0
    /// The `usage` object of the latest chunk that carried one, not yet taken.
    private var usage: [UInt8]?

    private static let dataPrefix = Array("data:".utf8)

    /// The `[DONE]` event a finished stream ends with.
    public static let doneEvent = Array("data: [DONE]\n\n".utf8)

    public init(dropsUsage: Bool) {
        self.dropsUsage = dropsUsage
    }

    /// What ``filter(_:)`` lets through of one read.
    public enum Filtered: Sendable, Equatable {
        /// The read goes on exactly as it came (the common case: no copy).
        case unchanged
        /// These bytes go on instead (something was taken out or held back).
        case bytes([UInt8])
    }

    /// What of `input` may go to the app now. Only an event that starts with `data:` is held
    /// until its blank line (to see whether it is the usage chunk or malformed); anything else
    /// streams through as it comes. A read of whole events that all pass is `.unchanged`.
    public mutating func filter(_ input: UnsafeRawBufferPointer) -> Filtered {
        var found: [UInt8]?
        let filtered = self.filter(input) { found = Array($0) }
        if let found { self.usage = found }
        return filtered
    }

    /// ``filter(_:)``, handing each `usage` object to `usage` where it lies as it is found, instead of
    /// keeping a copy for ``takeUsage()``.
    public mutating func filter(
        _ input: UnsafeRawBufferPointer, usage: (UnsafeRawBufferPointer) -> Void
    ) -> Filtered {
        if pending.isEmpty {
            let (kept, consumed) = process(input, usage: usage)
            if consumed == input.count, kept.isWhole(0..<input.count) { return .unchanged }
            pending = Array(input[consumed...])
            return .bytes(Self.gather(kept, from: input))
        }
        let combined = pending + input
        return combined.withUnsafeBytes { bytes in
            let (kept, consumed) = process(bytes, usage: usage)
            pending = Array(bytes[consumed...])
            return .bytes(Self.gather(kept, from: bytes))
        }
    }

    /// ``filter(_:)`` for any bytes, always as bytes.
    public mutating func feed(_ input: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(input)
        let filtered = bytes.withUnsafeBytes { filter($0) }
        if case .bytes(let output) = filtered { return output }
        return bytes
    }

    /// Walks `bytes` event by event: the ranges that go on, and where the unread rest starts.
    private mutating func process(
        _ bytes: UnsafeRawBufferPointer, usage: (UnsafeRawBufferPointer) -> Void
    ) -> (kept: KeptRanges, consumed: Int) {
        var kept = KeptRanges()
        var start = 0
        while start < bytes.count {
            let found = Self.eventEnd(in: bytes, from: start)
            let end = found?.end
            if passing {
                guard let end else {
                    // Keep trailing line ends: they may be the first half of the blank line.
                    var stop = bytes.count
                    while stop > start, bytes[stop - 1] == 0x0A || bytes[stop - 1] == 0x0D { stop -= 1 }
                    kept.add(start..<stop)
                    start = stop
                    break
                }
                kept.add(start..<end)
                passing = false
                start = end
                continue
            }
            guard bytes.count - start >= 5 else {
                // The event's start is cut: wait for more when it may still be `data:`.
                if bytes[start...].elementsEqual(Self.dataPrefix.prefix(bytes.count - start)) { break }
                passing = true
                continue
            }
            guard Self.startsWithData(bytes, at: start) else {
                passing = true
                continue
            }
            guard let end else { break }  // wait for more
            let kind = Self.classify(
                UnsafeRawBufferPointer(rebasing: bytes[start..<end]), firstBreak: found!.firstBreak - start,
                usage: usage)
            if kind == .chunk || kind == .usage { chunks += 1 }
            switch kind {
            case .usage where dropsUsage:
                sawChunk = true
                dropped = true
            case .malformed:
                malformed += 1
            case .done:
                sawDone = true
                kept.add(start..<end)
            case .chunk, .usage:
                sawChunk = true
                kept.add(start..<end)
            case .other:
                kept.add(start..<end)
            }
            start = end
        }
        return (kept, start)
    }

    private static func gather(_ kept: KeptRanges, from bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(kept.byteCount)
        kept.forEach { output.append(contentsOf: bytes[$0]) }
        return output
    }

    /// The ranges of a chunk that pass, adjacent ones merged. Nearly every chunk passes whole, as one
    /// range: that one is kept inline, and an array is made only for a second.
    struct KeptRanges {
        private var first: Range<Int>?
        private var more: [Range<Int>] = []

        mutating func add(_ range: Range<Int>) {
            guard !range.isEmpty else { return }
            guard let first else {
                self.first = range
                return
            }
            if self.more.isEmpty, first.upperBound == range.lowerBound {
                self.first = first.lowerBound..<range.upperBound
            } else if let last = self.more.last, last.upperBound == range.lowerBound {
                self.more[self.more.count - 1] = last.lowerBound..<range.upperBound
            } else {
                self.more.append(range)
            }
        }

        /// Whether what is kept is exactly `range`.
        func isWhole(_ range: Range<Int>) -> Bool {
            self.more.isEmpty && self.first == range
        }

        var byteCount: Int { (self.first?.count ?? 0) + self.more.reduce(0) { $0 + $1.count } }

        func forEach(_ body: (Range<Int>) -> Void) {
            if let first { body(first) }
            self.more.forEach(body)
        }
    }

    /// The `usage` object (its JSON text) of the latest chunk that carried one since the last call.
    public mutating func takeUsage() -> [UInt8]? {
        defer { usage = nil }
        return usage
    }

    /// What is left at the end of the stream (an event without its blank line), unfiltered.
    public mutating func finish() -> [UInt8] {
        defer {
            pending = []
            passing = false
        }
        return pending
    }

    /// The index after the first blank line (LF LF, or CR LF CR LF) at or after `start`, and where the
    /// event's first line break is (which says, for free, whether the event is a single line).
    private static func eventEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> (end: Int, firstBreak: Int)? {
        let lf: UInt8 = 0x0A
        let cr: UInt8 = 0x0D
        var index = start
        var firstBreak: Int?
        while let found = ByteSearch.firstIndex(of: lf, or: cr, in: bytes, from: index, to: bytes.count) {
            index = found
            if firstBreak == nil { firstBreak = found }
            if bytes[index] == lf, index + 1 < bytes.count, bytes[index + 1] == lf {
                return (index + 2, firstBreak!)
            }
            if bytes[index] == cr, index + 3 < bytes.count, bytes[index + 1] == lf, bytes[index + 2] == cr,
                bytes[index + 3] == lf
            {
                return (index + 4, firstBreak!)
            }
            index += 1
        }
        return nil
    }

    enum EventKind { case chunk, usage, malformed, done, other }

    /// What a whole event is, and the JSON text of its `usage` object when it has one, read from its
    /// `data:` lines joined as SSE joins them (other fields such as `id:` or `event:` do not matter).
    /// The usual single `data:` line is read where it lies.
    static func classify(_ event: UnsafeRawBufferPointer, firstBreak: Int? = nil) -> (EventKind, usage: [UInt8]?) {
        var usage: [UInt8]?
        let kind = Self.classify(event, firstBreak: firstBreak) { usage = Array($0) }
        return (kind, usage)
    }

    /// ``classify(_:firstBreak:)``, handing the `usage` object to `usage` where it lies (not copied).
    static func classify(
        _ event: UnsafeRawBufferPointer, firstBreak: Int?, usage: (UnsafeRawBufferPointer) -> Void
    ) -> EventKind {
        // The usual event is one `data:` line: read in place, with no list of lines. Its first line break
        // (when the caller found it) is the blank line's start: then the line is known without a search.
        if let firstBreak, Self.isBlankLine(event, from: firstBreak) {
            guard let value = dataValue(event, 0, firstBreak) else { return .other }
            return classify(data: UnsafeRawBufferPointer(rebasing: event[value]), usage: usage)
        }
        if let only = singleDataLine(event) {
            return classify(data: UnsafeRawBufferPointer(rebasing: event[only]), usage: usage)
        }
        let lines = dataLineRanges(event)
        guard !lines.isEmpty else { return .other }
        var joined: [UInt8] = []
        for (index, line) in lines.enumerated() {
            if index > 0 { joined.append(0x0A) }
            joined.append(contentsOf: event[line])
        }
        return joined.withUnsafeBytes { classify(data: $0, usage: usage) }
    }

    private static func classify(
        data: UnsafeRawBufferPointer, usage: (UnsafeRawBufferPointer) -> Void
    ) -> EventKind {
        var index = 0
        while index < data.count, data[index] == UInt8(ascii: " ") || data[index] == 0x0A { index += 1 }
        guard index < data.count else { return .other }
        let payload = UnsafeRawBufferPointer(rebasing: data[index...])
        if Self.startsWithDone(payload) { return .done }
        guard payload[0] == UInt8(ascii: "{") else { return .other }
        guard let members = ChunkMembers.read(payload) else { return .malformed }
        guard let object = members.usageObject else { return .chunk }
        usage(UnsafeRawBufferPointer(rebasing: payload[object]))
        return members.choicesIsEmptyArray ? .usage : .chunk
    }

    /// What the filter reads of a chunk, found in one validating walk that builds nothing: the range of
    /// its `usage` value when that is an object, and whether `choices` is an empty array.
    private struct ChunkMembers {
        var usageObject: Range<Int>?
        var choicesIsEmptyArray = false

        /// Nil for a chunk that is not valid JSON, or that has either key twice (the app's SDK might read
        /// the other one).
        static func read(_ payload: UnsafeRawBufferPointer) -> ChunkMembers? {
            var scanner = JSONSyntaxScanner(bytes: payload, maxDepth: BodyScan.maxDepth)
            var found = ChunkMembers()
            var (sawUsage, sawChoices) = (false, false)
            do {
                try scanner.scanMembers { key, escaped, value, info throws(BodyScanError) in
                    if JSONSyntaxScanner.key(payload, key, hasEscapes: escaped, is: "usage") {
                        guard !sawUsage else { throw BodyScanError(offset: key.lowerBound, reason: "duplicate key") }
                        sawUsage = true
                        if info.kind == .object { found.usageObject = value }
                    } else if JSONSyntaxScanner.key(payload, key, hasEscapes: escaped, is: "choices") {
                        guard !sawChoices else {
                            throw BodyScanError(offset: key.lowerBound, reason: "duplicate key")
                        }
                        sawChoices = true
                        found.choicesIsEmptyArray = info.kind == .array && info.isEmptyContainer
                    }
                }
            } catch {
                return nil
            }
            return found
        }
    }

    /// Whether everything from `index` to the event's end is the line break and blank line that close it.
    private static func isBlankLine(_ event: UnsafeRawBufferPointer, from index: Int) -> Bool {
        switch event.count - index {
        case 2: event[index] == 0x0A && event[index + 1] == 0x0A
        case 4: event[index] == 0x0D && event[index + 1] == 0x0A && event[index + 2] == 0x0D && event[index + 3] == 0x0A
        default: false
        }
    }

    /// The value of the event's one `data:` line when it has exactly one (nil for none or several).
    private static func singleDataLine(_ event: UnsafeRawBufferPointer) -> Range<Int>? {
        var found: Range<Int>?
        var several = false
        forEachDataValue(event) { value in
            several = found != nil
            found = value
            return !several
        }
        return several ? nil : found
    }

    /// Calls `body` with the value range of each `data:` line in turn, until it returns false.
    private static func forEachDataValue(_ event: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Bool) {
        var lineStart = 0
        while lineStart <= event.count {
            let index =
                ByteSearch.firstIndex(of: 0x0A, or: 0x0A, in: event, from: lineStart, to: event.count) ?? event.count
            if let value = dataValue(event, lineStart, index), !body(value) { return }
            lineStart = index + 1
        }
    }

    /// The value range of the line from `lineStart` to its line feed at `newline` (or the CR before it) when
    /// it is a `data:` line (one space after the colon dropped).
    static func dataValue(_ event: UnsafeRawBufferPointer, _ lineStart: Int, _ newline: Int) -> Range<Int>? {
        var lineEnd = newline
        if lineEnd > lineStart, event[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        guard lineEnd - lineStart >= 5, Self.startsWithData(event, at: lineStart) else { return nil }
        var valueStart = lineStart + 5
        if valueStart < lineEnd, event[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        return valueStart..<lineEnd
    }

    // Every event is checked for these two: a word compare each, rather than a walk over a static array (whose
    // every use also checks that the array was made).

    /// Whether the five bytes at `start` (the caller checked they exist) are `data:`.
    @inline(__always)
    static func startsWithData(_ bytes: UnsafeRawBufferPointer, at start: Int) -> Bool {
        // "data" read as a little-endian word.
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self)) == 0x6174_6164
            && bytes[start + 4] == UInt8(ascii: ":")
    }

    /// Whether `payload` starts with `[DONE]`.
    @inline(__always)
    static func startsWithDone(_ payload: UnsafeRawBufferPointer) -> Bool {
        // "[DON" read as a little-endian word.
        payload.count >= 6
            && UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 0, as: UInt32.self)) == 0x4E4F_445B
            && payload[4] == UInt8(ascii: "E") && payload[5] == UInt8(ascii: "]")
    }

    /// Where the values of the event's `data:` lines are (one optional space dropped).
    private static func dataLineRanges(_ event: UnsafeRawBufferPointer) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        forEachDataValue(event) { value in
            ranges.append(value)
            return true
        }
        return ranges
    }
}
