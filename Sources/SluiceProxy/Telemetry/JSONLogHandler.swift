#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
import NIOConcurrencyHelpers
import SluiceLLM

/// A swift-log handler that writes one JSON object per line to a file descriptor (stdout by default).
///
/// Each line is `{"ts":…,"level":…,"msg":…,<metadata>}` with metadata flattened to top-level keys, so log
/// pipelines (Loki, CloudWatch, `jq`) read fields without parsing a message. Lines are written with one
/// `write(2)` each: stdout is often a pipe, where C stdio would hold lines back until its buffer fills.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    private let label: String
    private let sink: LineSink

    /// Makes a handler writing to `fileDescriptor`.
    public init(label: String, fileDescriptor: Int32 = 1) {
        self.label = label
        self.sink = LineSink(fileDescriptor: fileDescriptor)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"ts\":\(JSONText.quoted(Timestamp.nowISO8601()))"
        line += ",\"level\":\(JSONText.quoted(event.level.rawValue))"
        line += ",\"msg\":\(JSONText.quoted(event.message.description))"
        for key in merged.keys.sorted() {
            line += ",\(JSONText.quoted(key)):\(Self.render(merged[key]!))"
        }
        line += "}\n"
        self.sink.write(line)
    }

    /// Numbers and booleans logged as `.stringConvertible` stay JSON numbers and booleans.
    static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text):
            return JSONText.quoted(text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: return String(number)
            case let number as Double: return number.isFinite ? String(number) : "null"
            case let flag as Bool: return flag ? "true" : "false"
            default: return JSONText.quoted(convertible.description)
            }
        case .array(let values):
            return "[" + values.map(render).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            let members = dictionary.keys.sorted().map { "\(JSONText.quoted($0)):\(render(dictionary[$0]!))" }
            return "{" + members.joined(separator: ",") + "}"
        }
    }
}

/// Serialises whole lines onto one descriptor so lines from several event loops never interleave.
final class LineSink: Sendable {
    private let fileDescriptor: Int32
    private let lock = NIOLock()

    init(fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            self.lock.withLock {
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
}

/// Wall-clock timestamps for log lines, in UTC with milliseconds.
enum Timestamp {
    static func nowISO8601() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = spec.tv_nsec / 1_000_000
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}
