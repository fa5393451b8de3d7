extension BodyScan {
    /// The fields a scan looks for, prepared once: build it at start-up and scan every request with
    /// it, so the hot path does not rebuild name tables per request.
    public struct Query: Sendable {
        let wanted: FieldMatcher
        let members: [(name: String, matcher: FieldMatcher)]

        /// Top-level `fields`, plus, for each key of `members` whose value is an object, that
        /// object's members named in the set. The keys of `members` are reported too.
        public init(fields: Set<String>, members: [String: Set<String>] = [:]) {
            self.wanted = FieldMatcher(fields.union(members.keys).sorted())
            self.members = members.keys.sorted().map { ($0, FieldMatcher(members[$0, default: []].sorted())) }
        }

        /// The matcher for the members of the object at top-level key `name`, if they are wanted.
        func memberMatcher(_ name: String) -> FieldMatcher? {
            members.first { $0.name == name }?.matcher
        }
    }

    /// What the proxy reads from every OpenAI-dialect request: `model`, `stream` and
    /// `stream_options.include_usage`.
    public static let requestQuery = Query(fields: requestFields, members: requestMembers)

    /// Scans `bytes` for the fields of `query`.
    public static func scan(_ bytes: UnsafeRawBufferPointer, query: Query) throws(BodyScanError) -> BodyScan {
        var scanner = JSONSyntaxScanner(bytes: bytes, maxDepth: maxDepth)
        return BodyScan(captures: try scanner.scanDocument(query: query))
    }

    /// Scans `bytes` for the fields of `query`.
    public static func scan(_ bytes: [UInt8], query: Query) throws(BodyScanError) -> BodyScan {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(BodyScanError) in try scan(buffer, query: query) }
        }
        return try result.get()
    }
}
