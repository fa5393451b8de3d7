#if canImport(Glibc)
import Glibc
#endif
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOExtras
import NIOPosix
public import ServiceLifecycle
public import SluiceLimits
public import SluicePolicy

/// The running Sluice: listeners, event loops and the active policy, started and stopped as one service.
///
/// `run()` (swift-service-lifecycle) binds the listeners, reports ready, waits for graceful shutdown, then
/// stops accepting, lets requests and streams in flight finish up to the policy's drain timeout, and closes
/// everything. Tests call ``start()`` and ``shutdown()`` directly. ``apply(_:)`` swaps in a reloaded policy.
public final class Gateway: Service, Sendable {
    public let state: GatewayState
    let group: MultiThreadedEventLoopGroup
    let runtime = NIOLockedValueBox(Runtime())
    private let createdAt = NIODeadline.now()

    struct Runtime {
        var app: AppListener?
        var admin: AdminListener?
        var ready = false
        /// The limits' background task (leases, spend, expiry).
        var limitsTask: Task<Void, Never>?
        var stopped = false
    }

    /// The app port and the helper that drains its connections.
    struct AppListener {
        var channel: any Channel
        var quiescing: ServerQuiescingHelper
        var address: HostPort
    }

    /// The admin port and the task serving it.
    struct AdminListener {
        var channel: any Channel
        var task: Task<Void, Never>
        var address: HostPort
    }

    /// The workload this sidecar serves (`--workload`), applied to every policy it loads.
    public let workload: String?

    /// Prepares a gateway for `loaded`; nothing is bound until ``start()``.
    ///
    /// - Parameter limitStore: the fleet's shared store for `limits_store`; nil keeps limits per
    ///   process.
    public init(
        loaded: LoadedPolicy, workload: String? = nil, logger: Logger, limitStore: (any RunnableLimitStore)? = nil
    ) throws {
        self.workload = workload
        let snapshot = try PolicySnapshot(loaded, workload: workload)
        let threads = loaded.policy.server.eventLoopThreads ?? CPUQuota.eventLoopThreads()
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let metrics = GatewayMetrics()
        self.state = GatewayState(
            snapshot: snapshot,
            metrics: metrics,
            logger: logger,
            eventLoops: Array(self.group.makeIterator()),
            limits: LimitGate(
                policy: loaded.policy, store: limitStore, instance: Self.instanceName(), logger: logger,
                metrics: metrics)
        )
    }

