/// The sidecar was told to serve a workload (`--workload` / `SLUICE_WORKLOAD`) that the policy,
/// which defines workloads, does not define.
///
/// Thrown when a ``WorkloadResolver`` is built, so a policy that drops this sidecar's workload
/// is refused at start-up or on reload, and the last good policy stays active.
public struct UndefinedWorkloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name the sidecar was given.
    public var workload: String
    /// The workloads the policy defines, sorted.
    public var defined: [String]

    /// Creates an error.
    public init(workload: String, defined: [String]) {
        self.workload = workload
        self.defined = defined
    }

    /// What is wrong and the names that would work.
    public var description: String {
        "this sidecar's workload '\(workload)' (--workload / SLUICE_WORKLOAD) is not defined under 'workloads' "
            + "in the policy; defined workloads: \(defined.joined(separator: ", "))"
    }
}
