/// One pass over a request body: checks that the whole document is valid JSON (RFC 8259) and
/// reports where the top-level fields it was asked for are, without building the document.
///
/// This is the hot path's "decode": Sluice reads `model` and `stream`, swaps the model name with
/// ``JSONText/replacing(_:range:with:)`` and forwards the bytes.
///
/// ```swift
/// let scan = try BodyScan.scan(body, fields: ["model", "stream"])
/// if let model = scan["model"], model.kind == .string { ... model.valueRange ... }
/// ```
///
/// On the hot path, prepare the names once with ``Query`` (``requestQuery`` for the usual three).
///
/// Rules beyond RFC 8259: the top-level value must be an object; nesting is limited to
/// ``maxDepth``; strings must be well-formed UTF-8 and `\u` surrogates must pair; a wanted key
/// that occurs twice at its level is an error (the provider might honour the other one). A key
/// written with escapes (`"mod\u0065l"`) matches the name it decodes to.
public struct BodyScan: Sendable {
    /// The deepest nesting of arrays and objects accepted; the top-level object is level 1.
    public static let maxDepth = 128

    /// The top-level fields and the nested ones, each with the top-level key it is under.
    private var captures: [JSONSyntaxScanner.Capture]

    init(captures: [JSONSyntaxScanner.Capture]) {
        self.captures = captures
    }

    /// Scans `bytes`, reporting the top-level members named in `fields`.
    public static func scan(_ bytes: UnsafeRawBufferPointer, fields: Set<String>) throws(BodyScanError) -> BodyScan {
        try scan(bytes, fields: fields, members: [:])
    }

    /// Scans `bytes`, reporting the top-level members named in `fields`.
    public static func scan(_ bytes: [UInt8], fields: Set<String>) throws(BodyScanError) -> BodyScan {
        try scan(bytes, fields: fields, members: [:])
    }

    /// Scans `bytes`, reporting the top-level members named in `fields` and, for each key of
    /// `members` whose value is an object, that object's members named in the set
    /// (`["stream_options": ["include_usage"]]`). The keys of `members` are reported too.
    public static func scan(
        _ bytes: UnsafeRawBufferPointer,
        fields: Set<String>,
        members: [String: Set<String>]
    ) throws(BodyScanError) -> BodyScan {
        try scan(bytes, query: Query(fields: fields, members: members))
    }

    /// Scans `bytes`, reporting the top-level members named in `fields` and the members of
    /// nested objects named in `members`.
    public static func scan(
        _ bytes: [UInt8],
        fields: Set<String>,
        members: [String: Set<String>]
    ) throws(BodyScanError) -> BodyScan {
        try scan(bytes, query: Query(fields: fields, members: members))
    }

    /// Checks that `bytes` is one valid JSON object, capturing nothing.
    public static func validate(_ bytes: [UInt8]) throws(BodyScanError) {
        _ = try scan(bytes, query: emptyQuery)
    }

    private static let emptyQuery = Query(fields: [])

    /// The top-level field named `field`, if it was asked for and is present.
    public subscript(field: String) -> ScannedField? {
        captures.first { $0.name == field && $0.parent == nil }?.field
    }

    /// The member `member` of the object at top-level key `field`, if both were asked for
    /// (through `members`) and are present.
    public subscript(field: String, member: String) -> ScannedField? {
        captures.first { $0.name == member && $0.parent == field }?.field
    }

    /// Every requested top-level field that is present, by name.
    public var foundFields: [String: ScannedField] {
        Dictionary(
            captures.filter { $0.parent == nil }.map { ($0.name, $0.field) }, uniquingKeysWith: { first, _ in first })
    }
}
