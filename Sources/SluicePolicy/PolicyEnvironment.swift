#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What the loader reads besides the policy text: environment variables and files.
///
/// Injected, so tests need no real environment or files, and so a reload sees the environment
/// and secret files as they are at that moment.
public struct PolicyEnvironment: Sendable {
    /// Environment variables, for `{ env: NAME }` secrets.
    public var variables: [String: String]
    /// Reads a whole UTF-8 text file: the policy itself, `{ file: PATH }` secrets and `ca_file`s.
    /// A thrown error's description becomes the end of the user's message, e.g.
    /// `... from /run/key: No such file or directory`.
    public var readFile: @Sendable (String) throws -> String

    /// Creates an environment from its parts.
    public init(variables: [String: String], readFile: @escaping @Sendable (String) throws -> String) {
        self.variables = variables
        self.readFile = readFile
    }

    /// The process's environment variables, read now, and the real file system.
    public static var process: PolicyEnvironment {
        PolicyEnvironment(variables: ProcessInfo.processInfo.environment, readFile: TextFileReader.read(path:))
    }

    /// An environment held in memory, for tests: `files` maps paths to contents, and reading any
    /// other path fails with "No such file or directory".
    public static func inMemory(variables: [String: String] = [:], files: [String: String] = [:]) -> PolicyEnvironment {
        PolicyEnvironment(variables: variables) { path in
            guard let contents = files[path] else { throw TextFileReader.Failure(reason: "No such file or directory") }
            return contents
        }
    }
}
