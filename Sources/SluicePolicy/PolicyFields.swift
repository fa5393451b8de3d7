import Yams

/// One key of a policy mapping with its value.
struct PolicyField {
    /// The key as written.
    var key: String
    /// Where the key is: reported for problems with the key, or with a value that is missing.
    var keyPosition: SourcePosition
    /// The value node.
    var value: Node

    /// The key quoted for messages: `'max_connections'`.
    var label: String { "'\(key)'" }
}

/// The known keys of one policy mapping, after unknown keys were reported.
struct PolicyFields {
    /// Names the mapping in messages: `policy`, `listen`, `provider 'openai'`.
    var context: String
    /// Where a missing required key is reported: the key that owns this mapping.
    var position: SourcePosition
    /// The fields in file order.
    var fields: [PolicyField]

    /// The field for `key`, if the mapping has it.
    subscript(key: String) -> PolicyField? {
        fields.first { $0.key == key }
    }
}
