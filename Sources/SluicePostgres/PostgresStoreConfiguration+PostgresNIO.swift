import NIOSSL
import PostgresNIO

extension PostgresStoreConfiguration {
    /// The server's own limit on one statement, the same as a call's: the store gives up on a
    /// call then, so the server should stop working on it too.
    var startupParameters: [(String, String)] {
        let milliseconds = max(
            1,
            operationTimeout.components.seconds * 1000
                + operationTimeout.components.attoseconds / 1_000_000_000_000_000)
        return [("application_name", "sluice"), ("statement_timeout", "\(milliseconds)")]
    }

    /// The pool's settings.
    var client: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(Self.unverifiedTLS)
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = connectTimeout
        configuration.options.maximumConnections = max(1, maximumConnections)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The settings of one connection outside the pool, made to learn why the pool has none.
    func connection() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS =
            switch self.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: Self.unverifiedTLS))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var configuration = PostgresConnection.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = .nanoseconds(
            connectTimeout.components.seconds * 1_000_000_000
                + connectTimeout.components.attoseconds / 1_000_000_000
        )
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// `prefer` as libpq means it: encrypt when the server offers TLS, without checking its
    /// certificate (use `sslmode=require`, which verifies, to authenticate the server).
    static var unverifiedTLS: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .none
        return tls
    }
}
