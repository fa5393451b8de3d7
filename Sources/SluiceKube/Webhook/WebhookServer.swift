import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The admission webhook's HTTPS listener. Off any hot path (the API server calls it once per pod
/// creation), so it is written with `NIOAsyncChannel` and structured concurrency.
///
/// Its duties, in order: accept TLS connections with the current certificate; read one request
/// at a time (bodies up to ``WebhookRouter/maxBodyBytes``); answer through the router; and on
/// ``drain()`` stop accepting, close idle connections, let each busy one finish its answer and
/// close, then return from ``run(onBound:)``.
public final class WebhookServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private struct State {
        var listener: (any Channel)?
        var connections: [ObjectIdentifier: (channel: any Channel, busy: Bool)] = [:]
        var draining = false
    }

    public let host: String
    public let port: Int
    private let certificates: CertificateReloader
    private let router: WebhookRouter
    private let state = Mutex(State())

    public init(host: String, port: Int, certificates: CertificateReloader, router: WebhookRouter) {
        self.host = host
        self.port = port
        self.certificates = certificates
        self.router = router
    }

    /// Binds, calls `onBound` with the bound port (useful with port 0), and serves until
    /// ``drain()`` has been called and the last busy connection has answered.
    public func run(onBound: @Sendable (Int) -> Void = { _ in }) async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .bind(host: self.host, port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: self.certificates.context()))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let drainingAlready = self.state.withLock { state in
            state.listener = listener.channel
            return state.draining
        }
        if drainingAlready { listener.channel.close(promise: nil) }
        onBound(listener.channel.localAddress?.port ?? self.port)
        try await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await self.handle(connection) }
                }
            }
        }
    }

    /// Starts a graceful shutdown: `/readyz` turns 503, no new connections, idle ones closed,
    /// busy ones closed after their answer.
    public func drain() {
        let toClose: [any Channel] = self.state.withLock { state in
            state.draining = true
            let idle = state.connections.values.filter { !$0.busy }.map(\.channel)
            return (state.listener.map { [$0] } ?? []) + idle
        }
        for channel in toClose { channel.close(promise: nil) }
    }

    /// Whether ``drain()`` has been called.
    public var isDraining: Bool { self.state.withLock { $0.draining } }

    private func handle(_ connection: Connection) async {
        let id = ObjectIdentifier(connection.channel)
        let admitted = self.state.withLock { state in
            guard !state.draining else { return false }
            state.connections[id] = (connection.channel, false)
            return true
        }
        guard admitted else {
            try? await connection.channel.close()
            return
        }
        defer { _ = self.state.withLock { $0.connections.removeValue(forKey: id) } }
        // A failed TLS handshake or a client that goes away ends this connection only.
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body.removeAll(keepingCapacity: true)
                    tooLarge = false
                    self.setBusy(id, true)
                case .body(let buffer):
                    if body.count + buffer.readableBytes > WebhookRouter.maxBodyBytes {
                        tooLarge = true
                    } else if !tooLarge {
                        body.append(contentsOf: buffer.readableBytesView)
                    }
                case .end:
                    guard let requestHead = head else { continue }
                    let draining = self.isDraining
                    let response =
                        tooLarge
                        ? WebhookRouter.Response.text(413, "request body larger than \(WebhookRouter.maxBodyBytes) bytes\n")
                        : self.router.route(method: requestHead.method.rawValue, uri: requestHead.uri, body: body, draining: draining)
                    let keepAlive = requestHead.isKeepAlive && !draining && !tooLarge
                    var headers = HTTPHeaders()
                    headers.add(name: "content-type", value: response.contentType)
                    headers.add(name: "content-length", value: String(response.body.count))
                    if !keepAlive { headers.add(name: "connection", value: "close") }
                    let status = HTTPResponseStatus(statusCode: response.status)
                    try await outbound.write(.head(HTTPResponseHead(version: requestHead.version, status: status, headers: headers)))
                    if requestHead.method != .HEAD {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    }
                    try await outbound.write(.end(nil))
                    head = nil
                    if !self.setBusy(id, false) || !keepAlive { return }
                }
            }
        }
    }

    /// Marks a connection busy or idle; false when the server is draining (close it now).
    @discardableResult
    private func setBusy(_ id: ObjectIdentifier, _ busy: Bool) -> Bool {
        self.state.withLock { state in
            state.connections[id]?.busy = busy
            return !state.draining
        }
    }
}
