/// Why a manifest could not be injected: YAML that does not parse (with the line and column in
/// the whole input, not in one document), or a document Sluice could not re-emit.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line in the input, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// Words a user can act on.
    public var message: String

    public init(line: Int?, column: Int?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `LINE:COL: message` (or the message alone when there is no position).
    public var description: String {
        guard let line = self.line else { return self.message }
        return "\(line):\(self.column ?? 1): \(self.message)"
    }

    static func patch(_ pointer: String, _ problem: String) -> ManifestError {
        ManifestError(line: nil, column: nil, message: "cannot add at \(pointer): \(problem)")
    }
}