    /// This process's name in the fleet's spend entries: host name, process id and start time.
    static func instanceName() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(name.isEmpty ? "sluice" : name)-\(getpid())-\(LimitGate.unixSeconds())"
    }

    /// Whether the policy is loaded and every listener is bound.
    public var isReady: Bool {
        self.runtime.withLockedValue { $0.ready && !$0.stopped }
    }

    /// Where the gateway listens now.
    public var addresses: GatewayAddresses? {
        self.runtime.withLockedValue { runtime in
            guard let app = runtime.app?.channel.localAddress else { return nil }
            return GatewayAddresses(app: app, admin: runtime.admin?.channel.localAddress)
        }
    }

    /// Binds the app and admin listeners and reports ready.
    @discardableResult
    public func start() async throws -> GatewayAddresses {
        if let addresses = self.addresses { return addresses }
        let policy = self.state.snapshot.loaded.policy
        let app = try await self.bindApp(policy.listen.app)
        var admin: AdminListener?
        if let address = policy.listen.admin {
            admin = try await self.bindAdmin(address)
        }
        let limits = self.state.limits
        let limitsTask = Task { await limits.run() }
        self.runtime.withLockedValue {
            $0.app = app
            $0.admin = admin
            $0.ready = true
            $0.limitsTask = limitsTask
        }
        let startup = NIODeadline.now() - self.createdAt
        self.state.logger.info(
            "ready",
            metadata: [
                "startup_ms": .stringConvertible(Double(startup.nanoseconds / 1000) / 1000),
                "event_loops": .stringConvertible(self.state.loopCount),
                "policy_sha256": .string(self.state.snapshot.loaded.sha256),
            ]
        )
        if policy.server.releaseStartupPages {
            // Off the start path and off the event loops: start-up's pages go back (see StartupPages).
            let logger = self.state.logger
            Task.detached(priority: .background) {
                let released = StartupPages.release()
                logger.info("released start-up pages", metadata: ["mappings": .stringConvertible(released)])
            }
        }
        return self.addresses!
    }

    func bindApp(_ address: HostPort) async throws -> AppListener {
        let quiescing = ServerQuiescingHelper(group: self.group)
        let channel = try await AppServer.bind(
            host: address.host,
            port: address.port,
            group: self.group,
            gateway: self.state,
            quiescing: quiescing,
            drainTimeout: TimeAmount(self.state.snapshot.loaded.policy.server.drainTimeout)
        )
        self.state.logger.info(
            "listening",
            metadata: ["listener": "app", "address": .string(Self.text(channel.localAddress))]
        )
        return AppListener(channel: channel, quiescing: quiescing, address: address)
    }

    func bindAdmin(_ address: HostPort) async throws -> AdminListener {
        let server = AdminServer(gateway: self.state, isReady: { [weak self] in self?.isReady ?? false })
        let listener = try await server.bind(host: address.host, port: address.port, group: self.group)
        let task = Task { await server.serve(listener) }
        self.state.logger.info(
            "listening",
            metadata: ["listener": "admin", "address": .string(Self.text(listener.channel.localAddress))]
        )
        return AdminListener(channel: listener.channel, task: task, address: address)
    }

    /// swift-service-lifecycle entry: serve until graceful shutdown is asked for, then drain and stop.
    public func run() async throws {
        try await self.start()
        try? await gracefulShutdown()
        await self.shutdown()
    }

    /// Stops accepting, waits for requests in flight up to the drain timeout, and closes everything.
    public func shutdown() async {
        // Each listener is taken out in its own call, so no reference to the app listener's quiescing
        // helper outlives this scope: its deinit must run while the event loops still do.
        guard let (drained, admin) = self.stopListening() else { return }
        let logger = self.state.logger
        let drainTimeout = self.state.snapshot.loaded.policy.server.drainTimeout
        logger.info("shutting down", metadata: ["drain_timeout_s": .stringConvertible(Double(drainTimeout.components.seconds))])
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
        try? await admin?.channel.close()
        await admin?.task.value
        // After the drain, so the spend of the last requests is handed to the store.
        let limitsTask = self.runtime.withLockedValue { $0.limitsTask }
        limitsTask?.cancel()
        await limitsTask?.value
        self.state.closeUpstreamConnections()
        try? await self.group.shutdownGracefully()
        logger.info("stopped")
    }

    /// Marks the gateway stopped and starts draining the app listener; nil when already stopped.
    private func stopListening() -> (EventLoopFuture<Void>, AdminListener?)? {
        let (alreadyStopped, app, admin) = self.runtime.withLockedValue { runtime in
            defer {
                runtime.stopped = true
                runtime.app = nil
                runtime.admin = nil
            }
            return (runtime.stopped, runtime.app, runtime.admin)
        }
        if alreadyStopped { return nil }
        return (self.drain(app), admin)
    }

    /// Closes `app`'s listener and tells each of its connections to finish what it has; the future
    /// completes when all have closed. The quiescing helper is released here, while the loops still run.
    func drain(_ app: AppListener?) -> EventLoopFuture<Void> {
        let drained = self.group.next().makePromise(of: Void.self)
        if let app {
            app.quiescing.initiateShutdown(promise: drained)
        } else {
            drained.succeed()
        }
        return drained.futureResult
    }

    static func text(_ address: SocketAddress?) -> String {
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
