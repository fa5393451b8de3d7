/// One problem found in a policy file, located at the key or value it concerns.
///
/// Printed as `FILE:LINE:COL: message`, the form editors and CI annotate, which is what
/// `sluice validate` writes. Lines and columns are 1-based; columns count Unicode scalars, as
/// libyaml does.
public struct PolicyIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// The policy file's path as the caller named it.
    public var file: String
    /// 1-based line of the offending key or value.
    public var line: Int
    /// 1-based column of the offending key or value.
    public var column: Int
    /// What is wrong, in words a user can act on. Never contains a secret value.
    public var message: String

    /// Creates an issue at a position in `file`.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COL: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
