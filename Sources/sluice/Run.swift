import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import ServiceLifecycle
import SluicePolicy
import SluicePostgres
import SluiceProxy
import UnixSignals

/// `sluice run`: serves the app API under a policy until SIGTERM or SIGINT, then drains and exits 0.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the gateway.")

    @Option(name: .long, help: "The policy file (default: $SLUICE_POLICY, else the embedded quickstart policy).")
    var policy: String?

    @Option(name: .long, help: "This sidecar's workload (default: $SLUICE_WORKLOAD).")
    var workload: String?

    func run() async throws {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        // Lines logged on event loops wait for the end of the loop's turn; none may be left behind.
        defer { JSONLogHandler.flush() }
        var logger = Logger(label: "sluice")
        let environment = ProcessInfo.processInfo.environment
        let path = self.policy ?? environment["SLUICE_POLICY"]
        // An empty SLUICE_WORKLOAD (a pod without the label) means no workload, not one named "".
        let workload = (self.workload ?? environment["SLUICE_WORKLOAD"]).flatMap { $0.isEmpty ? nil : $0 }
        if let workload {
            logger[metadataKey: "sidecar_workload"] = .string(workload)
        }
        let loaded: LoadedPolicy
        do {
            if let path {
                loaded = try PolicyLoader.load(path: path)
            } else {
                loaded = try PolicyLoader.load(yaml: QuickstartPolicy.yaml, file: "<quickstart>", environment: .process)
            }
        } catch {
            for issue in error.issues {
                logger.error("policy error", metadata: ["problem": .string(issue.description)])
            }
            throw ExitCode(1)
        }
        let gateway: Gateway
        do {
            let store = try loaded.limitsStoreURL.map { url in
                try PostgresLimitStore(url: url.value)
            }
            gateway = try Gateway(loaded: loaded, workload: workload, logger: logger, limitStore: store)
        } catch {
            logger.error("policy error", metadata: ["problem": .string("\(path ?? "<quickstart>"): \(error)")])
            throw ExitCode(1)
        }
        logger.info("starting", metadata: ["policy": .string(path ?? "<quickstart>"), "version": .string(SluiceVersion.text)])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: gateway)]
        if let path {
            // Trapped before the gateway starts, so a SIGHUP sent as soon as it reports ready reloads
            // instead of ending the process.
            let sighup = await UnixSignalsSequence(trapping: .sighup)
            services.append(.init(service: PolicyReloader(path: path, gateway: gateway, sighup: sighup)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            logger.error("stopped on error", metadata: ["error": .string("\(error)")])
            throw ExitCode(1)
        }
    }
}
