import Yams

extension Node {
    /// Applies a JSON Patch `add` to this YAML node, as RFC 6902 defines it: into a mapping it sets
    /// the key (replacing a value there), into a sequence it inserts before the index, or appends
    /// for `-`. Every node it does not touch keeps its scalar style (quotes, `|` blocks).
    mutating func apply(_ operation: PatchOperation) throws(ManifestError) {
        try self.add(operation.value.node, at: operation.path[...], pointer: operation.pointer)
    }

    private mutating func add(_ value: Node, at path: ArraySlice<String>, pointer: String) throws(ManifestError) {
        guard let token = path.first else {
            self = value
            return
        }
        let rest = path.dropFirst()
        switch self {
        case .mapping(var mapping):
            if rest.isEmpty {
                mapping[token] = value
            } else {
                guard var child = mapping[token] else { throw ManifestError.patch(pointer, "no '\(token)'") }
                try child.add(value, at: rest, pointer: pointer)
                mapping[token] = child
            }
            self = .mapping(mapping)
        case .sequence(var sequence):
            if rest.isEmpty {
                if token == "-" {
                    sequence.append(value)
                } else if let index = Int(token), index >= 0, index <= sequence.count {
                    sequence.insert(value, at: index)
                } else {
                    throw ManifestError.patch(pointer, "index '\(token)' is out of range")
                }
            } else {
                guard let index = Int(token), sequence.indices.contains(index) else {
                    throw ManifestError.patch(pointer, "index '\(token)' is out of range")
                }
                var child = sequence[index]
                try child.add(value, at: rest, pointer: pointer)
                sequence[index] = child
            }
            self = .sequence(sequence)
        case .scalar, .alias:
            throw ManifestError.patch(pointer, "'\(token)' is inside a scalar")
        }
    }
}
