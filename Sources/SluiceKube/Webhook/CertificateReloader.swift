#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOSSL
import Synchronization

/// The webhook's TLS identity, re-read when its files change, so a certificate that cert-manager
/// (or the chart, on upgrade) rotates in the mounted Secret is served without a restart.
///
/// Each new connection asks for the context; two `stat` calls tell whether the files changed (a
/// Secret mount swaps a symbolic link, which `stat` follows). A pair that fails to load is
/// reported once and the last good context keeps serving.
public final class CertificateReloader: Sendable {
    private struct Loaded {
        var fingerprint: [Int64]
        var context: NIOSSLContext
    }

    public let certificatePath: String
    public let keyPath: String
    private let loaded: Mutex<Loaded>
    private let onReloadError: @Sendable (String) -> Void

    /// Loads the pair now; throws when it cannot, so a bad start fails loudly.
    public init(certificatePath: String, keyPath: String, onReloadError: @escaping @Sendable (String) -> Void = { _ in }) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.onReloadError = onReloadError
        let fingerprint = Self.fingerprint(certificatePath, keyPath)
        self.loaded = Mutex(Loaded(fingerprint: fingerprint, context: try Self.load(certificatePath, keyPath)))
    }

    /// The context for a new connection.
    func context() -> NIOSSLContext {
        let now = Self.fingerprint(self.certificatePath, self.keyPath)
        return self.loaded.withLock { loaded in
            guard loaded.fingerprint != now else { return loaded.context }
            loaded.fingerprint = now
            do {
                loaded.context = try Self.load(self.certificatePath, self.keyPath)
            } catch {
                self.onReloadError("\(error)")
            }
            return loaded.context
        }
    }

    private static func load(_ certificatePath: String, _ keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        // Closing waits this long for the client's close_notify; the API server's idle pooled
        // connections never send one, and a drain should not wait out the 5 s default.
        configuration.shutdownTimeout = .seconds(1)
        return try NIOSSLContext(configuration: configuration)
    }

    private static func fingerprint(_ paths: String...) -> [Int64] {
        paths.flatMap { path -> [Int64] in
            var info = stat()
            guard stat(path, &info) == 0 else { return [-1] }
            return [Int64(info.st_dev), Int64(info.st_ino), Int64(info.st_size), Int64(info.st_mtim.tv_sec), Int64(info.st_mtim.tv_nsec)]
        }
    }
}
