/// An incremental `text/event-stream` parser following the WHATWG HTML rules
/// (§9.2.6 "Interpreting an event stream").
///
/// Duties, in order, for each byte fed:
/// 1. drop a UTF-8 byte-order mark at the very start of the stream;
/// 2. split lines at CRLF, LF or CR, even when the CR and LF arrive in different feeds;
/// 3. for each line: empty dispatches the pending event; `:` starts a comment; otherwise the
///    field name runs to the first `:` and one space after it is dropped from the value;
/// 4. `data` appends the value and `\n`, `event` sets the type, `id` sets the last event ID
///    (unless it holds NUL), `retry` keeps an all-digit value; other fields are ignored;
/// 5. an event with no data is not dispatched.
///
/// Bytes may be cut anywhere between feeds, inside a UTF-8 sequence too: lines are decoded only
/// once complete. A line is held until its end arrives, so memory is one line plus one event.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var afterCR = false
    private var atStreamStart = true
    private var data: [UInt8] = []
    private var eventType: String?
    private var lastEventID = ""
    private var retry: Int?
    private let dispatchesIncompleteEvent: Bool

    /// Creates a parser. At ``finish()`` an event whose closing blank line never came is
    /// discarded, as the WHATWG rules say, unless `dispatchesIncompleteEvent` is true (lenient
    /// relaying of a stream that was cut short).
    public init(dispatchesIncompleteEvent: Bool = false) {
        self.dispatchesIncompleteEvent = dispatchesIncompleteEvent
    }

    /// Whether part of an event (a field or an unfinished line) is waiting for its blank line.
    public var hasIncompleteEvent: Bool {
        !line.isEmpty || !data.isEmpty || eventType != nil || retry != nil
    }

    /// Whether whole events at the start of `next` (the bytes the parser would be fed next) may be read
    /// without it: the parser is between events, no CR waits for its LF, and `next` does not begin the
    /// stream with a byte-order mark. A reader that takes events in place (``FirstContentDetector``) asks
    /// this first; an event with no `id:`, `event:` or `retry:` field leaves the parser as it was.
    public mutating func acceptsEventsInPlace(before next: UnsafeRawBufferPointer) -> Bool {
        guard !self.afterCR, !self.hasIncompleteEvent else { return false }
        if self.atStreamStart {
            // Too few bytes to rule out a byte-order mark: the parser reads them.
            guard next.count >= 3, !next.starts(with: [0xEF, 0xBB, 0xBF]) else { return false }
            self.atStreamStart = false
        }
        return true
    }

    /// Parses the next bytes of the stream and returns the events they complete.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [SSEEvent] {
        var events: [SSEEvent] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), into: &events)
        }
        if handled == nil {
            Array(bytes).withUnsafeBytes { feed($0, into: &events) }
        }
        return events
    }

    /// Ends the stream: returns the pending event only if the parser was created with
    /// `dispatchesIncompleteEvent`, and resets the parser for a new stream.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if dispatchesIncompleteEvent {
            if !line.isEmpty, let event = endCarriedLine() { events.append(event) }
            if let event = dispatch() { events.append(event) }
        }
        self = SSEParser(dispatchesIncompleteEvent: dispatchesIncompleteEvent)
        return events
    }

    private mutating func feed(_ buffer: UnsafeRawBufferPointer, into events: inout [SSEEvent]) {
        _ = self.feed(buffer) { event -> Bool in
            events.append(event)
            return false
        }
    }

    /// Parses the next bytes and hands each completed event to `stop`, stopping at the first for
    /// which it returns true; returns the offset just past the blank line that completed that event,
    /// or nil when `stop` never said so. The bytes after that event are not read: use this when the
    /// parser is not needed past that event (the preamble detector).
    public mutating func feed(_ buffer: UnsafeRawBufferPointer, until stop: (SSEEvent) -> Bool) -> Int? {
        self.walk(buffer) { parser in parser.dispatch().map(stop) ?? false }
    }

    /// ``feed(_:until:)`` for a caller that reads only an event's data (its `data:` lines joined, without
    /// the last line feed): handed over where it lies, with no event built and no string decoded.
    public mutating func feed(_ buffer: UnsafeRawBufferPointer, untilData stop: (UnsafeRawBufferPointer) -> Bool)
        -> Int?
    {
        self.walk(buffer) { parser in parser.dispatchData(stop) }
    }

    /// Splits `buffer` into lines and handles each; at a blank line, `blank` dispatches the pending event
    /// and says whether to stop there.
    private mutating func walk(_ buffer: UnsafeRawBufferPointer, blank: (inout SSEParser) -> Bool) -> Int? {
        var index = 0
        let end = buffer.count
        while index < end {
            if afterCR {
                afterCR = false
                if buffer[index] == 0x0A {
                    index += 1
                    continue
                }
            }
            let lineEnd = ByteSearch.firstIndex(of: 0x0A, or: 0x0D, in: buffer, from: index, to: end) ?? end
            guard lineEnd < end else {
                // No line end in this feed: keep the start of the line for the next one.
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index..<end]))
                return nil
            }
            afterCR = buffer[lineEnd] == 0x0D
            let isBlank: Bool
            if line.isEmpty {
                // The common case: the whole line is in this feed; read it in place.
                isBlank = takeLine(UnsafeRawBufferPointer(rebasing: buffer[index..<lineEnd]))
            } else {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index..<lineEnd]))
                isBlank = takeCarriedLine()
            }
            if isBlank, blank(&self) { return lineEnd + 1 }
            index = lineEnd + 1
        }
        return nil
    }

    /// Handles the line gathered in `line` across feeds, then empties `line` (keeping its storage); the
    /// pending event is dispatched when it was a blank line.
    private mutating func endCarriedLine() -> SSEEvent? {
        self.takeCarriedLine() ? self.dispatch() : nil
    }

    /// Takes the line gathered in `line` across feeds (see ``takeLine(_:)``), then empties `line`
    /// (keeping its storage).
    private mutating func takeCarriedLine() -> Bool {
        var carried: [UInt8] = []
        swap(&carried, &line)
        let isBlank = carried.withUnsafeBytes { takeLine($0) }
        carried.removeAll(keepingCapacity: true)
        line = carried
        return isBlank
    }

    /// Takes a complete line: a field is read; a blank line, which dispatches the pending event, is
    /// left to the caller (returns true).
    private mutating func takeLine(_ text: UnsafeRawBufferPointer) -> Bool {
        var text = text
        if atStreamStart {
            atStreamStart = false
            if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = UnsafeRawBufferPointer(rebasing: text[3...]) }
        }
        if text.isEmpty { return true }
        processLine(text)
        return false
    }

    /// Interprets a complete, non-blank line.
    private mutating func processLine(_ line: UnsafeRawBufferPointer) {
        guard line[0] != UInt8(ascii: ":") else { return }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = UnsafeRawBufferPointer(rebasing: line[..<(colon ?? line.endIndex)])
        var valueStart = colon.map { $0 + 1 } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if name.elementsEqual("data".utf8) {
            data.append(contentsOf: value)
            data.append(0x0A)
        } else if name.elementsEqual("event".utf8) {
            eventType = String(decoding: value, as: UTF8.self)
        } else if name.elementsEqual("id".utf8) {
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        } else if name.elementsEqual("retry".utf8) {
            if !value.isEmpty, value.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
                retry = Int(String(decoding: value, as: UTF8.self))
            }
        }
    }

    /// Hands the pending event's data (if it has any) to `stop` and clears the event buffers; returns what
    /// `stop` said, or false for an event without data (which is not dispatched).
    private mutating func dispatchData(_ stop: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        defer {
            data.removeAll(keepingCapacity: true)
            eventType = nil
            retry = nil
        }
        guard !data.isEmpty else { return false }
        return data.withUnsafeBytes { stop(UnsafeRawBufferPointer(rebasing: $0.dropLast())) }
    }

    /// Builds the pending event (if it has data) and clears the event buffers.
    private mutating func dispatch() -> SSEEvent? {
        defer {
            data.removeAll(keepingCapacity: true)
            eventType = nil
            retry = nil
        }
        guard !data.isEmpty else { return nil }
        data.removeLast()
        return SSEEvent(
            event: eventType.flatMap { $0.isEmpty ? nil : $0 },
            data: String(decoding: data, as: UTF8.self),
            id: lastEventID.isEmpty ? nil : lastEventID,
            retry: retry)
    }
}
