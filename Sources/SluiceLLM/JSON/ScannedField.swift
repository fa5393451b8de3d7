/// One field that ``BodyScan`` was asked to find: where its value is and, for scalars, what it is.
public struct ScannedField: Sendable, Hashable {
    /// The JSON type of a value.
    public enum Kind: Sendable, Hashable {
        case string, number, bool, null, array, object
    }

    /// The JSON type of the value.
    public var kind: Kind
    /// Byte offsets of the value in the scanned input; a string's range includes its quotes.
    /// Replace exactly this range to change the value and keep every other byte.
    public var valueRange: Range<Int>
    /// The unescaped text, when `kind == .string`.
    public var string: String?
    /// The value, when `kind == .bool`.
    public var bool: Bool?
    /// The value, when `kind == .number` and it is an integer (no fraction or exponent) that fits `Int`.
    public var integer: Int?
    /// Whether the value is `[]` or `{}` (whitespace inside allowed).
    public var isEmptyContainer: Bool

    /// Creates a field description.
    public init(
        kind: Kind,
        valueRange: Range<Int>,
        string: String? = nil,
        bool: Bool? = nil,
        integer: Int? = nil,
        isEmptyContainer: Bool = false
    ) {
        self.kind = kind
        self.valueRange = valueRange
        self.string = string
        self.bool = bool
        self.integer = integer
        self.isEmptyContainer = isEmptyContainer
    }
}
