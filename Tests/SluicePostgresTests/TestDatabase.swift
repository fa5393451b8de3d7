import FoundationEssentials
import SluiceLimits
import SluicePostgres
import Testing

/// The test server, started by scripts/test (scripts/postgres-server) and named by
/// `SLUICE_TEST_PG_URL`. Without it the tests fail: a store that is never tested is no store.
enum TestDatabase {
    static func url() throws -> String {
        let url = ProcessInfo.processInfo.environment["SLUICE_TEST_PG_URL"]
        return try #require(
            url,
            "SLUICE_TEST_PG_URL is not set: run these tests through scripts/test, which starts a PostgreSQL server (scripts/postgres-server) and exports its URL"
        )
    }

    /// The test server's configuration.
    static func configuration() throws -> PostgresStoreConfiguration {
        try PostgresStoreConfiguration(url: url())
    }

    /// Runs `body` with a store whose pool runs for as long as `body` does.
    static func withStore<Result>(
        _ configuration: PostgresStoreConfiguration? = nil,
        _ body: (PostgresLimitStore) async throws -> Result
    ) async throws -> Result {
        let store = PostgresLimitStore(configuration: try configuration ?? Self.configuration())
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }

    /// A name no other test, or earlier run, uses: tests share one database.
    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.lowercased())"
    }
}
