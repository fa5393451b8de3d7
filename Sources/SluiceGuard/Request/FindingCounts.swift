/// How many findings of each type a request (or answer) had: what the access log and metrics
/// carry. Counts only, never values.
public struct FindingCounts: Sendable, Hashable, CustomStringConvertible {
    /// Findings by type.
    public private(set) var byType: [EntityType: Int] = [:]

    /// No findings.
    public init() {}

    /// Adds `count` findings of `type`.
    public mutating func add(_ type: EntityType, count: Int = 1) {
        byType[type, default: 0] += count
    }

    /// Adds every count of `other`.
    public mutating func add(_ other: FindingCounts) {
        for (type, count) in other.byType { add(type, count: count) }
    }

    /// The number of findings of every type.
    public var total: Int { byType.values.reduce(0, +) }

    /// Whether nothing was found.
    public var isEmpty: Bool { byType.isEmpty }

    /// The types found, sorted by name.
    public var types: [EntityType] { byType.keys.sorted() }

    /// `credit_card=1 email=2`, sorted by type name.
    public var description: String {
        types.map { "\($0.name)=\(byType[$0] ?? 0)" }.joined(separator: " ")
    }
}
