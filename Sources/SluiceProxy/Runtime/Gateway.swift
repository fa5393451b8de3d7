public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOExtras
import NIOPosix
public import ServiceLifecycle
public import SluicePolicy

/// The running Sluice: listeners, event loops and the active policy, started and stopped as one service.
///
/// `run()` (swift-service-lifecycle) binds the listeners, reports ready, waits for graceful shutdown, then
/// stops accepting, lets requests and streams in flight finish up to the policy's drain timeout, and closes
/// everything. Tests call ``start()`` and ``shutdown()`` directly.
public final class Gateway: Service, Sendable {
    public let state: GatewayState
    private let group: MultiThreadedEventLoopGroup
    private let runtime = NIOLockedValueBox(Runtime())
    private let createdAt = NIODeadline.now()

    private struct Runtime {
        var addresses: GatewayAddresses?
        var adminListener: (any Channel)?
        var adminTask: Task<Void, Never>?
        /// Dropped before the event loops stop: its deinit touches a loop.
        var quiescing: ServerQuiescingHelper?
        var ready = false
        var stopped = false
    }

    /// Prepares a gateway for `loaded`; nothing is bound until ``start()``.
    public init(loaded: LoadedPolicy, logger: Logger) throws {
        let snapshot = try PolicySnapshot(loaded)
        let threads = loaded.policy.server.eventLoopThreads ?? CPUQuota.eventLoopThreads()
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.state = GatewayState(
            snapshot: snapshot,
            metrics: GatewayMetrics(),
            logger: logger,
            eventLoops: Array(self.group.makeIterator())
        )
    }

    /// Whether the policy is loaded and every listener is bound.
    public var isReady: Bool {
        self.runtime.withLockedValue { $0.ready && !$0.stopped }
    }

    /// Binds the app and admin listeners and reports ready.
    @discardableResult
    public func start() async throws -> GatewayAddresses {
        if let addresses = self.runtime.withLockedValue({ $0.addresses }) { return addresses }
        let policy = self.state.snapshot.loaded.policy
        let logger = self.state.logger
        let drain = TimeAmount(policy.server.drainTimeout)
        let quiescing = ServerQuiescingHelper(group: self.group)
        self.runtime.withLockedValue { $0.quiescing = quiescing }
        let app = try await AppServer.bind(
            host: policy.listen.app.host,
            port: policy.listen.app.port,
            group: self.group,
            gateway: self.state,
            quiescing: quiescing,
            drainTimeout: drain
        )
        logger.info("listening", metadata: ["listener": "app", "address": .string(Self.text(app.localAddress))])
        var adminAddress: SocketAddress?
        if let admin = policy.listen.admin {
            let server = AdminServer(gateway: self.state, isReady: { [weak self] in self?.isReady ?? false })
            let listener = try await server.bind(host: admin.host, port: admin.port, group: self.group)
            adminAddress = listener.channel.localAddress
            let channel = listener.channel
            let task = Task { await server.serve(listener) }
            self.runtime.withLockedValue {
                $0.adminListener = channel
                $0.adminTask = task
            }
            logger.info("listening", metadata: ["listener": "admin", "address": .string(Self.text(adminAddress))])
        }
        let addresses = GatewayAddresses(app: app.localAddress!, admin: adminAddress)
        self.runtime.withLockedValue {
            $0.addresses = addresses
            $0.ready = true
        }
        let startup = NIODeadline.now() - self.createdAt
        logger.info(
            "ready",
            metadata: [
                "startup_ms": .stringConvertible(Double(startup.nanoseconds / 1000) / 1000),
                "event_loops": .stringConvertible(self.state.loopCount),
                "policy_sha256": .string(self.state.snapshot.loaded.sha256),
            ]
        )
        return addresses
    }

    /// swift-service-lifecycle entry: serve until graceful shutdown is asked for, then drain and stop.
    public func run() async throws {
        try await self.start()
        try? await gracefulShutdown()
        await self.shutdown()
    }

    /// Stops accepting, waits for requests in flight up to the drain timeout, and closes everything.
    public func shutdown() async {
        let alreadyStopped = self.runtime.withLockedValue { runtime -> Bool in
            defer { runtime.stopped = true }
            return runtime.stopped
        }
        if alreadyStopped { return }
        let logger = self.state.logger
        let drainTimeout = self.state.snapshot.loaded.policy.server.drainTimeout
        logger.info("shutting down", metadata: ["drain_timeout_s": .stringConvertible(Double(drainTimeout.components.seconds))])
        let drained = self.stopAccepting()
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await drained.get()) != nil
            }
            group.addTask {
                try? await Task.sleep(for: drainTimeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if finished {
            logger.info("drained: every request in flight finished")
        } else {
            logger.warning("drain timeout reached; closing connections still open")
        }
        let (admin, adminTask) = self.runtime.withLockedValue { ($0.adminListener, $0.adminTask) }
        try? await admin?.close()
        await adminTask?.value
        self.state.closeUpstreamConnections()
        try? await self.group.shutdownGracefully()
        logger.info("stopped")
    }

    /// Closes the app listener and tells every connection to finish what it has; the future completes
    /// when all have closed. The quiescing helper is released here, while the loops still run.
    private func stopAccepting() -> EventLoopFuture<Void> {
        let drained = self.group.next().makePromise(of: Void.self)
        let quiescing = self.runtime.withLockedValue { runtime in
            defer { runtime.quiescing = nil }
            return runtime.quiescing
        }
        if let quiescing {
            quiescing.initiateShutdown(promise: drained)
        } else {
            drained.succeed()
        }
        return drained.futureResult
    }

    private static func text(_ address: SocketAddress?) -> String {
        guard let address else { return "-" }
        switch address {
        case .v6: return "[\(address.ipAddress ?? "::")]:\(address.port ?? 0)"
        default: return "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        }
    }
}

/// Where a started gateway listens (ports resolved when the policy asked for port 0).
public struct GatewayAddresses: Sendable {
    public var app: SocketAddress
    public var admin: SocketAddress?
}
