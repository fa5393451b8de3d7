import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for whole-path tests: one keep-alive connection, requests in sequence, and
/// the response body observed chunk by chunk as it arrives.
final class TestClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        /// Whether the response ended properly (not cut).
        var complete: Bool
    }

    private let channel: any Channel
    private let collector: ResponseCollector

    init(port: Int, group: any EventLoopGroup) async throws {
        let collector = ResponseCollector()
        self.collector = collector
        self.channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// Sends a request; `onChunk` sees every body chunk as it is read.
    func send(
        _ method: HTTPMethod = .POST,
        _ path: String,
        body: String? = nil,
        headers: [(String, String)] = [],
        onChunk: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> Response {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: HTTPHeaders(headers))
        head.headers.add(name: "host", value: "localhost")
        if let body {
            head.headers.add(name: "content-type", value: "application/json")
            head.headers.add(name: "content-length", value: String(body.utf8.count))
        }
        let promise = self.channel.eventLoop.makePromise(of: Response.self)
        self.collector.expect(promise, onChunk: onChunk)
        self.channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body { self.channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: body))), promise: nil) }
        self.channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return try await promise.futureResult.get()
    }

    func close() async {
        try? await self.channel.close()
    }
}

private final class ResponseCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart

    private struct Pending {
        var promise: EventLoopPromise<TestClient.Response>
        var onChunk: @Sendable (String) -> Void
        var response = TestClient.Response(status: 0, headers: [:], body: "", complete: false)
    }
    private let pending = NIOLockedValueBox<Pending?>(nil)

    func expect(_ promise: EventLoopPromise<TestClient.Response>, onChunk: @escaping @Sendable (String) -> Void) {
        self.pending.withLockedValue { $0 = Pending(promise: promise, onChunk: onChunk) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.pending.withLockedValue {
                $0?.response.status = Int(head.status.code)
                $0?.response.headers = head.headers
            }
        case .body(let buffer):
            let text = String(buffer: buffer)
            let onChunk = self.pending.withLockedValue { pending -> (@Sendable (String) -> Void)? in
                pending?.response.body += text
                return pending?.onChunk
            }
            onChunk?(text)
        case .end:
            let finished = self.pending.withLockedValue { pending -> Pending? in
                defer { pending = nil }
                return pending
            }
            if var finished {
                finished.response.complete = true
                finished.promise.succeed(finished.response)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let finished = self.pending.withLockedValue { pending -> Pending? in
            defer { pending = nil }
            return pending
        }
        finished?.promise.succeed(finished!.response)
    }
}
