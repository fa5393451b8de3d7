import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Testing

@testable import SluiceProxy

/// Keeps the frames a client's NIO handler reads.
final class FrameCollector: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    var frames: [HTTP2Frame] = []
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.frames.append(self.unwrapInboundIn(data))
    }
}

/// Sluice's h2c pipeline (flush coalescer, splicer, NIO's server handler, the connection) and an NIO
/// client, joined byte for byte, in embedded channels.
final class H2CPair {
    let server = EmbeddedChannel()
    let client = EmbeddedChannel()
    let collector = FrameCollector()
    var streams: [HTTP2StreamID: HTTP2AppConnectionTests.Recorder] = [:]
    /// Every byte the server sent.
    var wire = ByteBuffer()

    init(clientSettings: HTTP2Settings = nioDefaultSettings, drainTimeout: TimeAmount = .seconds(20)) throws {
        let splicer = HTTP2HeaderSplicer()
        let connection = HTTP2AppConnection(splicer: splicer, drainTimeout: drainTimeout) { [unowned self] stream in
            let recorder = HTTP2AppConnectionTests.Recorder(app: stream)
            self.streams[stream.id] = recorder
            return recorder
        }
        var serverConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        serverConfiguration.headerBlockValidation = .disabled
        // As in AppServer: flushes wait for the end of the loop turn (run by exchange()).
        try self.server.pipeline.syncOperations.addHandler(
            FlushCoalescer(batch: LoopFlushes(eventLoop: self.server.embeddedEventLoop)))
        try self.server.pipeline.syncOperations.addHandler(splicer)
        try self.server.pipeline.syncOperations.addHandler(
            NIOHTTP2Handler(mode: .server, frameDelegate: connection, connectionConfiguration: serverConfiguration))
        try self.server.pipeline.syncOperations.addHandler(connection)
        var clientConfiguration = NIOHTTP2Handler.ConnectionConfiguration()
        clientConfiguration.initialSettings = clientSettings
        try self.client.pipeline.syncOperations.addHandler(
            NIOHTTP2Handler(mode: .client, connectionConfiguration: clientConfiguration))
        try self.client.pipeline.syncOperations.addHandler(self.collector)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try self.client.connect(to: address).wait()
        try self.server.connect(to: address).wait()
        try self.exchange()
    }

    /// Moves bytes each way until neither side has any to send, running each side's loop tasks between.
    func exchange() throws {
        var moved = true
        while moved {
            moved = false
            self.server.embeddedEventLoop.run()
            self.client.embeddedEventLoop.run()
            while let data = try self.client.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let bytes) = data else { continue }
                try self.server.writeInbound(bytes)
                moved = true
            }
            while let data = try self.server.readOutbound(as: IOData.self) {
                guard case .byteBuffer(let bytes) = data else { continue }
                self.wire.writeImmutableBuffer(bytes)
                try self.client.writeInbound(bytes)
                moved = true
            }
        }
    }

    /// The header blocks of the HEADERS frames the server sent, as bytes.
    func sentBlocks() -> [[UInt8]] {
        var wire = self.wire
        var blocks: [[UInt8]] = []
        while let header = wire.readBytes(length: 9) {
            let length = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
            guard let payload = wire.readBytes(length: length) else { break }
            if header[3] == 0x1 { blocks.append(payload) }
        }
        return blocks
    }

    /// Sends a GET on stream `id`; returns the stream the server opened for it.
    @discardableResult
    func open(_ id: HTTP2StreamID) throws -> HTTP2AppStream {
        let request = HPACKHeaders([(":method", "GET"), (":scheme", "http"), (":path", "/v1/models")])
        let frame = HTTP2Frame(streamID: id, payload: .headers(.init(headers: request, endStream: true)))
        self.client.writeAndFlush(frame, promise: nil)
        try self.exchange()
        return try #require(self.streams[id]).app
    }

    /// Answers stream `id` with `head` and a small body.
    func respond(_ head: HTTPResponseHead, on id: HTTP2StreamID) throws {
        let app = try #require(self.streams[id]).app
        app.write(.head(head))
        app.write(.body(.byteBuffer(ByteBuffer(string: "{}"))))
        app.writeEnd(closing: false)
        try self.exchange()
    }

    /// Sends a GET on stream `id` and answers it with `head` and a small body; returns the answer's
    /// header block as the client decoded it.
    func answer(_ head: HTTPResponseHead, on id: HTTP2StreamID) throws -> HPACKHeaders {
        try self.open(id)
        try self.respond(head, on: id)
        let blocks = self.collector.frames.compactMap { frame -> HPACKHeaders? in
            guard frame.streamID == id, case .headers(let headers) = frame.payload else { return nil }
            return headers.headers
        }
        return try #require(blocks.first)
    }
}
