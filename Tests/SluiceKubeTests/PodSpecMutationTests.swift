import Testing

@testable import SluiceKube

@Suite("Which pods get the sidecar, and how")
struct PodSpecMutationTests {
    let mutation = PodSpecMutation(settings: InjectionSettings(image: Corpus.image))

    static func pod(annotations: KubeValue? = nil, labels: KubeValue? = nil, spec: KubeValue? = nil) -> KubeValue {
        var metadata: [KubeValue.Member] = [.init("name", "p")]
        if let annotations { metadata.append(.init("annotations", annotations)) }
        if let labels { metadata.append(.init("labels", labels)) }
        let defaultSpec: KubeValue = .object(["containers": .array([.object(["name": "app", "image": "app:1"])])])
        return .object(["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec ?? defaultSpec])
    }

    @Test("a pod annotated false is left alone, also as an unquoted YAML bool")
    func optOut() {
        #expect(self.mutation.decide(template: Self.pod(annotations: .object(["sluice.dev/inject": "false"]))) == .skip(.optedOut))
        #expect(self.mutation.decide(template: Self.pod(annotations: .object(["sluice.dev/inject": .bool(false)]))) == .skip(.optedOut))
    }

    @Test("a workload annotated false keeps its pod template out too")
    func ownerOptOut() {
        let owner: KubeValue = .object(["metadata": .object(["annotations": .object(["sluice.dev/inject": "false"])])])
        #expect(self.mutation.decide(template: Self.pod(), owner: owner) == .skip(.optedOut))
    }

    @Test("when annotations are required, only pods annotated true are injected")
    func requireAnnotation() {
        var settings = InjectionSettings()
        settings.requireAnnotation = true
        let strict = PodSpecMutation(settings: settings)
        #expect(strict.decide(template: Self.pod()) == .skip(.notRequested))
        guard case .inject = strict.decide(template: Self.pod(annotations: .object(["sluice.dev/inject": "true"]))) else {
            Issue.record("an annotated pod was not injected")
            return
        }
    }

    @Test("hostNetwork pods and objects without containers are skipped")
    func skipped() {
        let hostNetwork: KubeValue = .object(["hostNetwork": .bool(true), "containers": .array([.object(["name": "a"])])])
        #expect(self.mutation.decide(template: Self.pod(spec: hostNetwork)) == .skip(.hostNetwork))
        #expect(self.mutation.decide(template: Self.pod(spec: .object(["volumes": .array([])]))) == .skip(.noPodSpec))
        #expect(self.mutation.decide(template: .object(["metadata": .object([:])])) == .skip(.noPodSpec))
    }

    @Test("a pod with a container named sluice is already injected")
    func alreadyInjected() {
        let spec: KubeValue = .object(["containers": .array([.object(["name": "sluice"])])])
        #expect(self.mutation.decide(template: Self.pod(spec: spec)) == .skip(.alreadyInjected))
    }

    @Test("SLUICE_WORKLOAD: the annotation as a literal, else the label by the downward API, else unset")
    func workloadSource() {
        #expect(PodSpecMutation.workloadSource(annotations: .object(["sluice.dev/workload": "billing"]), labels: nil, labelKey: "app") == .literal("billing"))
        #expect(PodSpecMutation.workloadSource(annotations: nil, labels: .object(["app": "x"]), labelKey: "app") == .label("app"))
        #expect(PodSpecMutation.workloadSource(annotations: nil, labels: .object(["other": "x"]), labelKey: "app") == .none)
    }

    @Test("the operations on a bare pod: sidecar list, env per container, volumes list")
    func operationsOnBarePod() throws {
        guard case .inject(let operations) = self.mutation.decide(template: Self.pod(labels: .object(["app.kubernetes.io/name": "web"]))) else {
            Issue.record("not injected")
            return
        }
        #expect(operations.map(\.pointer) == ["/spec/initContainers", "/spec/containers/0/env", "/spec/volumes"])
        let sidecar = try #require(operations[0].value.array?.first)
        #expect(sidecar[path: ["env", "0", "valueFrom", "fieldRef", "fieldPath"]] == .string("metadata.labels['app.kubernetes.io/name']"))
        #expect(sidecar["args"] == .array(["run", "--policy", "/etc/sluice/policy.yaml"]))
        #expect(sidecar[path: ["securityContext", "runAsUser"]] == .int(65532))
    }

    @Test("the sluice.dev/policy annotation names the ConfigMap")
    func policyAnnotation() {
        guard case .inject(let operations) = self.mutation.decide(template: Self.pod(annotations: .object(["sluice.dev/policy": "custom"]))) else {
            Issue.record("not injected")
            return
        }
        #expect(operations.last?.value[path: ["0", "configMap", "name"]] == .string("custom"))
    }

    @Test("JSON pointers escape ~ and /")
    func pointer() {
        #expect(PatchOperation(path: ["a/b", "c~d", "-"], value: .null).pointer == "/a~1b/c~0d/-")
    }
}
