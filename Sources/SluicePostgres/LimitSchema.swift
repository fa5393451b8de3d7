import Logging
import PostgresNIO

/// The store's tables, created on a sidecar's first call so that pointing Sluice at an empty
/// database is all the set-up there is.
///
/// Every statement is `IF NOT EXISTS`, and the whole runs under a transaction-scoped advisory
/// lock: PostgreSQL's `CREATE TABLE IF NOT EXISTS` is not safe against itself, and a fleet of
/// sidecars starting together would otherwise race to create the same tables.
enum LimitSchema {
    /// An arbitrary key for `pg_advisory_xact_lock`, the same in every sidecar.
    static let lockKey: Int64 = 0x51_75_69_63_65_00_01  // "Sluice", v1

    static let statements: [String] = [
        """
        CREATE TABLE IF NOT EXISTS sluice_buckets (
            id text PRIMARY KEY,
            level double precision NOT NULL,
            capacity bigint NOT NULL,
            refill_per_minute bigint NOT NULL,
            updated timestamptz NOT NULL,
            last_granted bigint NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS sluice_spend (
            id text PRIMARY KEY,
            workload text NOT NULL,
            day date NOT NULL,
            cost_nano_usd bigint NOT NULL,
            recorded timestamptz NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS sluice_spend_totals (
            workload text NOT NULL,
            period text NOT NULL,
            cost_nano_usd bigint NOT NULL,
            PRIMARY KEY (workload, period)
        )
        """,
    ]

    static func create(on client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            for statement in statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
        }
    }
}
