import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The app-facing listener: HTTP/1.1 and h2c on one plaintext port.
///
/// Each accepted connection starts with an ``HTTPVersionSniffer``; HTTP/1.1 connections get an
/// ``HTTP1ServerCodec`` and one ``RequestHandler``, HTTP/2 connections get NIO's HTTP/2 handler and an
/// ``HTTP2AppConnection`` that serves each stream with a ``RequestHandler`` of its own and drains the
/// connection with GOAWAY on shutdown.
/// Both kinds make their flushes at the end of the loop turn (``FlushCoalescer``).
enum AppServer {
    static func bind(
        host: String,
        port: Int,
        group: any EventLoopGroup,
        gateway: GatewayState,
        quiescing: ServerQuiescingHelper,
        drainTimeout: TimeAmount
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sniffer = HTTPVersionSniffer { channel, version in
                        let loop = gateway.loopContext(for: channel.eventLoop)
                        switch version {
                        case .http1:
                            try configureHTTP1(channel: channel, gateway: gateway, loop: loop)
                        case .http2:
                            try configureHTTP2(channel: channel, gateway: gateway, loop: loop, drainTimeout: drainTimeout)
                        }
                    }
                    try channel.pipeline.syncOperations.addHandler(sniffer)
                }
            }
            .bind(host: host, port: port)
            .get()
    }

    private static func configureHTTP1(channel: any Channel, gateway: GatewayState, loop: LoopContext) throws {
        let sync = channel.pipeline.syncOperations
        // Our own codec rather than NIO's decoder and encoder (HTTP1ServerCodec says why), and nothing
        // between it and the handler: RequestHandler queues the rare pipelined request itself (NIO's
        // pipelining handler paused reading around every request), and answers a request that is not HTTP
        // in OpenAI's envelope (NIO's error handler wrote an empty 400). Outbound headers are not validated
        // again: the values Sluice writes are either parsed from a peer already or checked where they enter
        // (a model name or secret with a control character is refused: ScannedRequest, the policy decoder).
        try sync.addHandler(FlushCoalescer(batch: loop.flushes))
        try sync.addHandler(HTTP1ServerCodec(fieldStrings: loop.fieldStrings))
        try sync.addHandler(RequestHandler(gateway: gateway, loop: loop, protocolName: "HTTP/1.1"))
    }

    private static func configureHTTP2(
        channel: any Channel,
        gateway: GatewayState,
        loop: LoopContext,
        drainTimeout: TimeAmount
    ) throws {
        let sync = channel.pipeline.syncOperations
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 256),
        ]
        // HTTP2AppStream checks each request header block while it reads it; NIO's own check would walk
        // every block again, and every answer block Sluice builds itself.
        connection.headerBlockValidation = .disabled
        // No stream multiplexer: the connection handler serves each stream without a channel of its own.
        let splicer = HTTP2HeaderSplicer()
        let connectionHandler = HTTP2AppConnection(
            splicer: splicer, drainTimeout: drainTimeout, logger: gateway.logger
        ) { stream in
            RequestHandler(gateway: gateway, loop: loop, protocolName: "HTTP/2", app: stream)
        }
        try sync.addHandler(FlushCoalescer(batch: loop.flushes))
        try sync.addHandler(splicer)
        try sync.addHandler(
            NIOHTTP2Handler(
                mode: .server,
                frameDelegate: connectionHandler,
                connectionConfiguration: connection,
                streamConfiguration: .init()
            )
        )
        try sync.addHandler(connectionHandler)
    }
}
