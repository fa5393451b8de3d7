/// A store call ran past its ``PostgresStoreConfiguration/operationTimeout``.
struct DeadlineExceeded: Error {}

/// Runs `body`, or throws ``DeadlineExceeded`` once `timeout` has passed and cancels it.
///
/// postgres-nio's pool keeps a caller waiting while it retries a server it cannot reach (for a
/// minute before it gives up), and a sidecar's background work must learn sooner. Waiting for a
/// pooled connection ends at once on cancellation; a statement already on the wire ends when the
/// server's `statement_timeout`, set to the same time, cancels it.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else {
            throw DeadlineExceeded()
        }
        return result
    }
}
