/// Every problem found while loading a policy file.
///
/// The loader collects all problems before throwing, so one run of `sluice validate` shows the
/// whole list instead of one fix-and-retry round per mistake. Only a YAML syntax error stops
/// the walk early, since nothing after it can be read reliably.
public struct PolicyLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The problems, ordered by line and column.
    public var issues: [PolicyIssue]

    /// Creates an error from its issues.
    public init(issues: [PolicyIssue]) {
        self.issues = issues
    }

    /// One `FILE:LINE:COL: message` line per issue.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
