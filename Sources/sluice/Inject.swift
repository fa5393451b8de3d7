import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SluiceKube

/// `sluice inject`: adds the sidecar to every workload in Kubernetes manifests and prints them.
struct Inject: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add the Sluice sidecar to the workloads in Kubernetes manifests.",
        discussion: """
            Reads multi-document YAML (a file, or stdin with -f - or no -f) and prints it with the \
            sidecar added to every Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job and \
            CronJob (and Lists of them). Everything else is printed byte for byte. A pod annotated \
            sluice.dev/inject: "false" is left alone; running it twice changes nothing.
            Example: sluice inject -f deploy.yaml | kubectl apply -f -
            """
    )

    @Option(name: [.customShort("f"), .long], help: "The manifest file, or - for stdin.")
    var filename: String = "-"

    @OptionGroup var sidecar: SidecarOptions

    func run() throws {
        let name = self.filename == "-" ? "<stdin>" : self.filename
        let text: String
        do {
            text = try Self.read(self.filename)
        } catch {
            throw CommandFailure(description: "\(name): cannot read: \(error)")
        }
        do {
            print(try ManifestInjector(settings: self.sidecar.settings(requireAnnotation: false)).inject(text), terminator: "")
        } catch {
            throw CommandFailure(description: error.line == nil ? "\(name): \(error)" : "\(name):\(error)")
        }
    }

    private static func read(_ filename: String) throws -> String {
        if filename == "-" {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            return text
        }
        return String(decoding: try Data(contentsOf: URL(fileURLWithPath: filename)), as: UTF8.self)
    }
}

/// The sidecar's shape, shared by `sluice inject` and `sluice webhook`.
struct SidecarOptions: ParsableArguments {
    @Option(help: "The Sluice image the sidecar runs.")
    var image: String = "\(InjectionSettings.defaultImageRepository):\(SluiceVersion.text)"

    @Option(help: "The sidecar's imagePullPolicy.")
    var imagePullPolicy: String = "IfNotPresent"

    @Option(help: "The ConfigMap with policy.yaml (a pod's sluice.dev/policy annotation overrides it).")
    var policyConfigmap: String = "sluice-policy"

    @Option(help: "The Secret with provider keys, mounted as files at /var/run/secrets/sluice.")
    var secret: String = "sluice-provider-keys"

    @Option(help: "The pod label that names the workload (SLUICE_WORKLOAD).")
    var workloadLabel: String = "app.kubernetes.io/name"

    @Option(help: "The policy's app port; app containers get OPENAI_BASE_URL=http://127.0.0.1:<port>/v1.")
    var appPort: Int = 4000

    @Option(help: "The policy's admin port, probed by the kubelet (bind the admin listener to 0.0.0.0).")
    var adminPort: Int = 9901

    @Option(help: "The sidecar's CPU request.")
    var cpuRequest: String = "50m"

    @Option(help: "The sidecar's memory request.")
    var memoryRequest: String = "64Mi"

    @Option(help: "The sidecar's CPU limit (empty: none). Sluice sizes its event loops to it.")
    var cpuLimit: String = "1"

    @Option(help: "The sidecar's memory limit.")
    var memoryLimit: String = "256Mi"

    func settings(requireAnnotation: Bool) -> InjectionSettings {
        InjectionSettings(
            image: self.image,
            imagePullPolicy: self.imagePullPolicy,
            policyConfigMap: self.policyConfigmap,
            secretName: self.secret,
            appPort: self.appPort,
            adminPort: self.adminPort,
            workloadLabel: self.workloadLabel,
            resources: .init(
                cpuRequest: self.cpuRequest,
                memoryRequest: self.memoryRequest,
                cpuLimit: self.cpuLimit.isEmpty ? nil : self.cpuLimit,
                memoryLimit: self.memoryLimit
            ),
            requireAnnotation: requireAnnotation
        )
    }
}

/// A failure ArgumentParser prints on stderr (`Error: …`) before exiting 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}
