/// The Sluice sidecar as a Kubernetes container: a native sidecar (an init container with
/// `restartPolicy: Always`, so it starts before the app and stops after it, and a Job still
/// completes), hardened, probed on the admin port, with its policy and keys mounted read-only.
struct SidecarContainer {
    /// Where the sidecar's `SLUICE_WORKLOAD` comes from.
    enum Workload: Hashable {
        /// A fixed name (the `sluice.dev/workload` annotation).
        case literal(String)
        /// A pod label, through the downward API.
        case label(String)
        /// Not set: the sidecar serves no particular workload.
        case none
    }

    let settings: InjectionSettings
    let workload: Workload

    var value: KubeValue {
        var members: [KubeValue.Member] = [
            .init("name", .string(PodSpecMutation.containerName)),
            .init("image", .string(self.settings.image)),
            .init("imagePullPolicy", .string(self.settings.imagePullPolicy)),
            .init("restartPolicy", .string("Always")),
            .init("args", .array(["run", "--policy", "\(InjectionSettings.policyDirectory)/policy.yaml"].map(KubeValue.string))),
        ]
        if let environment = self.environment {
            members.append(.init("env", .array([environment])))
        }
        members += [
            .init("ports", .array([.object(["name": .string("sluice-admin"), "containerPort": .int(self.settings.adminPort), "protocol": .string("TCP")])])),
            // Startup gates the app containers: the kubelet starts the next container only
            // once a restartable init container's startup probe has passed.
            .init("startupProbe", self.probe(path: "/readyz", period: 1, failures: 60)),
            .init("readinessProbe", self.probe(path: "/readyz", period: 5, failures: 3)),
            .init("livenessProbe", self.probe(path: "/healthz", period: 10, failures: 3)),
            .init("resources", self.resources),
            .init("securityContext", Self.securityContext),
            .init("volumeMounts", .array([
                .object([
                    "name": .string(PodSpecMutation.policyVolume),
                    "mountPath": .string(InjectionSettings.policyDirectory),
                    "readOnly": .bool(true),
                ]),
                .object([
                    "name": .string(PodSpecMutation.secretVolume),
                    "mountPath": .string(InjectionSettings.secretDirectory),
                    "readOnly": .bool(true),
                ]),
            ])),
        ]
        return .object(members)
    }

    private var environment: KubeValue? {
        switch self.workload {
        case .literal(let name):
            return .object(["name": .string("SLUICE_WORKLOAD"), "value": .string(name)])
        case .label(let key):
            return .object([
                "name": .string("SLUICE_WORKLOAD"),
                "valueFrom": .object(["fieldRef": .object(["fieldPath": .string("metadata.labels['\(key)']")])]),
            ])
        case .none:
            return nil
        }
    }

    private func probe(path: String, period: Int, failures: Int) -> KubeValue {
        .object([
            "httpGet": .object(["path": .string(path), "port": .int(self.settings.adminPort)]),
            "periodSeconds": .int(period),
            "timeoutSeconds": .int(1),
            "failureThreshold": .int(failures),
        ])
    }

    private var resources: KubeValue {
        let resources = self.settings.resources
        var limits: [KubeValue.Member] = []
        if let cpu = resources.cpuLimit { limits.append(.init("cpu", .string(cpu))) }
        limits.append(.init("memory", .string(resources.memoryLimit)))
        return .object([
            "requests": .object(["cpu": .string(resources.cpuRequest), "memory": .string(resources.memoryRequest)]),
            "limits": .object(limits),
        ])
    }

    private static let securityContext: KubeValue = .object([
        "allowPrivilegeEscalation": .bool(false),
        "readOnlyRootFilesystem": .bool(true),
        "runAsNonRoot": .bool(true),
        "runAsUser": .int(InjectionSettings.userID),
        "runAsGroup": .int(InjectionSettings.userID),
        "capabilities": .object(["drop": .array([.string("ALL")])]),
        "seccompProfile": .object(["type": .string("RuntimeDefault")]),
    ])
}
