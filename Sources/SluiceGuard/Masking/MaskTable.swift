/// The placeholders of one request and the values they stand for: what ``Masker`` fills in and
/// what the restorers read to put values back into the answer.
///
/// Numbering is per type and in order of first appearance: the first e-mail address is
/// `[EMAIL_1]`, the second distinct one `[EMAIL_2]`, and the same address again is `[EMAIL_1]`
/// again, in every field of the request. Keep a table for one request only, and drop it when the
/// request ends: it holds the original values. Printing or dumping a table shows counts, never
/// values.
public struct MaskTable: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private struct Key: Hashable {
        var type: EntityType
        var value: String
    }

    private var placeholders: [Key: String] = [:]
    private var values: [String: String] = [:]
    private var counters: [String: Int] = [:]
    /// The byte length of the longest placeholder handed out; restorers hold back less than this.
    public private(set) var longestPlaceholder = 0

    /// An empty table.
    public init() {}

    /// Whether no value has been masked.
    public var isEmpty: Bool { values.isEmpty }

    /// How many distinct values are masked.
    public var count: Int { values.count }

    /// Every placeholder handed out, in no particular order.
    public var allPlaceholders: [String] { Array(values.keys) }

    /// The placeholder for `value` found as `type`, handing out the next number on first sight.
    public mutating func placeholder(for value: String, type: EntityType) -> String {
        let key = Key(type: type, value: value)
        if let existing = placeholders[key] { return existing }
        var number = counters[type.label, default: 0] + 1
        var placeholder = "[\(type.label)_\(number)]"
        // Two custom names can share a label (`emp-id`, `emp_id`); never hand one out twice.
        while values[placeholder] != nil {
            number += 1
            placeholder = "[\(type.label)_\(number)]"
        }
        counters[type.label] = number
        placeholders[key] = placeholder
        values[placeholder] = value
        longestPlaceholder = max(longestPlaceholder, placeholder.utf8.count)
        return placeholder
    }

    /// The value behind `placeholder` (brackets included), if this table handed it out.
    public func value(for placeholder: String) -> String? {
        values[placeholder]
    }

    /// The value behind the placeholder whose UTF-8 is `bytes`, if any.
    func value(forPlaceholderBytes bytes: some Collection<UInt8>) -> String? {
        values[String(decoding: bytes, as: UTF8.self)]
    }

    /// `MaskTable(3 values)`: never the values.
    public var description: String { "MaskTable(\(values.count) values)" }

    /// Same as ``description``.
    public var debugDescription: String { description }

    /// A mirror with the count only, so `dump` shows no value.
    public var customMirror: Mirror { Mirror(self, children: ["count": values.count]) }
}
