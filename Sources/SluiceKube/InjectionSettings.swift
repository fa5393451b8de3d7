/// What the injected sidecar looks like: its image, where its policy and keys come from, its
/// ports and resources. `sluice inject` and `sluice webhook` build one from their flags; the
/// defaults are what a first deployment wants.
public struct InjectionSettings: Sendable, Hashable {
    /// The Sluice image the sidecar runs.
    public var image: String
    /// `IfNotPresent`, `Always` or `Never`.
    public var imagePullPolicy: String
    /// The ConfigMap holding `policy.yaml`, mounted at ``policyDirectory`` (overridden per pod by
    /// the `sluice.dev/policy` annotation).
    public var policyConfigMap: String
    /// The Secret holding provider keys, mounted as files at ``secretDirectory``. Optional in the
    /// pod, so a policy without keys (mock, passthrough credentials) needs no Secret.
    public var secretName: String
    /// The port the policy's `listen.app` uses; apps are pointed at `127.0.0.1:<appPort>`.
    public var appPort: Int
    /// The port the policy's `listen.admin` uses; the kubelet probes it on the pod IP, so in a
    /// pod the policy must bind the admin listener to `0.0.0.0`.
    public var adminPort: Int
    /// The pod label whose value names the workload (`SLUICE_WORKLOAD`, downward API).
    public var workloadLabel: String
    /// The sidecar's resource requests and limits (Kubernetes quantities).
    public var resources: Resources
    /// Whether a pod must carry `sluice.dev/inject: "true"` to be injected. Off for `sluice
    /// inject` (the user chose the files) and by default for the webhook (the namespace label
    /// already chose the pods); on, only annotated pods in selected namespaces get the sidecar.
    public var requireAnnotation: Bool

    /// Where the policy ConfigMap is mounted; the sidecar runs `--policy <this>/policy.yaml`.
    public static let policyDirectory = "/etc/sluice"
    /// Where the provider-key Secret is mounted (policy: `api_key: { file: <this>/openai }`).
    public static let secretDirectory = "/var/run/secrets/sluice"
    /// The sidecar's user: the image's non-root user.
    public static let userID = 65532

    /// Requests and limits.
    public struct Resources: Sendable, Hashable {
        public var cpuRequest: String
        public var memoryRequest: String
        public var cpuLimit: String?
        public var memoryLimit: String

        public init(cpuRequest: String = "50m", memoryRequest: String = "64Mi", cpuLimit: String? = "1", memoryLimit: String = "256Mi") {
            self.cpuRequest = cpuRequest
            self.memoryRequest = memoryRequest
            self.cpuLimit = cpuLimit
            self.memoryLimit = memoryLimit
        }
    }

    /// The default image's repository; the tag is the running binary's version.
    public static let defaultImageRepository = "ghcr.io/sluice-gateway/sluice"

    public init(
        image: String = "\(InjectionSettings.defaultImageRepository):latest",
        imagePullPolicy: String = "IfNotPresent",
        policyConfigMap: String = "sluice-policy",
        secretName: String = "sluice-provider-keys",
        appPort: Int = 4000,
        adminPort: Int = 9901,
        workloadLabel: String = "app.kubernetes.io/name",
        resources: Resources = Resources(),
        requireAnnotation: Bool = false
    ) {
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.policyConfigMap = policyConfigMap
        self.secretName = secretName
        self.appPort = appPort
        self.adminPort = adminPort
        self.workloadLabel = workloadLabel
        self.resources = resources
        self.requireAnnotation = requireAnnotation
    }
}
