/// A JSON document as a tree, for the codecs that rebuild a body in another dialect.
///
/// Object members keep their document order and numbers keep their literal text, so a value
/// copied from one dialect to the other (a tool's JSON schema, `temperature: 0.8`, a tool call's
/// input) comes out as it went in. The hot path never builds one: it uses ``BodyScan``.
///
/// Parse with ``parse(_:)`` (which validates exactly as ``BodyScan`` does), write with
/// `JSONWriter.node(_:)`. When an object repeats a key, lookups see the last one, as most
/// readers (and the providers) do.
enum JSONNode: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as written in the document (`0.8`, `1e-5`, `1024`).
    case number(String)
    case string(String)
    case array([JSONNode])
    case object([Member])

    /// One member of an object.
    struct Member: Sendable, Hashable {
        var key: String
        var value: JSONNode

        init(_ key: String, _ value: JSONNode) {
            self.key = key
            self.value = value
        }
    }

    /// The value of the last member named `key`, when this is an object that has one.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The text, when this is a string.
    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value, when this is a boolean.
    var bool: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The value, when this is a number written as an integer that fits `Int`.
    var integer: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// The value, when this is a number.
    var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The elements, when this is an array.
    var array: [JSONNode]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The members, when this is an object.
    var members: [Member]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// Whether this is `null`.
    var isNull: Bool { self == .null }

    /// Whether this is an object.
    var isObject: Bool { members != nil }

    /// The member named `key` when present and not `null`: OpenAI clients send `null` for
    /// "not given" as often as they leave a field out.
    func given(_ key: String) -> JSONNode? {
        guard let value = self[key], !value.isNull else { return nil }
        return value
    }

    /// An object of `members` in their order, leaving out those whose value is nil:
    /// `.record(["type": "text", "text": .string(text), "cache_control": part["cache_control"]])`.
    static func record(_ members: KeyValuePairs<String, JSONNode?>) -> JSONNode {
        .object(members.compactMap { key, value in value.map { Member(key, $0) } })
    }

    /// A number node for an integer.
    static func int(_ value: Int) -> JSONNode {
        .number(String(value))
    }

    /// The document as compact JSON bytes.
    var bytes: [UInt8] {
        var writer = JSONWriter()
        writer.node(self)
        return writer.bytes
    }

    /// The document as compact JSON text.
    var text: String {
        String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONNode: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral {
    init(stringLiteral value: String) {
        self = .string(value)
    }

    init(booleanLiteral value: Bool) {
        self = .bool(value)
    }

    init(integerLiteral value: Int) {
        self = .int(value)
    }
}
