@testable import SluicePolicy

/// Policy texts and load helpers shared by the suites.
enum PolicyFixtures {
    /// The file name issues carry in these tests.
    static let file = "policy.yaml"

    /// The smallest valid policy.
    static let minimal = """
        version: 1
        listen:
          app: 127.0.0.1:4000

        """

    /// Loads `yaml` against an in-memory environment.
    static func load(
        _ yaml: String, variables: [String: String] = [:], files: [String: String] = [:], file: String = file
    ) throws(PolicyLoadError) -> LoadedPolicy {
        try PolicyLoader.load(yaml: yaml, file: file, environment: .inMemory(variables: variables, files: files))
    }

    /// The issues loading `yaml` reports, as `FILE:LINE:COL: message` lines; empty when it loads.
    static func issues(
        _ yaml: String, variables: [String: String] = [:], files: [String: String] = [:], file: String = file
    ) -> [String] {
        do {
            _ = try load(yaml, variables: variables, files: files, file: file)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    /// `minimal` with `extra` appended, for testing one section at a time.
    static func issues(appending extra: String, variables: [String: String] = [:], files: [String: String] = [:])
        -> [String]
    {
        issues(minimal + extra, variables: variables, files: files)
    }
}
