import SluiceLLM

/// Fields that write themselves into a JSON log line as top-level keys.
///
/// The access line is logged once per request: building a `Logger.Metadata` dictionary for it (sixteen
/// hashed inserts, each value boxed, numbers recovered by dynamic casts) cost more than writing the line.
/// A type conforming to this is logged wrapped in a ``JSONLogFieldsValue`` under
/// ``JSONLogHandler/fieldsKey``; the JSON handler writes its fields in place, and any other log handler
/// prints the same fields as JSON text.
public protocol JSONLogFields: Sendable {
    /// Appends each field as `,"key":value`.
    func appendJSONFields(to line: inout [UInt8])
}

/// The metadata value carrying ``JSONLogFields``: a class, so the handler recognises it with a class check
/// rather than a protocol-conformance lookup, and made by ``wrapping(_:)`` as a generic subclass that holds
/// the fields inline: one allocation per line, not a second for an existential box.
public class JSONLogFieldsValue: CustomStringConvertible, @unchecked Sendable {
    /// `fields` as a metadata value.
    public static func wrapping(_ fields: some JSONLogFields) -> JSONLogFieldsValue {
        Wrapped(fields)
    }

    fileprivate init() {}

    /// Appends each field as `,"key":value`.
    public func appendJSONFields(to line: inout [UInt8]) {
        preconditionFailure("made only by wrapping(_:), whose subclass writes its fields")
    }

    /// The fields as one JSON object.
    public var description: String {
        var line: [UInt8] = []
        self.appendJSONFields(to: &line)
        if !line.isEmpty { line[0] = UInt8(ascii: "{") } else { line.append(UInt8(ascii: "{")) }
        line.append(UInt8(ascii: "}"))
        return String(decoding: line, as: UTF8.self)
    }

    /// Immutable once made (its fields are `Sendable` and never changed), hence `@unchecked Sendable`.
    private final class Wrapped<Fields: JSONLogFields>: JSONLogFieldsValue, @unchecked Sendable {
        let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }

        override func appendJSONFields(to line: inout [UInt8]) {
            self.fields.appendJSONFields(to: &line)
        }
    }
}

/// One request's access line: who asked what, where it went, how it ended. Never prompt text.
struct AccessRecord: JSONLogFields {
    var requestID: String
    var method: String
    var path: String
    var protocolName: String
    var model: String
    var provider: String
    var status: Int
    var latencyMicroseconds: Int64
    var stream: Bool
    var workload: String?
    var redacted: String?
    var guardOutcome: String?
    var upstreamModel: String?
    var promptTokens: Int?
    var completionTokens: Int?
    var error: String?
    var costUSD: String?
    var malformedChunksDropped: Int?
    var note: String?

    func appendJSONFields(to line: inout [UInt8]) {
        Self.append(#","request_id":"#, string: self.requestID, to: &line)
        Self.append(#","method":"#, string: self.method, to: &line)
        Self.append(#","path":"#, string: self.path, to: &line)
        Self.append(#","protocol":"#, string: self.protocolName, to: &line)
        Self.append(#","model":"#, string: self.model, to: &line)
        Self.append(#","provider":"#, string: self.provider, to: &line)
        Self.append(#","status":"#, number: self.status, to: &line)
        // Milliseconds with three decimals, from integer microseconds (no floating-point formatting).
        Self.key(#","latency_ms":"#, to: &line)
        let micros = max(0, self.latencyMicroseconds)
        line.append(contentsOf: String(micros / 1000).utf8)
        line.append(UInt8(ascii: "."))
        let fraction = Int(micros % 1000)
        line.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        line.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        line.append(UInt8(ascii: "0") + UInt8(fraction % 10))
        Self.key(#","stream":"#, to: &line)
        line.append(contentsOf: (self.stream ? "true" : "false").utf8)
        if let workload { Self.append(#","workload":"#, string: workload, to: &line) }
        if let redacted { Self.append(#","redacted":"#, string: redacted, to: &line) }
        if let guardOutcome { Self.append(#","guard":"#, string: guardOutcome, to: &line) }
        if let upstreamModel { Self.append(#","upstream_model":"#, string: upstreamModel, to: &line) }
        if let promptTokens { Self.append(#","prompt_tokens":"#, number: promptTokens, to: &line) }
        if let completionTokens { Self.append(#","completion_tokens":"#, number: completionTokens, to: &line) }
        if let error { Self.append(#","error":"#, string: error, to: &line) }
        if let costUSD { Self.append(#","cost_usd":"#, string: costUSD, to: &line) }
        if let malformedChunksDropped {
            Self.append(#","malformed_chunks_dropped":"#, number: malformedChunksDropped, to: &line)
        }
        if let note { Self.append(#","note":"#, string: note, to: &line) }
    }

    /// Writes `key`, the whole `,"name":` separator, in one append (names are plain ASCII: no escaping).
    private static func key(_ key: StaticString, to line: inout [UInt8]) {
        key.withUTF8Buffer { line.append(contentsOf: $0) }
    }

    private static func append(_ name: StaticString, string value: String, to line: inout [UInt8]) {
        Self.key(name, to: &line)
        JSONText.appendQuoted(value, to: &line)
    }

    private static func append(_ name: StaticString, number value: Int, to line: inout [UInt8]) {
        Self.key(name, to: &line)
        line.append(contentsOf: String(value).utf8)
    }
}
