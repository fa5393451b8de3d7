public import Logging
public import NIOCore
public import NIOPosix
import PostgresNIO
public import SluiceLimits
import Synchronization

/// The fleet-wide ``LimitStore`` on PostgreSQL: every sidecar's leases come out of the same
/// buckets and its spend adds to the same totals.
///
/// Duties, in order:
/// 1. Keep a small connection pool (postgres-nio's `PostgresClient`); ``run()`` drives it and
///    must be running, in a task or service group, for any call to succeed.
/// 2. Create its tables on the first call (``LimitSchema``).
/// 3. Serve each call with one statement and one round trip: ``BucketAdjustment`` for draws and
///    give-backs, ``SpendRecording`` for spend, ``SpendTotalsQuery`` for totals.
/// 4. Fail within ``PostgresStoreConfiguration/operationTimeout`` with a ``LimitStoreError``
///    that says what is wrong, rather than wait out the pool's own retries.
public final class PostgresLimitStore: RunnableLimitStore {
    public let configuration: PostgresStoreConfiguration
    private let client: PostgresClient
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let schemaReady = Atomic<Bool>(false)
    private let runState = Atomic<Int>(RunState.notStarted)

    private enum RunState {
        static let notStarted = 0
        static let running = 1
        static let ended = 2
    }

    /// A store for `configuration`; nothing connects until ``run()`` runs and a call comes.
    public init(
        configuration: PostgresStoreConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sluice.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.client = PostgresClient(
            configuration: configuration.client,
            eventLoopGroup: eventLoopGroup,
            backgroundLogger: logger
        )
    }

    /// A store for a `postgres://user:password@host:port/database?sslmode=disable` URL.
    public convenience init(url: String) throws(LimitStoreError) {
        self.init(configuration: try PostgresStoreConfiguration(url: url))
    }

    /// Drives the connection pool until the calling task is cancelled (or, under
    /// swift-service-lifecycle, until graceful shutdown). Call it once.
    public func run() async {
        runState.store(RunState.running, ordering: .releasing)
        await client.run()
        runState.store(RunState.ended, ordering: .releasing)
    }

    public func draw(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws -> LeaseGrant {
        let statement = BucketAdjustment(bucket: bucket.key, spec: spec, take: units, back: 0)
        let row = try await perform("draw from bucket \(bucket)") { client in
            try await Self.onlyRow(client.execute(statement))
        }
        return LeaseGrant(granted: row.0, remaining: row.1, nanosecondsUntilFull: row.2)
    }

    public func giveBack(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws {
        guard units > 0 else { return }
        let statement = BucketAdjustment(bucket: bucket.key, spec: spec, take: 0, back: units)
        _ = try await perform("give back to bucket \(bucket)") { client in
            try await Self.onlyRow(client.execute(statement))
        }
    }

    public func record(_ entries: [SpendEntry]) async throws {
        guard !entries.isEmpty else { return }
        let statement = SpendRecording(entries)
        try await perform("record \(entries.count) spend entries") { client in
            for try await _ in try await client.execute(statement) {}
        }
    }

    public func spend(of workload: String, on day: CalendarDay) async throws -> SpendTotals {
        let statement = SpendTotalsQuery(workload: workload, day: day)
        let row = try await perform("read the spend of \(workload) on \(day)") { client in
            try await Self.onlyRow(client.execute(statement))
        }
        return SpendTotals(day: row.0, month: row.1)
    }

    // MARK: - Calls

    /// Runs one call under the operation deadline, schema first, and turns what goes wrong
    /// into a ``LimitStoreError`` that names `action`.
    private func perform<Result: Sendable>(
        _ action: String,
        _ body: @escaping @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        if runState.load(ordering: .acquiring) == RunState.ended {
            throw notRunning(action, "PostgresLimitStore.run() has ended")
        }
        do {
            return try await withDeadline(configuration.operationTimeout) {
                if !self.schemaReady.load(ordering: .acquiring) {
                    try await LimitSchema.create(on: self.client, logger: self.logger)
                    self.schemaReady.store(true, ordering: .releasing)
                }
                return try await body(self.client)
            }
        } catch is DeadlineExceeded {
            throw await diagnose(action)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw LimitStoreError(translating: error, action: action, configuration: configuration)
        }
    }

    /// Finds out why a call ran out of time. The pool keeps the reason it has no connection to
    /// itself, so one connection made directly (bounded by the connect timeout) tells.
    private func diagnose(_ action: String) async -> LimitStoreError {
        do {
            let connection = try await PostgresConnection.connect(
                on: eventLoopGroup.any(),
                configuration: configuration.connection(),
                id: 0,
                logger: logger
            )
            try? await connection.close()
        } catch {
            return LimitStoreError(translating: error, action: action, configuration: configuration)
        }
        if runState.load(ordering: .acquiring) == RunState.notStarted {
            return notRunning(action, "PostgresLimitStore.run() has not been started")
        }
        return LimitStoreError(
            code: .timedOut,
            message: "limit store: cannot \(action): PostgreSQL at \(configuration.endpoint) accepts connections "
                + "but the call took longer than \(configuration.operationTimeout) (is the server overloaded?)"
        )
    }

    private func notRunning(_ action: String, _ reason: String) -> LimitStoreError {
        LimitStoreError(
            code: .notRunning,
            message: "limit store: cannot \(action): the connection pool is not running (\(reason))"
        )
    }

    /// The one row a statement returns; reading to the end hands the connection back.
    private static func onlyRow<Rows: AsyncSequence>(_ rows: Rows) async throws -> Rows.Element {
        var first: Rows.Element?
        for try await row in rows where first == nil {
            first = row
        }
        guard let first else {
            throw LimitStoreError(code: .rejected, message: "limit store: a statement returned no row")
        }
        return first
    }
}
