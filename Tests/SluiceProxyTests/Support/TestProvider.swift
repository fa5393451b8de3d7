import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-test OpenAI-compatible provider on 127.0.0.1:0 that answers with whatever the test scripts,
/// records every request it received, and counts the connections it accepted.
final class TestProvider: Sendable {
    struct Received: Sendable {
        var head: HTTPRequestHead
        var body: String
    }

    /// How the provider answers one request.
    enum Reply: Sendable {
        /// Status, headers and body chunks, each written and flushed on its own.
        case chunks(status: Int, headers: [(String, String)], chunks: [String])
        /// Never answer.
        case silence
        /// Close the connection without answering.
        case hangUp
        /// Send the head and these chunks, then close the connection without ending the response.
        case cut(headers: [(String, String)], chunks: [String])
        /// Send the head and the first chunk, then each next chunk only when the test releases it; the end
        /// follows the last chunk at once.
        case gated(headers: [(String, String)], chunks: [String], gate: Gate)
    }

    let group: MultiThreadedEventLoopGroup
    private let state = NIOLockedValueBox<(received: [Received], connections: Int)>(([], 0))
    private let replyFor: @Sendable (HTTPRequestHead, String) -> Reply
    private let channel: any Channel

    var port: Int { self.channel.localAddress!.port! }
    var received: [Received] { self.state.withLockedValue { $0.received } }
    var acceptedConnections: Int { self.state.withLockedValue { $0.connections } }

    init(reply: @escaping @Sendable (HTTPRequestHead, String) -> Reply) throws {
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.replyFor = reply
        let state = self.state
        let replyFor = reply
        self.channel = try ServerBootstrap(group: self.group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.withLockedValue { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ProviderHandler(state: state, reply: replyFor))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    /// A provider that answers every request 200 with `{}`.
    static func answeringEmptyObject() throws -> TestProvider {
        try TestProvider { _, _ in .chunks(status: 200, headers: [("content-length", "2")], chunks: ["{}"]) }
    }

    func stop() {
        try? self.channel.close().wait()
        try? self.group.syncShutdownGracefully()
    }

    /// Lets a gated reply send its next chunk.
    final class Gate: Sendable {
        private let waiting = NIOLockedValueBox<[@Sendable () -> Void]>([])
        private let opened = NIOLockedValueBox(0)

        func open() {
            let next: (@Sendable () -> Void)? = self.waiting.withLockedValue { $0.isEmpty ? nil : $0.removeFirst() }
            if let next { next() } else { self.opened.withLockedValue { $0 += 1 } }
        }

        func whenOpen(_ action: @escaping @Sendable () -> Void) {
            let ready = self.opened.withLockedValue { count -> Bool in
                if count > 0 { count -= 1; return true }
                return false
            }
            if ready { action() } else { self.waiting.withLockedValue { $0.append(action) } }
        }
    }
}

private final class ProviderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let state: NIOLockedValueBox<(received: [TestProvider.Received], connections: Int)>
    let reply: @Sendable (HTTPRequestHead, String) -> TestProvider.Reply
    var head: HTTPRequestHead?
    var body = ""

    init(
        state: NIOLockedValueBox<(received: [TestProvider.Received], connections: Int)>,
        reply: @escaping @Sendable (HTTPRequestHead, String) -> TestProvider.Reply
    ) {
        self.state = state
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = ""
        case .body(let buffer):
            self.body += String(buffer: buffer)
        case .end:
            guard let head = self.head else { return }
            self.state.withLockedValue { $0.received.append(.init(head: head, body: self.body)) }
            self.answer(self.reply(head, self.body), context: context)
        }
    }

    private func answer(_ reply: TestProvider.Reply, context: ChannelHandlerContext) {
        switch reply {
        case .silence:
            return
        case .hangUp:
            context.close(promise: nil)
        case .cut(let headers, let chunks):
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders(headers))
            context.write(self.wrapOutboundOut(.head(head)), promise: nil)
            for chunk in chunks {
                context.write(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: chunk)))), promise: nil)
            }
            context.flush()
            context.close(promise: nil)
        case .chunks(let status, let headers, let chunks):
            let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: HTTPHeaders(headers))
            context.writeAndFlush(self.wrapOutboundOut(.head(head)), promise: nil)
            for chunk in chunks {
                context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: chunk)))), promise: nil)
            }
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        case .gated(let headers, let chunks, let gate):
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: HTTPHeaders(headers))
            context.write(self.wrapOutboundOut(.head(head)), promise: nil)
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            @Sendable func send(_ index: Int) {
                let (handler, context) = bound.value
                context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: chunks[index])))), promise: nil)
                if index == chunks.count - 1 {
                    context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                } else {
                    gate.whenOpen { loop.execute { send(index + 1) } }
                }
            }
            send(0)
        }
    }
}
