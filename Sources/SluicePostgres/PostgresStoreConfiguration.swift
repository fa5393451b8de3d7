import FoundationEssentials

/// Where the fleet's limit store lives and how long to wait for it, read from a libpq-style URL:
/// `postgres://user:password@host:port/database?sslmode=disable&connect_timeout=3`.
///
/// The description shows the URL with the password masked, so a configuration can be logged.
public struct PostgresStoreConfiguration: Sendable, CustomStringConvertible {
    /// How the connection uses TLS, after libpq's `sslmode`.
    public enum TLSMode: String, Sendable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, the certificate unchecked (libpq's default).
        case prefer
        /// TLS or no connection. Unlike libpq's `require`, the certificate is verified against
        /// the system's trust roots and the host name (libpq's `verify-full`).
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    /// `nil` connects to the database named like the user, as libpq does.
    public var database: String?
    public var tls: TLSMode
    /// The longest a new connection may take, TCP and start-up together.
    public var connectTimeout: Duration
    /// The longest one store call may take, waiting for a pooled connection included. Beyond it
    /// the call fails with the reason the server cannot be reached (the pool itself would keep
    /// retrying for a minute). The server also cancels any statement that runs this long.
    public var operationTimeout: Duration
    /// Connections the pool may open. Each sidecar holds its own pool, so keep this small:
    /// the store is called from background work only, a few calls at a time.
    public var maximumConnections: Int

    public init(
        host: String,
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String? = nil,
        tls: TLSMode = .prefer,
        connectTimeout: Duration = .seconds(3),
        operationTimeout: Duration = .seconds(5),
        maximumConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.maximumConnections = maximumConnections
    }

    /// Reads `postgres://` or `postgresql://` URLs with a user, a host, an optional port
    /// (5432), database, and the query options `sslmode` (`disable`, `prefer`, `require`, or
    /// `verify-ca`/`verify-full`, both read as `require`) and `connect_timeout` (seconds).
    public init(url text: String) throws(LimitStoreError) {
        func invalid(_ reason: String) -> LimitStoreError {
            LimitStoreError(
                code: .invalidConfiguration,
                message: "the limit store URL \(Self.masked(text)) is not usable: \(reason)"
            )
        }
        guard let components = URLComponents(string: text) else {
            throw invalid("it is not a URL (expected postgres://user:password@host:port/database)")
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        guard var host = components.host, !host.isEmpty else {
            throw invalid("it names no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let username = components.user, !username.isEmpty else {
            throw invalid("it names no user (postgres://USER@host/database)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("port \(port) is out of range") }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.contains("/") else { throw invalid("the path must be just the database name") }

        self.init(
            host: host,
            port: port,
            username: username,
            password: components.password,
            database: path.isEmpty ? nil : path
        )
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default: throw invalid("sslmode '\(value)' is not one of disable, prefer, require, verify-full")
                }
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else {
                    throw invalid("connect_timeout '\(value)' is not a whole number of seconds above 0")
                }
                connectTimeout = .seconds(seconds)
            default:
                throw invalid("unknown option '\(item.name)' (supported: sslmode, connect_timeout)")
            }
        }
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var description: String {
        let credentials = password == nil ? username : "\(username):***"
        return "postgres://\(credentials)@\(endpoint)/\(database ?? "")?sslmode=\(tls.rawValue)"
    }

    /// The URL text with whatever sits between `user:` and `@` replaced, for error messages
    /// about a URL that could not be parsed.
    static func masked(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://"),
            let at = text[schemeEnd.upperBound...].lastIndex(of: "@")
        else { return text }
        let userInfo = text[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
