import Yams

/// Reading mappings: known keys, unknown keys, required keys and YAML merge keys.
extension PolicyDecoder {
    /// The known keys of a mapping-valued node, reporting every other key.
    ///
    /// A null value (`server:` with nothing under it) reads as an empty mapping, so commenting
    /// out a section's contents leaves its defaults rather than an error.
    ///
    /// - Parameters:
    ///   - label: names the value in a type error: `'listen'`, `provider 'openai'`.
    ///   - context: names the mapping in an unknown-key error: `listen`, `provider 'openai'`.
    ///   - owner: where a missing required key will be reported.
    ///   - allowed: the keys read here, listed in that order in messages.
    ///   - unsupported: keys of the design not implemented yet, refused with their own message.
    /// - Returns: the fields, or nil when the node is not a mapping.
    mutating func fields(
        of node: Node, label: String, context: String, owner: SourcePosition,
        allowed: [String], unsupported: [String] = []
    ) -> PolicyFields? {
        guard let entries = entries(of: node, label: label) else { return nil }
        var known: [PolicyField] = []
        for entry in entries {
            if allowed.contains(entry.key) {
                known.append(entry)
            } else if unsupported.contains(entry.key) {
                // A top-level section needs no "in policy"; a nested key says whose it is.
                let place = context == PolicyDecoder.rootContext ? "" : " in \(context)"
                report("\(entry.label)\(place) is not supported by this version of Sluice yet", at: entry.keyPosition)
            } else {
                report(
                    "unknown key \(entry.label) in \(context); expected one of: \(allowed.joined(separator: ", "))",
                    at: entry.keyPosition
                )
            }
        }
        return PolicyFields(context: context, position: owner, fields: known)
    }

    /// Every key of a mapping-valued node, for maps whose keys are names (providers, models).
    ///
    /// - Returns: the entries in file order, or nil when the node is not a mapping.
    mutating func entries(of node: Node, label: String) -> [PolicyField]? {
        if node.isNull { return [] }
        guard case .mapping(let mapping) = node else {
            report("\(label) must be a mapping, got \(node.kindDescription)", at: node.position)
            return nil
        }
        var result: [PolicyField] = []
        for (key, value) in mergedPairs(of: mapping) {
            guard case .scalar(let scalar) = key else {
                report("keys must be plain names, got \(key.kindDescription)", at: key.position)
                continue
            }
            result.append(PolicyField(key: scalar.string, keyPosition: key.position, value: value))
        }
        return result
    }

    /// The field for a key the mapping must have, reporting its absence at the mapping's owner.
    mutating func require(_ key: String, in fields: PolicyFields) -> PolicyField? {
        if let field = fields[key] { return field }
        report("missing required key '\(key)' in \(fields.context)", at: fields.position)
        return nil
    }

    /// The pairs of a mapping with YAML merge keys (`<<: *defaults`) expanded.
    ///
    /// Operators share timeouts between providers with anchors; Yams leaves `<<` as a plain
    /// key, so it is expanded here. Keys written in the mapping win over merged ones, and
    /// among merged mappings the first wins, as the YAML merge-key spec says.
    private mutating func mergedPairs(of mapping: Node.Mapping) -> [(key: Node, value: Node)] {
        var own: [(key: Node, value: Node)] = []
        var merged: [(key: Node, value: Node)] = []
        for (key, value) in mapping {
            guard key.tag.rawValue == Tag.Name.merge.rawValue else {
                own.append((key, value))
                continue
            }
            switch value {
            case .mapping(let source):
                merged += mergedPairs(of: source)
            case .sequence(let sources):
                for source in sources {
                    guard case .mapping(let sourceMapping) = source else {
                        report("'<<' must merge a mapping or a list of mappings", at: source.position)
                        continue
                    }
                    merged += mergedPairs(of: sourceMapping)
                }
            default:
                report("'<<' must merge a mapping or a list of mappings", at: value.position)
            }
        }
        var seen = Set(own.compactMap { $0.key.text })
        for pair in merged {
            guard let name = pair.key.text else { continue }
            if seen.insert(name).inserted { own.append(pair) }
        }
        return own
    }
}
