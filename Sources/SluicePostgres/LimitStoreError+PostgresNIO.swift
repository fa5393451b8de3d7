import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension LimitStoreError {
    /// Explains `error`, raised while doing `action` against the server of `configuration`.
    ///
    /// postgres-nio describes every error as "PSQLError – Generic description" so as not to
    /// leak details to end users; an operator needs those details, so they are read from the
    /// error's parts here. Nothing of the configuration but user, database and `host:port`
    /// goes into the message.
    init(translating error: any Error, action: String, configuration: PostgresStoreConfiguration) {
        if let error = error as? LimitStoreError {
            self = error
            return
        }
        let server = "PostgreSQL at \(configuration.endpoint)"
        let (code, explanation) = Self.explain(error, server: server, configuration: configuration)
        var message = "limit store: cannot \(action): \(explanation)"
        if let password = configuration.password, !password.isEmpty {
            // A server message never should, but a message must not carry the password.
            message = message.replacing(password, with: "***")
        }
        self.init(code: code, message: message, cause: error)
    }

    private static func explain(
        _ error: any Error,
        server: String,
        configuration: PostgresStoreConfiguration
    ) -> (Code, String) {
        switch error {
        case let error as PSQLError:
            return explain(error, server: server, configuration: configuration)
        default:
            return network(error, server: server, configuration: configuration)
        }
    }

    private static func explain(
        _ error: PSQLError,
        server: String,
        configuration: PostgresStoreConfiguration
    ) -> (Code, String) {
        let user = "'\(configuration.username)'"
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            let text = error.serverInfo?[.message] ?? "no message"
            switch state {
            case "28P01", "28000":
                return (
                    .authenticationFailed,
                    "\(server) refused user \(user): \(text) (check the user and password in the URL, and the server's pg_hba.conf)"
                )
            case "3D000":
                return (.databaseMissing, "\(server): \(text) (create it, or name another database in the URL)")
            case "57014":
                return (.timedOut, "\(server) cancelled the statement: \(text)")
            case "53300":
                return (.unreachable, "\(server) has no connection slot left: \(text)")
            default:
                return (.rejected, "\(server) rejected the statement: \(text) (SQLSTATE \(state))")
            }
        case .connectionError:
            guard let underlying = error.underlying else {
                return (.unreachable, "the connection to \(server) failed")
            }
            return network(underlying, server: server, configuration: configuration)
        case .sslUnsupported:
            return (
                .tlsFailed,
                "\(server) does not offer TLS and sslmode=require asks for it (enable TLS on the server, or set sslmode=prefer or disable)"
            )
        case .failedToAddSSLHandler:
            return (.tlsFailed, "TLS could not be set up for \(server)")
        case .authMechanismRequiresPassword:
            return (.authenticationFailed, "\(server) asks user \(user) for a password and the URL has none")
        case .unsupportedAuthMechanism:
            return (
                .authenticationFailed,
                "\(server) asks user \(user) for an authentication method Sluice cannot use (use scram-sha-256 or md5)"
            )
        case .saslError:
            return (
                .authenticationFailed, "\(server) refused user \(user) during SCRAM authentication (check the password)"
            )
        case .serverClosedConnection, .uncleanShutdown:
            return (.unreachable, "\(server) closed the connection unexpectedly")
        case .clientClosedConnection, .poolClosed:
            return (.notRunning, "the connection pool is not running (PostgresLimitStore.run() has ended)")
        case .queryCancelled:
            return (.timedOut, "the statement to \(server) was cancelled")
        default:
            return (.rejected, "\(server) failed: \(error.code)")
        }
    }

    /// A failure below the PostgreSQL protocol: TCP, name resolution or TLS.
    private static func network(
        _ error: any Error,
        server: String,
        configuration: PostgresStoreConfiguration
    ) -> (Code, String) {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                return network(first.error, server: server, configuration: configuration)
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return (
                    .unreachable, "cannot connect to \(server): the host name '\(configuration.host)' does not resolve"
                )
            }
            return (.unreachable, "cannot connect to \(server)")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED:
                return (
                    .unreachable,
                    "cannot connect to \(server): connection refused (is the server running and listening on that address?)"
                )
            case EHOSTUNREACH, ENETUNREACH:
                return (.unreachable, "cannot connect to \(server): no route to the host")
            case ETIMEDOUT:
                return (.timedOut, "cannot connect to \(server): the connection timed out")
            default:
                return (.unreachable, "cannot connect to \(server): \(error)")
            }
        case ChannelError.connectTimeout:
            return (
                .timedOut,
                "cannot connect to \(server): no connection within \(configuration.connectTimeout) (check the host, the port and any firewall in between)"
            )
        case let error as NIOSSLError:
            return (.tlsFailed, "TLS with \(server) failed: \(error)")
        case let error as BoringSSLError:
            return (.tlsFailed, "TLS with \(server) failed: \(error)")
        default:
            return (.unreachable, "cannot use \(server): \(String(describing: error))")
        }
    }
}
