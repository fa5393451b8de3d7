/// Reading single request fields, each failure naming its parameter the way OpenAI does
/// (`messages[2].tool_calls[0].function.name`).
extension AnthropicRequestTranslator {
    /// The string at `param`; missing or `null` is `missing_required_parameter`.
    static func requiredString(_ node: JSONNode?, _ param: String) throws(SluiceError) -> String {
        guard let node, !node.isNull else { throw .missingField(param) }
        guard let text = node.string else { throw .invalidFieldType(param, expected: "a string") }
        return text
    }

    /// `read(node)` when the field is given; nil when it is absent; a type error naming `param`
    /// and `expected` when `read` cannot make sense of it.
    static func optional<Value>(
        _ node: JSONNode?, _ param: String, expected: String, _ read: (JSONNode) -> Value?
    ) throws(SluiceError) -> Value? {
        guard let node else { return nil }
        guard let value = read(node) else { throw .invalidFieldType(param, expected: expected) }
        return value
    }

    /// The field itself when it is a number, keeping its literal text.
    static func number(_ node: JSONNode?, _ param: String) throws(SluiceError) -> JSONNode? {
        try optional(node, param, expected: "a number") { $0.double == nil ? nil : $0 }
    }

    /// `temperature`: OpenAI allows 0 to 2, Anthropic 0 to 1, so anything above 1 is sent as 1
    /// (the most varied answer Anthropic gives) rather than failing a request that was valid.
    static func temperature(_ node: JSONNode?) throws(SluiceError) -> JSONNode? {
        guard let node, let value = try optional(node, "temperature", expected: "a number", { $0.double }) else {
            return nil
        }
        guard value >= 0 else { throw .invalidField("temperature", "it must be between 0 and 2") }
        return value > 1 ? 1 : node
    }

    /// `stop` (a string or an array of strings) as `stop_sequences`; nil when there are none.
    static func stopSequences(_ node: JSONNode?) throws(SluiceError) -> JSONNode? {
        guard let node else { return nil }
        if let text = node.string { return .array([.string(text)]) }
        guard let items = node.array, items.allSatisfy({ $0.string != nil }) else {
            throw .invalidFieldType("stop", expected: "a string or an array of strings")
        }
        return items.isEmpty ? nil : node
    }

    /// The array at `param`, for fields that must be one when given.
    static func array(_ node: JSONNode, _ param: String, expected: String) throws(SluiceError) -> [JSONNode] {
        guard let items = node.array else { throw .invalidFieldType(param, expected: expected) }
        return items
    }

    /// The object at `param`.
    static func object(_ node: JSONNode?, _ param: String) throws(SluiceError) -> JSONNode {
        guard let node, !node.isNull else { throw .missingField(param) }
        guard node.isObject else { throw .invalidFieldType(param, expected: "an object") }
        return node
    }
}
