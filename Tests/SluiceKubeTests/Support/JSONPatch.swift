@testable import SluiceKube

/// A small RFC 6902 applier (add, remove, replace, test) over `KubeValue`, written apart from the
/// code under test so a patch is checked by what it does, not by how Sluice built it.
enum JSONPatch {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func apply(_ patch: KubeValue, to document: KubeValue) throws -> KubeValue {
        guard let operations = patch.array else { throw Failure(description: "a patch is an array") }
        var result = document
        for operation in operations {
            guard let op = operation["op"]?.string, let pointer = operation["path"]?.string else {
                throw Failure(description: "operation without op or path: \(operation)")
            }
            let tokens = try Self.tokens(pointer)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw Failure(description: "add without value") }
                result = try Self.edit(result, tokens[...], pointer) { container, last in try Self.add(value, into: &container, at: last) }
            case "replace":
                guard let value = operation["value"] else { throw Failure(description: "replace without value") }
                result = try Self.edit(result, tokens[...], pointer) { container, last in
                    _ = try Self.remove(from: &container, at: last)
                    try Self.add(value, into: &container, at: last)
                }
            case "remove":
                result = try Self.edit(result, tokens[...], pointer) { container, last in _ = try Self.remove(from: &container, at: last) }
            case "test":
                guard result[path: tokens] == operation["value"] else { throw Failure(description: "test failed at \(pointer)") }
            default:
                throw Failure(description: "unsupported op \(op)")
            }
        }
        return result
    }

    static func tokens(_ pointer: String) throws -> [String] {
        guard pointer.hasPrefix("/") else { throw Failure(description: "pointer must start with /: \(pointer)") }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    private static func edit(
        _ value: KubeValue, _ tokens: ArraySlice<String>, _ pointer: String,
        _ change: (inout KubeValue, String) throws -> Void
    ) throws -> KubeValue {
        guard let first = tokens.first else { throw Failure(description: "empty pointer") }
        var copy = value
        if tokens.count == 1 {
            try change(&copy, first)
            return copy
        }
        switch value {
        case .object(var members):
            guard let index = members.lastIndex(where: { $0.key == first }) else { throw Failure(description: "no \(first) in \(pointer)") }
            members[index].value = try edit(members[index].value, tokens.dropFirst(), pointer, change)
            return .object(members)
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { throw Failure(description: "bad index in \(pointer)") }
            items[index] = try edit(items[index], tokens.dropFirst(), pointer, change)
            return .array(items)
        default:
            throw Failure(description: "\(pointer) goes through a scalar")
        }
    }

    private static func add(_ value: KubeValue, into container: inout KubeValue, at token: String) throws {
        switch container {
        case .object(var members):
            if let index = members.lastIndex(where: { $0.key == token }) {
                members[index].value = value
            } else {
                members.append(.init(token, value))
            }
            container = .object(members)
        case .array(var items):
            if token == "-" {
                items.append(value)
            } else if let index = Int(token), index >= 0, index <= items.count {
                items.insert(value, at: index)
            } else {
                throw Failure(description: "bad index \(token)")
            }
            container = .array(items)
        default:
            throw Failure(description: "add into a scalar")
        }
    }

    private static func remove(from container: inout KubeValue, at token: String) throws -> KubeValue {
        switch container {
        case .object(var members):
            guard let index = members.lastIndex(where: { $0.key == token }) else { throw Failure(description: "no \(token)") }
            let removed = members.remove(at: index).value
            container = .object(members)
            return removed
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw Failure(description: "bad index \(token)") }
            let removed = items.remove(at: index)
            container = .array(items)
            return removed
        default:
            throw Failure(description: "remove from a scalar")
        }
    }
}

extension KubeValue {
    /// This value with every object's keys sorted, for comparing documents whose key order differs.
    var canonical: KubeValue {
        switch self {
        case .object(let members):
            return .object(members.map { Member($0.key, $0.value.canonical) }.sorted { $0.key < $1.key })
        case .array(let items):
            return .array(items.map(\.canonical))
        default:
            return self
        }
    }
}
