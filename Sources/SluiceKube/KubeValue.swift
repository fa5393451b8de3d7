/// A Kubernetes object as plain data: what both a YAML manifest and an AdmissionReview's JSON
/// decode to, so the injection rules are written once and read the same from either.
///
/// Objects keep their keys in order, so a value built here (the sidecar container) is written to
/// YAML in the order a reader expects (`name` first, then `image`, ...).
public enum KubeValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([KubeValue])
    case object([Member])

    /// One key of an object, in order.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: KubeValue

        public init(_ key: String, _ value: KubeValue) {
            self.key = key
            self.value = value
        }
    }

    /// Builds an object from ordered pairs.
    public static func object(_ pairs: KeyValuePairs<String, KubeValue>) -> KubeValue {
        .object(pairs.map { Member($0.key, $0.value) })
    }

    /// The member `key` of an object, or nil (also when this is not an object).
    public subscript(key: String) -> KubeValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The value at `path` (object keys and array indices as decimal text), or nil.
    public subscript(path path: [String]) -> KubeValue? {
        var current = self
        for token in path {
            switch current {
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// The text of a string.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The items of an array.
    public var array: [KubeValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// Whether this is an object.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// A scalar as the text an annotation or label would hold (`true` for an unquoted YAML bool).
    public var scalarText: String? {
        switch self {
        case .string(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .null, .array, .object: return nil
        }
    }
}

extension KubeValue: ExpressibleByStringLiteral {
    /// A string value, so objects read as they would in YAML: `["name": "sluice"]`.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}
