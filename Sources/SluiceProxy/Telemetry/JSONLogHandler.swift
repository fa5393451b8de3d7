#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SluiceLLM
import SluiceLimits

/// A swift-log handler that writes one JSON object per line to a file descriptor (stdout by default).
///
/// Each line is `{"ts":…,"level":…,"msg":…,<metadata>}` with metadata flattened to top-level keys, so log
/// pipelines (Loki, CloudWatch, `jq`) read fields without parsing a message. Lines logged on an event loop
/// leave together at the end of the loop's turn, in one `write(2)` (see ``LineSink``); lines logged
/// elsewhere are written at once. Not C stdio: stdout is often a pipe, where stdio would hold lines back
/// until its buffer fills.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let sink: LineSink

    /// Makes a handler writing to `fileDescriptor`.
    public init(label: String, fileDescriptor: Int32 = 1) {
        self.label = label
        self.sink = fileDescriptor == 1 ? .standardOutput : LineSink(fileDescriptor: fileDescriptor)
    }

    /// Writes every line still waiting for its loop's turn to end (call before the process exits).
    public static func flush() {
        LineSink.standardOutput.flush()
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Built straight into bytes, with no sorting and no intermediate strings; metadata is merged only
        // when there is more than the event's own.
        var line = Self.lineStart(level: event.level, message: event.message.description)
        let provided = self.metadataProvider?.get() ?? [:]
        if self.metadata.isEmpty && provided.isEmpty {
            if let own = event.metadata { Self.append(own, to: &line) }
        } else {
            var merged = self.metadata
            merged.merge(provided) { _, new in new }
            if let own = event.metadata { merged.merge(own) { _, new in new } }
            Self.append(merged, to: &line)
        }
        line.append(contentsOf: "}\n".utf8)
        // A warning or an error may be the last thing the process says: it is written at once.
        self.sink.write(line, now: event.level >= .warning)
    }

    /// `{"ts":…,"level":…,"msg":…`: what every line starts with.
    private static func lineStart(level: Logger.Level, message: String) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line.append(contentsOf: #"{"ts":""#.utf8)
        Timestamp.appendNowISO8601(to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: level.rawValue.utf8)
        line.append(contentsOf: #"","msg":"#.utf8)
        JSONText.appendQuoted(message, to: &line)
        return line
    }

    /// Whether ``writeInfo(_:fields:)`` writes what logging at info through a `Logger` would: the handler
    /// logs at info and has no metadata provider (which must be asked on every line).
    var writesInfoDirectly: Bool {
        self.logLevel <= .info && self.metadataProvider == nil
    }

    /// The handler of `logger` when it is a JSON handler that ``writesInfoDirectly``.
    static func directWriter(of logger: Logger) -> JSONLogHandler? {
        (logger.handler as? JSONLogHandler).flatMap { $0.writesInfoDirectly ? $0 : nil }
    }

    /// The line that `Logger.info(message, metadata: [fieldsKey: .stringConvertible(.wrapping(fields))])`
    /// has this handler write (when ``writesInfoDirectly``), without the metadata dictionary, the box that
    /// carries `fields` through it, and the cast that finds them again: the access log's line per request.
    /// The handler's own metadata (a sidecar's workload) comes before the fields, where a merged
    /// dictionary would put it in hash order.
    func writeInfo(_ message: String, fields: some JSONLogFields) {
        var line = Self.lineStart(level: .info, message: message)
        if !self.metadata.isEmpty { Self.append(self.metadata, to: &line) }
        fields.appendJSONFields(to: &line)
        line.append(contentsOf: "}\n".utf8)
        self.sink.write(line, now: false)
    }

    /// The metadata key whose value, a ``JSONLogFieldsValue``, is written as top-level fields.
    public static let fieldsKey = "fields"

    private static func append(_ metadata: Logger.Metadata, to line: inout [UInt8]) {
        for (key, value) in metadata {
            if key == Self.fieldsKey, case .stringConvertible(let convertible) = value,
                let carrier = convertible as? JSONLogFieldsValue
            {
                carrier.appendJSONFields(to: &line)
                continue
            }
            line.append(UInt8(ascii: ","))
            JSONText.appendQuoted(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.append(value, to: &line)
        }
    }

    /// Numbers and booleans logged as `.stringConvertible` stay JSON numbers and booleans.
    static func append(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        switch value {
        case .string(let text):
            JSONText.appendQuoted(text, to: &line)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: line.append(contentsOf: String(number).utf8)
            case let number as Double: line.append(contentsOf: (number.isFinite ? String(number) : "null").utf8)
            case let flag as Bool: line.append(contentsOf: (flag ? "true" : "false").utf8)
            default: JSONText.appendQuoted(convertible.description, to: &line)
            }
        case .array(let values):
            line.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                Self.append(element, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            line.append(UInt8(ascii: "{"))
            var first = true
            for (key, element) in dictionary {
                if !first { line.append(UInt8(ascii: ",")) }
                first = false
                JSONText.appendQuoted(key, to: &line)
                line.append(UInt8(ascii: ":"))
                Self.append(element, to: &line)
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// The JSON text of one metadata value (for tests).
    static func render(_ value: Logger.MetadataValue) -> String {
        var bytes: [UInt8] = []
        Self.append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Whole lines onto one descriptor, in order, never interleaved across threads.
///
/// A line logged on an event loop joins a buffer that the loop writes when its current turn of work
/// ends: every access line of one turn (many, under load) leaves in a single `write(2)` instead of one
/// each, and a line is never held longer than its own loop's turn (each loop that adds a line sees to a
/// flush). A line logged off the loops, a warning or an error, or one that fills the buffer past 64 KiB,
/// is written at once with whatever waits before it; what still waits at exit is written by an `atexit`
/// handler.
final class LineSink: Sendable {
    static let standardOutput: LineSink = {
        let sink = LineSink(fileDescriptor: 1)
        atexit { LineSink.standardOutput.flush() }
        return sink
    }()
    private static let flushThreshold = 64 * 1024

    private struct Pending {
        var bytes: [UInt8] = []
        /// The loops that have a flush queued since the last one ran.
        var flushQueuedOn: [ObjectIdentifier] = []
        /// The buffer the last flush wrote and emptied, kept for its capacity: the next flush swaps it in for
        /// the full one. Emptying the full one in place would allocate as much anew on every flush (its bytes
        /// are still being written), up to 64 KiB a loop turn under load.
        var spare: [UInt8] = []
    }

    private let fileDescriptor: Int32
    private let pending = NIOLockedValueBox(Pending())
    /// Held while writing, so that buffers taken one after the other are written in that order.
    private let writeLock = NIOLock()

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func write(_ line: [UInt8], now: Bool = false) {
        guard !now, let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            self.writeLock.withLock {
                var written = self.takePending()
                self.writeAll(written)
                self.keepSpare(&written)
                self.writeAll(line)
            }
            return
        }
        let loopID = ObjectIdentifier(loop)
        let (scheduleFlush, flushNow) = self.pending.withLockedValue { pending in
            pending.bytes.append(contentsOf: line)
            let full = pending.bytes.count >= Self.flushThreshold
            let schedule = !full && !pending.flushQueuedOn.contains(loopID)
            if schedule { pending.flushQueuedOn.append(loopID) }
            return (schedule, full)
        }
        if flushNow {
            self.flush()
        } else if scheduleFlush {
            loop.execute { self.flush() }
        }
    }

    /// Writes what is buffered.
    func flush() {
        self.writeLock.withLock {
            var written = self.takePending()
            self.writeAll(written)
            self.keepSpare(&written)
        }
    }

    /// What is buffered, swapped out for the spare buffer.
    private func takePending() -> [UInt8] {
        self.pending.withLockedValue { pending in
            pending.flushQueuedOn.removeAll(keepingCapacity: true)
            guard !pending.bytes.isEmpty else { return [] }
            var taken: [UInt8] = []
            swap(&taken, &pending.spare)
            swap(&taken, &pending.bytes)
            return taken
        }
    }

    /// Keeps `written`'s storage as the spare buffer, emptied (its bytes are out).
    private func keepSpare(_ written: inout [UInt8]) {
        guard written.capacity > 0 else { return }
        written.removeAll(keepingCapacity: true)
        self.pending.withLockedValue { pending in
            if pending.spare.capacity < written.capacity { swap(&pending.spare, &written) }
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(self.fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// Wall-clock timestamps for log lines, in UTC with milliseconds, written as digits into the line.
enum Timestamp {
    static func appendNowISO8601(to line: inout [UInt8]) {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        Self.appendISO8601(unixSeconds: Int64(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000), to: &line)
    }

    /// `2026-12-08T04:06:40.123Z`. Pure: the date is ``UTCCalendar``'s arithmetic, not `gmtime_r`, which
    /// takes glibc's time-zone lock on every call (once per access line).
    static func appendISO8601(unixSeconds: Int64, milliseconds: Int, to line: inout [UInt8]) {
        let day = UTCCalendar.day(ofUnixSeconds: unixSeconds)
        let secondOfDay = Int(unixSeconds - UTCCalendar.unixSeconds(startOf: day))
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                line.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(day.year, 4)
        line.append(UInt8(ascii: "-"))
        digits(day.month, 2)
        line.append(UInt8(ascii: "-"))
        digits(day.day, 2)
        line.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3_600, 2)
        line.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2)
        line.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2)
        line.append(UInt8(ascii: "."))
        digits(milliseconds, 3)
        line.append(UInt8(ascii: "Z"))
    }
}
