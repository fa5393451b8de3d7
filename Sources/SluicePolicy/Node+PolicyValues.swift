import Yams

/// How the decoder looks at YAML nodes: position, kind and text.
extension Node {
    /// Where the node starts.
    var position: SourcePosition { SourcePosition(mark) }

    /// Whether the node is YAML's null: an empty value, `~` or `null`, unquoted.
    var isNull: Bool {
        guard case .scalar = self else { return false }
        return tag.rawValue == Tag.Name.null.rawValue
    }

    /// Whether the node is YAML's false (`false`, `off`, `no`), unquoted.
    var isFalse: Bool {
        guard case .scalar(let scalar) = self, tag.rawValue == Tag.Name.bool.rawValue else { return false }
        return Bool.construct(from: scalar) == false
    }

    /// The text of a non-null scalar, whatever type YAML resolved it to: `4000`, `yes` and
    /// `2024-01-01` are text to a field that wants a name or an address.
    var text: String? {
        guard case .scalar(let scalar) = self, !isNull else { return nil }
        return scalar.string
    }

    /// The node as an `Int` when YAML resolved it to an integer (`3`, `0x10`, `1_000`); a
    /// quoted `"3"` is a string and stays one.
    var integer: Int? {
        guard case .scalar(let scalar) = self, tag.rawValue == Tag.Name.int.rawValue else { return nil }
        return Int.construct(from: scalar)
    }

    /// What the node is, for "must be X, got Y" messages: `string "lots"`, `number 1.5`,
    /// `boolean yes`, `null`, `nothing`, `a mapping`, `a list`.
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tag.rawValue {
            case Tag.Name.null.rawValue: return scalar.string.isEmpty ? "nothing" : "null"
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "number \(scalar.string)"
            case Tag.Name.bool.rawValue: return "boolean \(scalar.string)"
            default: return "string \(quoted(scalar.string))"
            }
        }
    }
}

/// `text` in double quotes, shortened so that a pasted blob does not flood the terminal.
func quoted(_ text: String) -> String {
    let limit = 60
    guard text.count > limit else { return "\"\(text)\"" }
    return "\"\(text.prefix(limit))…\""
}
