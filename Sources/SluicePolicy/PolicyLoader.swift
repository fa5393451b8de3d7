import Yams

/// Loads policy files: reads, parses, validates, resolves secrets, fingerprints.
public enum PolicyLoader {
    /// Loads the policy file at `path`.
    ///
    /// The file is read through `environment` too, so tests can serve it from memory. Relative
    /// paths inside the policy (`{ file: ... }`, `ca_file`) are resolved against its folder.
    ///
    /// - Throws: every problem found, each at its line and column.
    public static func load(path: String, environment: PolicyEnvironment = .process) throws(PolicyLoadError)
        -> LoadedPolicy
    {
        let yaml: String
        do {
            yaml = try environment.readFile(path)
        } catch {
            throw PolicyLoadError(issues: [
                PolicyIssue(file: path, line: 1, column: 1, message: "cannot read the policy file: \(error)")
            ])
        }
        return try load(yaml: yaml, file: path, environment: environment)
    }

    /// Loads a policy from its text; `file` names it in issues, and its folder anchors
    /// relative paths inside the policy.
    ///
    /// - Throws: every problem found, each at its line and column. A YAML syntax error stops
    ///   the walk, since nothing after it can be read reliably.
    public static func load(yaml: String, file: String, environment: PolicyEnvironment) throws(PolicyLoadError)
        -> LoadedPolicy
    {
        let root: Node?
        do {
            // UTF-8 named explicitly: Yams' default consults (and prints) an environment variable.
            root = try Yams.compose(yaml: yaml, .default, .default, .utf8)
        } catch {
            let issues = YAMLErrorTranslator.issues(for: error, yaml: yaml, file: file)
            throw PolicyLoadError(issues: issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        var decoder = PolicyDecoder(file: file, environment: environment)
        let policy = decoder.decode(root)
        guard let policy, decoder.issues.isEmpty else {
            throw PolicyLoadError(issues: decoder.sortedIssues)
        }
        return LoadedPolicy(
            policy: policy, secrets: decoder.secrets, workloadSecrets: decoder.workloadSecrets,
            limitsStoreURL: decoder.limitsStoreURL,
            sha256: LoadedPolicy.sha256(ofText: yaml)
        )
    }
}
