/// Decides whether a pod gets the sidecar and, if so, the JSON Patch `add`s that give it one.
///
/// Shared by `sluice inject` (which applies the operations to a YAML document) and the admission
/// webhook (which sends them as the patch), so the two cannot drift apart. Its duties, in order:
///
/// 1. Refuse pods that opt out (`sluice.dev/inject: "false"` on the pod or its workload), that
///    already carry a container named `sluice` (so injecting twice changes nothing), that share
///    the node's network (`127.0.0.1:4000` would be the node's), or, when annotations are
///    required, that did not ask.
/// 2. Put the sidecar first among the init containers: it is a native sidecar
///    (`restartPolicy: Always`), and init containers start in order, each after the previous one
///    has started; with a startup probe on `/readyz` the kubelet starts the next init container
///    and the app containers only once Sluice answers. Existing init containers keep their order
///    after it, so they can use the gateway too.
/// 3. Point every app container's SDKs at the sidecar (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`),
///    unless the container sets the variable itself.
/// 4. Add the policy ConfigMap and provider-key Secret volumes, unless volumes of those names
///    already exist.
public struct PodSpecMutation: Sendable {
    /// The name the sidecar container has; a pod with a container of this name is injected.
    public static let containerName = "sluice"
    /// The policy volume's name.
    public static let policyVolume = "sluice-policy"
    /// The provider-key volume's name.
    public static let secretVolume = "sluice-provider-keys"

    /// What happens to one pod.
    public enum Decision: Sendable, Hashable {
        /// Add these (paths relative to the pod or pod template).
        case inject([PatchOperation])
        /// Leave the pod as it is.
        case skip(SkipReason)
    }

    /// Why a pod is left alone.
    public enum SkipReason: String, Sendable, Hashable {
        case optedOut = "the pod or its workload is annotated sluice.dev/inject: \"false\""
        case notRequested = "the pod is not annotated sluice.dev/inject: \"true\""
        case alreadyInjected = "the pod already has a container named sluice"
        case hostNetwork = "the pod uses hostNetwork, where 127.0.0.1 is the node's"
        case noPodSpec = "the object has no pod spec with containers"
    }

    public var settings: InjectionSettings

    public init(settings: InjectionSettings) {
        self.settings = settings
    }

    /// The decision for `template` (a Pod, or a workload's pod template: `metadata` and `spec`),
    /// with `owner` the workload object around it when there is one (its annotations count too).
    public func decide(template: KubeValue, owner: KubeValue? = nil) -> Decision {
        guard let spec = template["spec"], spec.isObject, let containers = spec["containers"]?.array else {
            return .skip(.noPodSpec)
        }
        let annotations = template[path: ["metadata", "annotations"]]
        let ownerAnnotations = owner?[path: ["metadata", "annotations"]]
        let requested = [annotations, ownerAnnotations].compactMap { $0?[SluiceAnnotation.inject]?.scalarText?.lowercased() }
        if requested.contains("false") { return .skip(.optedOut) }
        let initContainers = spec["initContainers"]?.array ?? []
        if (containers + initContainers).contains(where: { $0["name"]?.string == Self.containerName }) {
            return .skip(.alreadyInjected)
        }
        if case .bool(true) = spec["hostNetwork"] { return .skip(.hostNetwork) }
        if self.settings.requireAnnotation && !requested.contains("true") { return .skip(.notRequested) }

        var operations: [PatchOperation] = []
        let policyConfigMap = annotations?[SluiceAnnotation.policy]?.string ?? self.settings.policyConfigMap
        let labels = template[path: ["metadata", "labels"]]
        let workload = Self.workloadSource(annotations: annotations, labels: labels, labelKey: self.settings.workloadLabel)
        let sidecar = SidecarContainer(settings: self.settings, workload: workload).value
        let prepended = self.egressInitContainers() + [sidecar]
        if spec["initContainers"]?.array == nil {
            operations.append(PatchOperation(path: ["spec", "initContainers"], value: .array(prepended)))
        } else {
            for (offset, container) in prepended.enumerated() {
                operations.append(PatchOperation(path: ["spec", "initContainers", String(offset)], value: container))
            }
        }
        for (index, container) in containers.enumerated() {
            operations += self.environmentOperations(container: container, path: ["spec", "containers", String(index)])
        }
        operations += self.volumeOperations(existing: spec["volumes"], policyConfigMap: policyConfigMap)
        return .inject(operations)
    }

    /// Init containers that must run before the sidecar. Empty today; transparent egress
    /// interception adds its iptables step here (it has to run before anything opens a socket).
    func egressInitContainers() -> [KubeValue] {
        []
    }

    /// Where `SLUICE_WORKLOAD` comes from: the `sluice.dev/workload` annotation as a literal, else
    /// the workload label through the downward API, else nowhere (the template has no such label,
    /// and an empty value would name no workload at all).
    static func workloadSource(annotations: KubeValue?, labels: KubeValue?, labelKey: String) -> SidecarContainer.Workload {
        if let name = annotations?[SluiceAnnotation.workload]?.scalarText, !name.isEmpty {
            return .literal(name)
        }
        if labels?[labelKey] != nil {
            return .label(labelKey)
        }
        return .none
    }

    /// The env entries that point the app's SDKs at the sidecar, for those it does not set.
    func environmentOperations(container: KubeValue, path: [String]) -> [PatchOperation] {
        let wanted: [(String, String)] = [
            ("OPENAI_BASE_URL", "http://127.0.0.1:\(self.settings.appPort)/v1"),
            ("ANTHROPIC_BASE_URL", "http://127.0.0.1:\(self.settings.appPort)"),
        ]
        let present = Set((container["env"]?.array ?? []).compactMap { $0["name"]?.string })
        let missing = wanted.filter { !present.contains($0.0) }.map { KubeValue.object(["name": .string($0.0), "value": .string($0.1)]) }
        if missing.isEmpty { return [] }
        if container["env"]?.array == nil {
            return [PatchOperation(path: path + ["env"], value: .array(missing))]
        }
        return missing.map { PatchOperation(path: path + ["env", "-"], value: $0) }
    }

    /// The policy and provider-key volumes, for those the pod does not have by name.
    func volumeOperations(existing: KubeValue?, policyConfigMap: String) -> [PatchOperation] {
        let wanted: [KubeValue] = [
            .object(["name": .string(Self.policyVolume), "configMap": .object(["name": .string(policyConfigMap)])]),
            .object([
                "name": .string(Self.secretVolume),
                "secret": .object(["secretName": .string(self.settings.secretName), "optional": .bool(true)]),
            ]),
        ]
        let present = Set((existing?.array ?? []).compactMap { $0["name"]?.string })
        let missing = wanted.filter { !present.contains($0["name"]?.string ?? "") }
        if missing.isEmpty { return [] }
        if existing?.array == nil {
            return [PatchOperation(path: ["spec", "volumes"], value: .array(missing))]
        }
        return missing.map { PatchOperation(path: ["spec", "volumes", "-"], value: $0) }
    }
}
