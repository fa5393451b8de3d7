public import SluicePolicy

/// What a ``Limiter`` enforces: each workload's limits, and whether a fleet shares them.
public struct LimiterConfiguration: Sendable, Hashable {
    /// Limits by workload name; workloads without limits are absent.
    public var workloads: [String: LimitSettings]
    /// The fleet's lease share and outage mode when a store is shared; nil: this process alone.
    public var fleet: Fleet?
    /// How long a reservation lives without being settled before it is released (its estimate
    /// stays charged): a safety net for a request that never reports its end.
    public var reservationLifetimeNanoseconds: Int64

    public struct Fleet: Sendable, Hashable {
        /// The lease, in basis points of each limit.
        public var leaseBasisPoints: Int
        /// Refuse (503) rather than admit alone while the store is down.
        public var failClosed: Bool

        public init(leaseBasisPoints: Int, failClosed: Bool) {
            self.leaseBasisPoints = leaseBasisPoints
            self.failClosed = failClosed
        }
    }

    /// Fifteen minutes: longer than any answer Sluice lets run.
    public static let standardReservationLifetime: Int64 = 15 * 60 * 1_000_000_000

    public init(
        workloads: [String: LimitSettings], fleet: Fleet? = nil,
        reservationLifetimeNanoseconds: Int64 = LimiterConfiguration.standardReservationLifetime
    ) {
        self.workloads = workloads
        self.fleet = fleet
        self.reservationLifetimeNanoseconds = reservationLifetimeNanoseconds
    }

    /// The limits of a policy: every workload's `limits`, and `limits_store` when present.
    public init(policy: Policy) {
        var workloads: [String: LimitSettings] = [:]
        for (name, workload) in policy.workloads {
            if let limits = workload.limits { workloads[name] = limits }
        }
        self.init(
            workloads: workloads,
            fleet: policy.limitsStore.map {
                Fleet(leaseBasisPoints: $0.leaseBasisPoints, failClosed: $0.onError == .failClosed)
            })
    }
}
