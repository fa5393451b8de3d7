#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL
import NIOTLS

/// Opens connections to a provider: TCP with a connect timeout, then TLS with ALPN when the origin is
/// https, then the HTTP/1.1 or HTTP/2 pipeline that the handshake settled on.
enum UpstreamConnector {
    static func connect(
        to endpoint: UpstreamEndpoint,
        on eventLoop: any EventLoop,
        timers: LoopTimers,
        fieldStrings: HTTP1FieldStrings,
        flushes: LoopFlushes
    ) -> EventLoopFuture<UpstreamConnection> {
        let host = endpoint.key.host
        let handshake = eventLoop.makePromise(of: String?.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(endpoint.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let tlsContext = endpoint.tlsContext {
                        let serverName = IPAddressText.isIPAddress(host) ? nil : host
                        try sync.addHandler(NIOSSLClientHandler(context: tlsContext, serverHostname: serverName))
                        try sync.addHandler(TLSHandshakeWatcher(promise: handshake))
                    } else {
                        handshake.succeed(nil)
                    }
                }
            }
        let setupDeadline = eventLoop.assumeIsolated().scheduleTask(in: endpoint.connectTimeout) {
            handshake.fail(UpstreamError.timeout(host: host, phase: "connect", after: endpoint.connectTimeout))
        }
        return bootstrap.connect(host: host, port: endpoint.key.port)
            .flatMapErrorThrowing { error in
                setupDeadline.cancel()
                handshake.fail(error)
                throw Self.classify(error, host: host, endpoint: endpoint)
            }
            .flatMap { channel in
                handshake.futureResult.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw Self.classify(error, host: host, endpoint: endpoint)
                }.flatMapThrowing { negotiated in
                    setupDeadline.cancel()
                    return try Self.configure(
                        channel: channel, negotiated: negotiated, endpoint: endpoint, timers: timers,
                        fieldStrings: fieldStrings, flushes: flushes)
                }
            }
    }

    private static func configure(
        channel: any Channel,
        negotiated: String?,
        endpoint: UpstreamEndpoint,
        timers: LoopTimers,
        fieldStrings: HTTP1FieldStrings,
        flushes: LoopFlushes
    ) throws -> UpstreamConnection {
        let sync = channel.pipeline.syncOperations
        if negotiated == "h2" {
            let multiplexer = try sync.configureHTTP2Pipeline(
                mode: .client,
                connectionConfiguration: .init(),
                streamConfiguration: .init()
            ) { stream in
                // Servers may not open streams to us; refuse any that arrive (server push).
                stream.close()
            }
            return UpstreamConnection(channel: channel, mode: .http2(multiplexer))
        }
        // Our own HTTP/1.1 codec rather than NIO's encoder and decoder: a request leaves in one write, and
        // a response is read without a pipeline trip per part (HTTP1ClientCodec). Outbound headers are not
        // re-validated; see AppServer.configureHTTP1 for why that is safe.
        // Its flushes wait for the end of the loop turn, with the app connections' (FlushCoalescer says why).
        try sync.addHandler(FlushCoalescer(batch: flushes))
        let codec = HTTP1ClientCodec(fieldStrings: fieldStrings)
        try sync.addHandler(codec)
        let handler = UpstreamResponseHandler(
            host: endpoint.key.host, timers: timers, poolIdleTimeout: endpoint.idleTimeout)
        handler.requestWriter = codec
        try sync.addHandler(handler)
        codec.responseReader = handler
        return UpstreamConnection(channel: channel, mode: .http1(handler))
    }

    /// Maps a connect or handshake failure to what the app will be told.
    static func classify(_ error: any Error, host: String, endpoint: UpstreamEndpoint) -> UpstreamError {
        if let upstream = error as? UpstreamError { return upstream }
        let origin = endpoint.key.port == (endpoint.key.tls ? 443 : 80) ? host : "\(host):\(endpoint.key.port)"
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .timeout(host: origin, phase: "connect", after: endpoint.connectTimeout)
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls(host: origin, reason: TLSFailureText.describe(error))
        }
        if let connectionError = error as? NIOConnectionError {
            if connectionError.connectionErrors.isEmpty {
                return .connect(host: origin, reason: "the host name could not be resolved")
            }
            return .connect(host: origin, reason: Self.words(for: connectionError.connectionErrors[0].error))
        }
        return .connect(host: origin, reason: Self.words(for: error))
    }

    /// A short reason ("connection refused") rather than NIO's diagnostic text.
    static func words(for error: any Error) -> String {
        if let ioError = error as? IOError {
            let text = String(cString: strerror(ioError.errnoCode))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return "the connection timed out"
        }
        return "\(error)"
    }
}

/// Completes the setup promise when the TLS handshake ends, with the ALPN protocol, or with its failure.
final class TLSHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let promise: EventLoopPromise<String?>
    private var done = false

    init(promise: EventLoopPromise<String?>) {
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted(let negotiated) = tlsEvent, !self.done {
            self.done = true
            self.promise.succeed(negotiated)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !self.done {
            self.done = true
            self.promise.fail(error)
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !self.done {
            self.done = true
            self.promise.fail(ChannelError.eof)
        }
        context.fireChannelInactive()
    }
}

/// Words for a failed TLS handshake that tell an operator what to fix.
enum TLSFailureText {
    static func describe(_ error: any Error) -> String {
        let detail = "\(error)"
        if detail.contains("CERTIFICATE_VERIFY_FAILED") || detail.contains("certificate verify failed") {
            return "its certificate chain does not lead to a trusted CA (\(detail)); if a private CA signed it, set tls.ca_file on the provider"
        }
        if error is NIOSSLExtraError {
            return "its certificate does not match the host name (\(detail))"
        }
        return "the TLS handshake failed (\(detail))"
    }
}

/// Tells host names from IP literals (SNI must not carry an IP address).
enum IPAddressText {
    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isNumber) && (Int(part) ?? 256) <= 255
        }
    }
}
