extension JSONWriter {
    /// Writes `node` as compact JSON: members in their order, numbers as their literal text.
    mutating func node(_ node: JSONNode) {
        switch node {
        case .null:
            null()
        case .bool(let flag):
            bool(flag)
        case .number(let text):
            raw(text)
        case .string(let text):
            string(text)
        case .array(let items):
            beginArray()
            for item in items { self.node(item) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(member.key)
                self.node(member.value)
            }
            endObject()
        }
    }
}
