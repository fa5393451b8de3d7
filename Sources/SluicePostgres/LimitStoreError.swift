/// Why the PostgreSQL limit store could not do what was asked, in words an operator can act on.
///
/// The ``message`` names the server (`host:port`), never the password: these errors end up in
/// logs and on `/status`. The ``cause`` keeps the underlying error for debugging.
public struct LimitStoreError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; new kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidConfiguration
            case unreachable
            case timedOut
            case authenticationFailed
            case databaseMissing
            case tlsFailed
            case rejected
            case notRunning
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The store URL or an option is wrong; nothing was sent.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// No connection to the server: refused, no route, name not found.
        public static let unreachable = Code(.unreachable)
        /// The server did not answer within the configured time.
        public static let timedOut = Code(.timedOut)
        /// The server refused the user or password.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// The database named in the URL does not exist.
        public static let databaseMissing = Code(.databaseMissing)
        /// TLS could not be set up as `sslmode` asks.
        public static let tlsFailed = Code(.tlsFailed)
        /// The server ran the statement and refused it (a constraint, a cancelled statement, ...).
        public static let rejected = Code(.rejected)
        /// The store's connection pool is not running: ``PostgresLimitStore/run()`` has not been
        /// started or has ended.
        public static let notRunning = Code(.notRunning)

        public var description: String { "\(wrapped)" }
    }

    public var code: Code
    /// The whole explanation, naming the server and what to check.
    public var message: String
    /// The error from postgres-nio or SwiftNIO, if any. Its own description may be vague
    /// (postgres-nio hides details on purpose); `String(reflecting:)` shows them.
    public var cause: (any Error)?

    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
