extension BodyScan {
    /// The top-level fields the proxy reads from every OpenAI-dialect request.
    public static let requestFields: Set<String> = ["model", "stream"]
    /// The nested flags the proxy reads: `stream_options.include_usage`.
    public static let requestMembers: [String: Set<String>] = ["stream_options": ["include_usage"]]

    /// Scans a request body for ``requestFields`` and ``requestMembers`` in one pass.
    public static func scanRequest(_ bytes: UnsafeRawBufferPointer) throws(BodyScanError) -> BodyScan {
        try scan(bytes, query: requestQuery)
    }

    /// Scans a request body for ``requestFields`` and ``requestMembers`` in one pass.
    public static func scanRequest(_ bytes: [UInt8]) throws(BodyScanError) -> BodyScan {
        try scan(bytes, query: requestQuery)
    }

    /// `model` when it was scanned and is a string.
    public var model: String? { self["model"]?.string }

    /// Whether `stream` was scanned and is `true`.
    public var isStream: Bool { self["stream"]?.bool == true }

    /// Whether the app asked for a usage chunk at the end of a stream:
    /// `stream_options.include_usage` scanned (through `members`) and `true`.
    public var includeUsage: Bool { self["stream_options", "include_usage"]?.bool == true }
}
