import Testing
import Yams

@testable import SluiceKube

@Suite("sluice inject on the golden corpus")
struct ManifestInjectorTests {
    let injector = ManifestInjector(settings: InjectionSettings(image: Corpus.image))

    @Test("each manifest injects to its golden output", arguments: Corpus.manifestNames)
    func golden(name: String) throws {
        let input = try Corpus.text("manifests/\(name).yaml")
        let expected = try Corpus.text("manifests/\(name).expected.yaml")
        #expect(try self.injector.inject(input) == expected)
    }

    @Test("injecting the output again changes nothing", arguments: Corpus.manifestNames)
    func idempotent(name: String) throws {
        let once = try self.injector.inject(try Corpus.text("manifests/\(name).yaml"))
        #expect(try self.injector.inject(once) == once)
    }

    @Test("documents that are not injected come back byte for byte", arguments: Corpus.unchangedNames.sorted())
    func untouched(name: String) throws {
        let input = try Corpus.text("manifests/\(name).yaml")
        #expect(try self.injector.inject(input) == input)
    }

    @Test("the corpus covers every workload kind, a List, and the untouched cases")
    func coverage() throws {
        let all = try Corpus.manifestNames.map { try Corpus.text("manifests/\($0).yaml") }.joined(separator: "\n---\n")
        for kind in WorkloadKind.allCases.map(\.rawValue) + ["List", "Service", "ConfigMap"] {
            #expect(all.contains("kind: \(kind)\n"), "no \(kind) in the corpus")
        }
        #expect(Set(Corpus.manifestNames).isSuperset(of: Corpus.unchangedNames))
    }

    @Test("every injected workload in the corpus has the sidecar, probes, mounts and env", arguments: Corpus.manifestNames)
    func injectedShape(name: String) throws {
        guard !Corpus.unchangedNames.contains(name) else { return }
        let output = try self.injector.inject(try Corpus.text("manifests/\(name).yaml"))
        for document in try Yams.compose_all(yaml: output) {
            let object = KubeValue(document)
            let objects = object["kind"]?.string == "List" ? object["items"]?.array ?? [] : [object]
            for item in objects {
                guard let kind = WorkloadKind(of: item), let template = item[path: kind.templatePath] else { continue }
                let sidecar = try #require(template[path: ["spec", "initContainers", "0"]])
                #expect(sidecar["name"] == .string("sluice"))
                #expect(sidecar["restartPolicy"] == .string("Always"))
                #expect(sidecar[path: ["readinessProbe", "httpGet", "path"]] == .string("/readyz"))
                #expect(sidecar[path: ["livenessProbe", "httpGet", "path"]] == .string("/healthz"))
                #expect(sidecar[path: ["securityContext", "runAsNonRoot"]] == .bool(true))
                #expect(sidecar[path: ["securityContext", "readOnlyRootFilesystem"]] == .bool(true))
                #expect(sidecar[path: ["securityContext", "capabilities", "drop", "0"]] == .string("ALL"))
                let volumes = template[path: ["spec", "volumes"]]?.array?.compactMap { $0["name"]?.string } ?? []
                #expect(volumes.contains("sluice-policy") && volumes.contains("sluice-provider-keys"))
                for container in template[path: ["spec", "containers"]]?.array ?? [] {
                    let names = container["env"]?.array?.compactMap { $0["name"]?.string } ?? []
                    #expect(names.filter { $0 == "OPENAI_BASE_URL" }.count == 1)
                    #expect(names.filter { $0 == "ANTHROPIC_BASE_URL" }.count == 1)
                }
            }
        }
    }

    @Test("an app that sets OPENAI_BASE_URL keeps its own value")
    func keepsExistingEnvironment() throws {
        let output = try self.injector.inject(try Corpus.text("manifests/daemonset.yaml"))
        let template = try #require(Yams.compose(yaml: output).map(KubeValue.init)?[path: ["spec", "template"]])
        let env = try #require(template[path: ["spec", "containers", "0", "env"]]?.array)
        #expect(env.first { $0["name"] == .string("ANTHROPIC_BASE_URL") }?["value"] == .string("https://llm-proxy.internal"))
        #expect(env.first { $0["name"] == .string("OPENAI_BASE_URL") }?["value"] == .string("http://127.0.0.1:4000/v1"))
    }

    @Test("existing init containers keep their order, after the sidecar")
    func initContainerOrder() throws {
        let output = try self.injector.inject(try Corpus.text("manifests/statefulset.yaml"))
        let template = try #require(Yams.compose(yaml: output).map(KubeValue.init)?[path: ["spec", "template"]])
        let names = template[path: ["spec", "initContainers"]]?.array?.compactMap { $0["name"]?.string }
        #expect(names == ["sluice", "migrate", "warm-cache"])
    }

    @Test("separators and comments of untouched documents survive around a changed one")
    func streamTrivia() throws {
        let output = try self.injector.inject(try Corpus.text("manifests/stream.yaml"))
        #expect(output.hasPrefix("# A typical kustomize-built stream: comments, separators, a workload among other objects.\n---\napiVersion: v1\nkind: ServiceAccount\n"))
        #expect(output.contains("---   # the workload\napiVersion: apps/v1\n"))
        #expect(output.hasSuffix("---\n\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: recommender\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n"))
    }

    @Test("strings that look like other types stay strings after re-emission")
    func quoting() throws {
        let input = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: quoting
              labels: {app.kubernetes.io/name: "true", version: "1.10"}
            spec:
              containers:
                - name: app
                  image: app
                  args: ["8080", "", "null", "yes", 'on']

            """
        let output = try self.injector.inject(input)
        let pod = try #require(Yams.compose(yaml: output).map(KubeValue.init))
        #expect(pod[path: ["metadata", "labels", "app.kubernetes.io/name"]] == .string("true"))
        #expect(pod[path: ["metadata", "labels", "version"]] == .string("1.10"))
        #expect(pod[path: ["spec", "containers", "0", "args"]] == .array(["8080", "", "null", "yes", "on"].map(KubeValue.string)))
    }

    @Test("bad YAML is reported with its line and column in the whole input")
    func badYAML() {
        let input = "apiVersion: v1\nkind: ConfigMap\n---\napiVersion: v1\nkind: Pod\nspec: [oops\n"
        #expect {
            try self.injector.inject(input)
        } throws: { error in
            guard let error = error as? ManifestError else { return false }
            return error.line != nil && error.line! >= 6 && error.description.contains("invalid YAML")
        }
    }

    @Test("empty input and comment-only input come back as they are", arguments: ["", "# nothing\n", "---\n", "---\n# only a comment\n...\n"])
    func trivia(input: String) throws {
        #expect(try self.injector.inject(input) == input)
    }

    @Test("CRLF line ends split documents like LF")
    func crlf() throws {
        let input = "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\n"
        #expect(try self.injector.inject(input) == input)
        #expect(YAMLDocumentSplitter.split(input).count == 2)
    }
}
