/// The annotations (and the namespace label) that control injection per pod.
public enum SluiceAnnotation {
    /// `"true"` asks for the sidecar, `"false"` refuses it. On a pod template or on the workload
    /// object itself; `"false"` on either wins.
    public static let inject = "sluice.dev/inject"
    /// A literal workload name for `SLUICE_WORKLOAD`, instead of the workload label.
    public static let workload = "sluice.dev/workload"
    /// The policy ConfigMap's name, instead of the configured default.
    public static let policy = "sluice.dev/policy"
    /// The namespace label the webhook's `namespaceSelector` matches (`enabled`).
    public static let namespaceLabel = "sluice.dev/inject"
}
