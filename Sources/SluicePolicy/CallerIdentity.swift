/// Who a request comes from, as ``WorkloadResolver`` decided.
public enum CallerIdentity: Sendable, Hashable {
    /// The policy has no `workloads:` section: every caller is anonymous, may use every model,
    /// and gets the providers' own keys, as before workloads existed.
    case anonymous
    /// The request is this workload's: by the virtual key it presented, or as the sidecar's
    /// own workload when it presented none.
    case workload(String)

    /// The workload's name; nil for an anonymous caller.
    public var workloadName: String? {
        switch self {
        case .anonymous: nil
        case .workload(let name): name
        }
    }
}
