/// The kinds that carry a pod, and where their pod (template) sits inside the object.
public enum WorkloadKind: String, Sendable, CaseIterable {
    case pod = "Pod"
    case deployment = "Deployment"
    case statefulSet = "StatefulSet"
    case daemonSet = "DaemonSet"
    case replicaSet = "ReplicaSet"
    case job = "Job"
    case cronJob = "CronJob"

    /// The path from the object to its pod template (empty: the object is the pod).
    public var templatePath: [String] {
        switch self {
        case .pod: []
        case .deployment, .statefulSet, .daemonSet, .replicaSet, .job: ["spec", "template"]
        case .cronJob: ["spec", "jobTemplate", "spec", "template"]
        }
    }

    /// The kind of `object`, when it is one of these (`kind` alone decides: apps/v1, batch/v1
    /// and the older groups all put the template at the same place).
    public init?(of object: KubeValue) {
        guard let kind = object["kind"]?.string else { return nil }
        self.init(rawValue: kind)
    }
}
