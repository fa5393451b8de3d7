public import Logging
import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import SluicePolicy
import SluiceRouting

/// What every request handler shares: the active policy snapshot, telemetry and the per-loop contexts.
public final class GatewayState: Sendable {
    private let snapshotBox: NIOLockedValueBox<PolicySnapshot>
    public let metrics: GatewayMetrics
    public let logger: Logger
    /// The logger's handler, when it is the JSON handler and writes the access line as is: requests write
    /// their access lines to it directly (``JSONLogHandler/writeInfo(_:fields:)``).
    let accessLines: JSONLogHandler?
    /// Rate, token, concurrency and money limits, shared by every loop.
    let limits: LimitGate
    private let loops: [ObjectIdentifier: LoopContext]
    /// Health of every target (breakers, latency, in-flight): shared by all loops, kept across reloads
    /// for targets whose definition did not change.
    private let targetBook = NIOLockedValueBox(TargetBook())

    /// The outcome of the last reload, for `/config`.
    private let reloadStatus = NIOLockedValueBox(ReloadStatus())

    struct ReloadStatus {
        var lastError: String?
        var lastErrorAt: NIODeadline?
        var reloads = 0
        var failures = 0
    }

    /// When the gateway was made, for the uptime on `/status`.
    let createdAt = NIODeadline.now()

    init(
        snapshot: PolicySnapshot, metrics: GatewayMetrics, logger: Logger, eventLoops: [any EventLoop], limits: LimitGate
    ) {
        self.limits = limits
        self.snapshotBox = NIOLockedValueBox(snapshot)
        self.metrics = metrics
        self.logger = logger
        self.accessLines = JSONLogHandler.directWriter(of: logger)
        var loops: [ObjectIdentifier: LoopContext] = [:]
        for (index, loop) in eventLoops.enumerated() {
            loops[ObjectIdentifier(loop)] = LoopContext(eventLoop: loop, metrics: metrics, index: index)
        }
        self.loops = loops
    }

    /// The policy a new request runs under.
    public var snapshot: PolicySnapshot {
        self.snapshotBox.withLockedValue { $0 }
    }

    /// Swaps in a new policy; requests already running keep the one they started with.
    public func replace(_ snapshot: PolicySnapshot) {
        self.snapshotBox.withLockedValue { $0 = snapshot }
        self.limits.reconfigure(snapshot.loaded.policy)
        self.targetBook.withLockedValue { $0.retain(snapshot.planner.allKeys) }
    }

    /// Every target's health now, for `/status`.
    func targetStatuses() -> [TargetStatus] {
        let now = MonotonicInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds))
        return self.targetBook.withLockedValue { $0.statuses(at: now) }
    }

    /// Reads or changes target health under its lock.
    func withTargetBook<T>(_ body: (inout TargetBook) -> T) -> T {
        self.targetBook.withLockedValue { body(&$0) }
    }

    var loopCount: Int { self.loops.count }

    var reloads: (ok: Int, failed: Int, lastError: String?) {
        self.reloadStatus.withLockedValue { ($0.reloads, $0.failures, $0.lastError) }
    }

    func recordReloadSuccess() {
        self.reloadStatus.withLockedValue { $0.reloads += 1 }
        self.metrics.reloadCounter(result: "ok").increment()
    }

    func recordReloadFailure(_ problem: String) {
        self.reloadStatus.withLockedValue {
            $0.failures += 1
            $0.lastError = problem
            $0.lastErrorAt = .now()
        }
        self.metrics.reloadCounter(result: "error").increment()
    }

    func loopContext(for eventLoop: any EventLoop) -> LoopContext {
        self.loops[ObjectIdentifier(eventLoop)]!
    }

    func closeUpstreamConnections() {
        for context in self.loops.values {
            context.eventLoop.execute { context.pool.closeAll() }
        }
    }
}
