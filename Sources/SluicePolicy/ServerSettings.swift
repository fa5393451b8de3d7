/// Process-wide server settings (`server:`).
public struct ServerSettings: Sendable, Hashable, Encodable {
    /// The largest request body accepted (`max_body`), in bytes; larger ones get 413. 4 MiB by default.
    public var maxBodyBytes: Int
    /// How long shutdown waits for requests in flight (`drain_timeout`). 20 s by default, below
    /// Kubernetes' 30 s grace period so Sluice finishes before it is killed.
    public var drainTimeout: Duration
    /// Event-loop threads (`event_loop_threads`), at least 1; nil lets the proxy use the
    /// container's CPU quota.
    public var eventLoopThreads: Int?
    /// Whether the clean file-backed pages that start-up and each policy load touched are given back
    /// to the kernel once the gateway is ready (`release_startup_pages`, true by default). Off, idle
    /// memory stays as start-up left it; on, the first requests fault the serving code back in.
    public var releaseStartupPages: Bool

    /// The default request body limit, 4 MiB.
    public static let defaultMaxBodyBytes = 4 << 20
    /// The default drain timeout, 20 s.
    public static let defaultDrainTimeout = Duration.seconds(20)

    /// Creates server settings with the defaults for anything not given.
    public init(
        maxBodyBytes: Int = ServerSettings.defaultMaxBodyBytes,
        drainTimeout: Duration = ServerSettings.defaultDrainTimeout,
        eventLoopThreads: Int? = nil,
        releaseStartupPages: Bool = true
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.drainTimeout = drainTimeout
        self.eventLoopThreads = eventLoopThreads
        self.releaseStartupPages = releaseStartupPages
    }

    private enum CodingKeys: String, CodingKey {
        case maxBodyBytes = "max_body"
        case drainTimeout = "drain_timeout"
        case eventLoopThreads = "event_loop_threads"
        case releaseStartupPages = "release_startup_pages"
    }

    /// Encodes with the policy's key names and the duration as policy text (`20s`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(maxBodyBytes, forKey: .maxBodyBytes)
        try container.encode(formatDuration(drainTimeout), forKey: .drainTimeout)
        try container.encodeIfPresent(eventLoopThreads, forKey: .eventLoopThreads)
        try container.encode(releaseStartupPages, forKey: .releaseStartupPages)
    }
}
