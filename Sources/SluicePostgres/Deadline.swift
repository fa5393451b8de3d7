import Synchronization

/// A store call ran past its ``PostgresStoreConfiguration/operationTimeout``.
struct DeadlineExceeded: Error {}

/// Runs `body`, or throws ``DeadlineExceeded`` once `timeout` has passed, cancelling `body`.
///
/// postgres-nio's pool keeps a caller waiting while it retries a server it cannot reach (for a
/// minute before it gives up), and a sidecar's background work must learn sooner. The caller is
/// answered at the deadline without waiting for `body` to notice its cancellation: a statement
/// on a connection whose server vanished may not end until TCP gives up, and a task group
/// would wait for it.
func withDeadline<Result: Sendable>(
    _ timeout: Duration,
    _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result {
    let race = DeadlineRace<Result>()
    let work = Task {
        do {
            race.finish(.success(try await body()))
        } catch {
            race.finish(.failure(error))
        }
    }
    let timer = Task {
        try await Task.sleep(for: timeout)
        race.finish(.failure(DeadlineExceeded()))
    }
    defer {
        work.cancel()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { race.wait($0) }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The first of the body, the timer and cancellation to finish decides; the others are ignored.
private final class DeadlineRace<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var outcome: Swift.Result<Result, any Error>?
    }

    private let state = Mutex(State())

    func finish(_ outcome: Swift.Result<Result, any Error>) {
        let waiting = state.withLock { state -> CheckedContinuation<Result, any Error>? in
            guard state.outcome == nil else { return nil }
            state.outcome = outcome
            defer { state.continuation = nil }
            return state.continuation
        }
        waiting?.resume(with: outcome)
    }

    func wait(_ continuation: CheckedContinuation<Result, any Error>) {
        let decided = state.withLock { state -> Swift.Result<Result, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let decided { continuation.resume(with: decided) }
    }
}
