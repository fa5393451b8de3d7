import Yams

extension KubeValue {
    /// Reads a composed YAML node: scalars become the type the YAML 1.1 core schema resolves
    /// (`8080` an int, `true` a bool, `"8080"` a string), as Kubernetes' own YAML reader does.
    init(_ node: Node) {
        switch node {
        case .scalar(let scalar):
            let resolved = Node.scalar(scalar)
            switch resolved.tag.rawValue {
            case Tag.Name.null.rawValue: self = .null
            case Tag.Name.bool.rawValue: self = resolved.bool.map(KubeValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue: self = resolved.int.map(KubeValue.int) ?? .string(scalar.string)
            case Tag.Name.float.rawValue: self = resolved.float.map(KubeValue.double) ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .array(sequence.map(KubeValue.init))
        case .mapping(let mapping):
            self = .object(mapping.map { Member($0.key.string ?? "", KubeValue($0.value)) })
        case .alias:
            // `compose` resolves aliases; one left over has no value we can read.
            self = .null
        }
    }

    /// The YAML node for this value. A string that would read back as another type (`"true"`,
    /// `"8080"`, `""`) is double-quoted, so emitting and re-reading it gives the same value.
    var node: Node {
        switch self {
        case .null:
            return Node("null", Tag(.null))
        case .bool(let value):
            return Node(value ? "true" : "false", Tag(.bool))
        case .int(let value):
            return Node(String(value), Tag(.int))
        case .double(let value):
            return Node(String(value), Tag(.float))
        case .string(let text):
            let plain = Node(text)
            return plain.tag.rawValue == Tag.Name.str.rawValue ? Node(text, Tag(.str)) : Node(text, Tag(.str), .doubleQuoted)
        case .array(let items):
            return Node(items.map(\.node))
        case .object(let members):
            return Node(members.map { (KubeValue.string($0.key).node, $0.value.node) })
        }
    }
}
