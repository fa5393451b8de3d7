@testable import SluicePolicy

/// Policy texts, keys and hashes shared by the workload suites.
enum WorkloadFixtures {
    /// A key and its hash: `sha256("test-key")`, as `sha256sum` prints it.
    static let key1 = "test-key"
    static let hash1 = "sha256:62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef"
    /// `sha256("key-two")`.
    static let key2 = "key-two"
    static let hash2 = "sha256:c8df51469c308a59bfbd48a3e0bdd228ca922d6032035f5ef6e4ad45f473a9f3"
    /// `sha256("key-three")`.
    static let key3 = "key-three"
    static let hash3 = "sha256:2f06bcf4e8d96d66f0b8d972e1d9351a255f82ff4cf1a12b63c8d3642206547e"

    /// Providers `openai` (key from `OPENAI_API_KEY`) and `demo`, models `gpt-4o` and `cheap`,
    /// and `workloads:` on line 10; what is appended starts on line 11.
    static let base =
        PolicyFixtures.minimal + """
            providers:
              openai: { type: openai, api_key: { env: OPENAI_API_KEY } }
              demo: { type: mock }
            models:
              gpt-4o: { targets: [{ provider: openai }] }
              cheap: { targets: [{ provider: demo }] }
            workloads:

            """

    /// The provider key every load here gets.
    static let variables = ["OPENAI_API_KEY": "sk-openai-policy-key"]

    /// The issues for ``base`` plus `lines`, whose first line is line 11.
    static func issues(_ lines: String, variables: [String: String] = [:], files: [String: String] = [:])
        -> [String]
    {
        PolicyFixtures.issues(
            base + lines, variables: self.variables.merging(variables) { $1 }, files: files)
    }

    /// The issues for ``base`` plus workload `checkout` on line 11 with `lines` as its body,
    /// whose first line is line 12 (indent them four spaces).
    static func checkoutIssues(_ lines: String, variables: [String: String] = [:], files: [String: String] = [:])
        -> [String]
    {
        issues("  checkout:\n" + lines, variables: variables, files: files)
    }

    /// Loads ``base`` plus `lines`.
    static func load(_ lines: String, variables: [String: String] = [:], files: [String: String] = [:])
        throws(PolicyLoadError) -> LoadedPolicy
    {
        try PolicyFixtures.load(base + lines, variables: self.variables.merging(variables) { $1 }, files: files)
    }
}
