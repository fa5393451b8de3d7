import ArgumentParser
import Logging
import ServiceLifecycle
import SluiceKube
#if canImport(SluiceProxy)
import SluiceProxy
#endif
import UnixSignals

/// `sluice webhook`: the mutating admission webhook that injects the sidecar into new pods.
struct Webhook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the Kubernetes mutating admission webhook that injects the Sluice sidecar.",
        discussion: """
            Serves POST /mutate (AdmissionReview v1 in, a JSON Patch out, built by the same code as \
            `sluice inject`), GET /healthz and GET /readyz over TLS. The certificate files are \
            re-read when they change. SIGTERM or SIGINT: /readyz turns 503, idle connections \
            close, answers in flight finish, then it exits 0.
            """
    )

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen: String = "0.0.0.0:8443"

    @Option(help: "PEM certificate (chain) file.")
    var cert: String

    @Option(help: "PEM private key file.")
    var key: String

    @Flag(help: "Inject only pods annotated sluice.dev/inject: \"true\" (else every pod the namespaceSelector sends).")
    var requireAnnotation = false

    @OptionGroup var sidecar: SidecarOptions

    func run() async throws {
        #if canImport(SluiceProxy)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        // Lines logged on event loops wait for the end of the loop's turn; none may be left behind.
        defer { JSONLogHandler.flush() }
        #endif
        let logger = Logger(label: "sluice.webhook")
        guard let colon = self.listen.lastIndex(of: ":"), let port = Int(self.listen[self.listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw CommandFailure(description: "--listen: expected HOST:PORT, got '\(self.listen)'")
        }
        let host = String(self.listen[..<colon]).trimmingBrackets
        let certificates: CertificateReloader
        do {
            certificates = try CertificateReloader(certificatePath: self.cert, keyPath: self.key) { problem in
                logger.error("certificate reload failed; serving the previous one", metadata: ["error": .string(problem)])
            }
        } catch {
            throw CommandFailure(description: "cannot load --cert \(self.cert) / --key \(self.key): \(error)")
        }
        let handler = AdmissionReviewHandler(settings: self.sidecar.settings(requireAnnotation: self.requireAnnotation))
        let server = WebhookServer(host: host, port: port, certificates: certificates, router: WebhookRouter(handler: handler))
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: WebhookService(server: server, logger: logger))],
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

/// The webhook server as a swift-service-lifecycle service: graceful shutdown drains it.
private struct WebhookService: Service {
    let server: WebhookServer
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await self.server.run { port in
                self.logger.info(
                    "listening",
                    metadata: ["listener": "webhook", "address": .string("\(self.server.host):\(port)")]
                )
                self.logger.info("ready", metadata: ["version": .string(SluiceVersion.text)])
            }
        } onGracefulShutdown: {
            self.logger.info("draining")
            self.server.drain()
        }
        self.logger.info("stopped")
    }
}

extension String {
    /// `[::]` as `::`, for an IPv6 `--listen`.
    fileprivate var trimmingBrackets: String {
        self.hasPrefix("[") && self.hasSuffix("]") ? String(self.dropFirst().dropLast()) : self
    }
}
