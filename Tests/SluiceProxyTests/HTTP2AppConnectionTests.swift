import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import SluiceLLM
import Testing

@testable import SluiceProxy

@Suite("HTTP/2 request header blocks: read into a request head, malformed ones refused by name")
struct HTTP2RequestBlockTests {
    private static func block(_ fields: [(String, String)]) -> HPACKHeaders { HPACKHeaders(fields) }

    private static let chat: [(String, String)] = [
        (":method", "POST"), (":scheme", "http"), (":authority", "127.0.0.1:8080"), (":path", "/v1/chat/completions"),
        ("content-type", "application/json"), ("content-length", "42"), ("authorization", "Bearer app"),
    ]

    @Test("a chat request: method, target, version 2, host from :authority, fields in order")
    func readsRequest() throws {
        let head = try HTTP2RequestBlock.requestHead(Self.block(Self.chat), endStream: false)
        #expect(head.method == .POST)
        #expect(head.uri == "/v1/chat/completions")
        #expect(head.version == HTTPVersion(major: 2, minor: 0))
        #expect(head.headers.map(\.name) == ["content-type", "content-length", "authorization", "host"])
        #expect(head.headers["host"] == ["127.0.0.1:8080"])
    }

    @Test("framing an HTTP/1 reader expects: chunked when a body follows, length 0 when none, none for GET")
    func addsFraming() throws {
        let noLength = Self.chat.filter { $0.0 != "content-length" }
        let streamed = try HTTP2RequestBlock.requestHead(Self.block(noLength), endStream: false)
        #expect(streamed.headers["transfer-encoding"] == ["chunked"])
        #expect(streamed.headers["content-length"].isEmpty)
        let empty = try HTTP2RequestBlock.requestHead(Self.block(noLength), endStream: true)
        #expect(empty.headers["content-length"] == ["0"])
        #expect(empty.headers["transfer-encoding"].isEmpty)
        let get = try HTTP2RequestBlock.requestHead(
            Self.block([(":method", "GET"), (":scheme", "http"), (":path", "/v1/models"), ("host", "sluice")]),
            endStream: true)
        #expect(get.method == .GET)
        #expect(get.headers.map(\.name) == ["host"])
        #expect(get.headers["host"] == ["sluice"])
    }

    /// A valid request's pseudo-headers and then `field`.
    private static func request(_ field: (String, String), method: String = "GET") -> [(String, String)] {
        [(":method", method), (":scheme", "http"), (":path", "/"), field]
    }

    /// A malformed block and the cause it is refused for.
    private static let refusals: [([(String, String)], String)] = [
        ([(":scheme", "http"), (":path", "/")], "no :method pseudo-header"),
        ([(":method", "GET"), (":scheme", "http")], "no :path pseudo-header"),
        ([(":method", "GET"), (":path", "/")], "no :scheme pseudo-header"),
        ([(":method", "GET"), (":scheme", "http"), (":path", "")], "empty :path pseudo-header"),
        (
            [(":method", "GET"), (":path", "/"), (":path", "/x"), (":scheme", "http")],
            "pseudo-header :path given twice"
        ),
        ([(":method", "GET"), (":status", "200")], "unknown pseudo-header :status"),
        ([(":method", "GET"), ("accept", "*/*"), (":path", "/")], "pseudo-header :path after a regular field"),
        ([(":method", "GET"), (":path", "/a b")], "pseudo-header :path has a space or control character in its value"),
        (request(("Accept", "*/*")), "field name \"Accept\" is not a lowercase token"),
        (request(("x y", "1")), "field name \"x y\" is not a lowercase token"),
        (request(("x-a", "1\r\nx-b: 2")), "field x-a has a NUL, CR or LF in its value"),
        (request(("connection", "close")), "connection-specific field connection is not allowed in HTTP/2"),
        (
            request(("transfer-encoding", "chunked"), method: "POST"),
            "connection-specific field transfer-encoding is not allowed in HTTP/2"
        ),
        (request(("te", "gzip")), "te may only be \"trailers\" in HTTP/2"),
    ]

    @Test("each malformed block is refused with its cause", arguments: Self.refusals)
    func refuses(refusal: ([(String, String)], String)) {
        let (fields, reason) = refusal
        #expect(throws: HTTP2HeaderError(reason: reason)) {
            try HTTP2RequestBlock.requestHead(Self.block(fields), endStream: true)
        }
    }

    @Test("te: trailers is allowed")
    func allowsTETrailers() throws {
        let head = try HTTP2RequestBlock.requestHead(Self.block(Self.chat + [("te", "trailers")]), endStream: false)
        #expect(head.headers["te"] == ["trailers"])
    }

    @Test("trailers: regular fields only")
    func readsTrailers() throws {
        #expect(try HTTP2RequestBlock.trailers(Self.block([("x-checksum", "1")])).map(\.name) == ["x-checksum"])
        #expect(throws: HTTP2HeaderError(reason: "pseudo-header :path in trailers")) {
            try HTTP2RequestBlock.trailers(Self.block([(":path", "/")]))
        }
    }
}

@Suite("HTTP/2 app connection: a stream's frames to request parts, its answer to frames, flow control")
struct HTTP2AppConnectionTests {
    static let request = HPACKHeaders([
        (":method", "POST"), (":scheme", "http"), (":path", "/v1/chat/completions"), ("content-length", "2"),
    ])
    static let one = HTTP2StreamID(1)

    /// Serves a stream by keeping what it is told.
    final class Recorder: AppStreamServer {
        let app: HTTP2AppStream
        var parts: [HTTPServerRequestPart] = []
        var refusals: [(SluiceError, String?, String?)] = []
        var wentAway = 0
        var writable = 0
        init(app: HTTP2AppStream) { self.app = app }
        func process(_ part: HTTPServerRequestPart) { self.parts.append(part) }
        func refuseUnreadable(_ error: SluiceError, method: String?, path: String?) {
            self.refusals.append((error, method, path))
        }
        func appWritabilityChanged() { self.writable += 1 }
        func appWentAway() { self.wentAway += 1 }
    }

    /// A connection in an embedded channel, and the servers it made, by stream id.
    final class Harness {
        var servers: [HTTP2StreamID: Recorder] = [:]
        var connection: HTTP2AppConnection!
        let channel = EmbeddedChannel()

        init() throws {
            self.connection = HTTP2AppConnection { [unowned self] stream in
                let recorder = Recorder(app: stream)
                self.servers[stream.id] = recorder
                return recorder
            }
            try self.channel.pipeline.syncOperations.addHandler(self.connection)
        }

        func send(_ payload: HTTP2Frame.FramePayload, on stream: HTTP2StreamID = HTTP2AppConnectionTests.one) throws {
            try self.channel.writeInbound(HTTP2Frame(streamID: stream, payload: payload))
        }

        func sent() throws -> [HTTP2Frame] {
            var frames: [HTTP2Frame] = []
            while let frame = try self.channel.readOutbound(as: HTTP2Frame.self) { frames.append(frame) }
            return frames
        }

        subscript(_ id: HTTP2StreamID) -> Recorder { self.servers[id]! }

        /// Opens stream `id` with a request (whole, or still sending its body) and writes its answer's head.
        func answering(
            _ id: HTTP2StreamID = HTTP2AppConnectionTests.one, status: HTTPResponseStatus = .ok,
            headers: HTTPHeaders = [:], requestEnds: Bool = true
        ) throws -> HTTP2AppStream {
            try self.send(.headers(.init(headers: HTTP2AppConnectionTests.request, endStream: requestEnds)), on: id)
            let app = self[id].app
            app.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
            return app
        }

        /// The frames written since the last look, which must be HEADERS and two DATA frames.
        func headersAndTwoData() throws -> (
            HTTP2Frame.FramePayload.Headers, HTTP2Frame.FramePayload.Data, HTTP2Frame.FramePayload.Data
        ) {
            let frames = try self.sent().map(\.payload)
            guard frames.count == 3, case .headers(let head) = frames[0], case .data(let first) = frames[1],
                case .data(let second) = frames[2]
            else { throw FrameMismatch(description: "expected HEADERS and two DATA frames, got \(frames)") }
            return (head, first, second)
        }

        struct FrameMismatch: Error, CustomStringConvertible { var description: String }

        /// What NIO's handler tells the connection once `bytes` of stream `id`'s DATA left for the socket.
        func socketTook(_ bytes: Int, of id: HTTP2StreamID = HTTP2AppConnectionTests.one, endStream: Bool = false) {
            let data = HTTP2Frame.FramePayload.Data(data: .byteBuffer(ByteBuffer(repeating: 0, count: bytes)), endStream: endStream)
            self.connection.wroteFrame(HTTP2Frame(streamID: id, payload: .data(data)))
        }
    }

    @Test("HEADERS, DATA and the end of the stream become head, body and end, each stream to its own server")
    func readsStreams() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        try h.send(.headers(.init(headers: Self.request, endStream: true)), on: HTTP2StreamID(3))
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "{")))))
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "}")), endStream: true)))
        guard case .head(let head) = h[Self.one].parts.first else {
            Issue.record("no head")
            return
        }
        #expect(head.uri == "/v1/chat/completions")
        #expect(Array(h[Self.one].parts.dropFirst()) == [.body(ByteBuffer(string: "{")), .body(ByteBuffer(string: "}")), .end(nil)])
        // A HEADERS frame that ends the stream is head and end.
        #expect(h[HTTP2StreamID(3)].parts.count == 2)
        #expect(h[HTTP2StreamID(3)].parts.last == .end(nil))
        _ = try h.channel.finish()
    }

    @Test("an empty final DATA frame is end alone; trailers end the request")
    func readsEmptyEndAndTrailers() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
        #expect(Array(h[Self.one].parts.dropFirst()) == [.end(nil)])

        try h.send(.headers(.init(headers: Self.request)), on: HTTP2StreamID(3))
        try h.send(.headers(.init(headers: HPACKHeaders([("x-sum", "1")]), endStream: true)), on: HTTP2StreamID(3))
        guard case .end(let trailers?) = h[HTTP2StreamID(3)].parts.last else {
            Issue.record("no trailers")
            return
        }
        #expect(trailers["x-sum"] == ["1"])
        _ = try h.channel.finish()
    }

    @Test("a second block that does not end the stream resets it with PROTOCOL_ERROR; its server is told")
    func resetsOnSecondOpenBlock() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        try h.send(.headers(.init(headers: HPACKHeaders([("x-sum", "1")]))))
        #expect(h[Self.one].parts.count == 1)
        #expect(h[Self.one].wentAway == 1)
        let frames = try h.sent()
        #expect(frames.count == 1)
        #expect(frames.first?.streamID == Self.one)
        guard case .rstStream(let code) = frames.first?.payload else {
            Issue.record("no RST_STREAM: \(frames)")
            return
        }
        #expect(code == .protocolError)

        // Also when the answer has ended already: the request still arriving is stopped.
        let three = HTTP2StreamID(3)
        try h.answering(three, status: .notFound, requestEnds: false).writeEnd(closing: false)
        _ = try h.sent()
        try h.send(.headers(.init(headers: HPACKHeaders([("x-sum", "1")]))), on: three)
        guard case .rstStream(.protocolError) = try h.sent().last?.payload else {
            Issue.record("no RST_STREAM(PROTOCOL_ERROR) after the answer")
            return
        }
        _ = try h.channel.finish()
    }

    @Test("a malformed request is handed to its server as a refusal naming the fault; no request part is")
    func refusesMalformed() throws {
        let h = try Harness()
        let block = HPACKHeaders([
            (":method", "POST"), (":scheme", "http"), (":path", "/v1/chat/completions"), ("Bad", "1"),
        ])
        try h.send(.headers(.init(headers: block)))
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "{}")), endStream: true)))
        #expect(h[Self.one].parts.isEmpty)
        #expect(try h.sent().isEmpty)
        #expect(h[Self.one].refusals.count == 1)
        #expect(h[Self.one].refusals.first?.0.message.contains("field name \"Bad\" is not a lowercase token") == true)
        #expect(h[Self.one].refusals.first?.1 == "POST")
        #expect(h[Self.one].refusals.first?.2 == "/v1/chat/completions")
        _ = try h.channel.finish()
    }

    @Test("a malformed request still sending its body: answered, its frames dropped and their window given back")
    func dropsRefusedBody() throws {
        let h = try Harness()
        let block = HPACKHeaders([(":method", "POST"), (":scheme", "http"), (":path", "/v1/chat/completions"), ("connection", "x")])
        try h.send(.headers(.init(headers: block)))
        #expect(h[Self.one].refusals.count == 1)
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "{")))))
        h.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: Self.one, inboundWindowSize: 10, outboundWindowSize: nil))
        guard case .windowUpdate(let increment) = try h.sent().first?.payload else {
            Issue.record("the refused request's window was not given back")
            return
        }
        #expect(increment == 65_525)
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "}")), endStream: true)))
        h.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: Self.one, inboundWindowSize: 10, outboundWindowSize: nil))
        #expect(try h.sent().isEmpty)
        #expect(h[Self.one].parts.isEmpty)
        _ = try h.channel.finish()
    }

    @Test("an answer flushed part by part is HEADERS, DATA and an empty DATA that ends the stream, or trailers")
    func writesAnswer() throws {
        let h = try Harness()
        let app = try h.answering(headers: ["Content-Type": "text/event-stream"])
        app.write(.body(.byteBuffer(ByteBuffer(string: "data: {}\n\n"))))
        app.flush()
        app.writeEnd(closing: false)
        let (head, body, end) = try h.headersAndTwoData()
        #expect(head.headers.map(\.name) == [":status", "content-type"])
        #expect(!head.endStream)
        #expect(body.data == .byteBuffer(ByteBuffer(string: "data: {}\n\n")))
        #expect(!body.endStream)
        #expect(end.endStream)
        #expect(end.data.readableBytes == 0)
        // Nothing is written after the end.
        app.write(.body(.byteBuffer(ByteBuffer(string: "late"))))
        app.flush()
        #expect(try h.sent().isEmpty)

        try h.send(.headers(.init(headers: Self.request, endStream: true)), on: HTTP2StreamID(3))
        let second = h[HTTP2StreamID(3)].app
        var trailers = HTTPHeaders()
        trailers.add(name: "X-Done", value: "1")
        second.write(.end(trailers))
        h.channel.flush()  // the stream's own flush does nothing once its answer has ended
        guard case .headers(let block) = try h.sent().first?.payload else {
            Issue.record("no trailers")
            return
        }
        #expect(block.endStream)
        #expect(block.headers.map(\.name) == ["x-done"])
        _ = try h.channel.finish()
    }

    @Test("a frame of the answer that NIO refused resets the stream with INTERNAL_ERROR and tells its server, once")
    func refusedAnswerFrame() throws {
        let h = try Harness()
        let app = try h.answering()
        app.flush()
        #expect(try h.sent().count == 1)  // the HEADERS frame
        // What NIO's handler reports, without sending anything, for an outbound frame it refuses.
        let refused = NIOHTTP2Errors.streamError(streamID: Self.one, baseError: NIOHTTP2Errors.contentLengthViolated())
        h.channel.pipeline.fireErrorCaught(refused)
        guard case .rstStream(let code) = try h.sent().first?.payload else {
            Issue.record("the stream was not reset")
            return
        }
        #expect(code == .internalError)
        #expect(h[Self.one].wentAway == 1)
        h.channel.pipeline.fireErrorCaught(refused)
        #expect(try h.sent().isEmpty)
        #expect(h[Self.one].wentAway == 1)
        _ = try h.channel.finish()
    }

    @Test("an answer written whole is two frames: the last DATA frame ends the stream")
    func foldsEndIntoLastData() throws {
        let h = try Harness()
        let app = try h.answering(headers: ["content-type": "application/json"])
        app.write(.body(.byteBuffer(ByteBuffer(string: "{\"id\":"))))
        app.write(.body(.byteBuffer(ByteBuffer(string: "1}"))))
        app.writeEnd(closing: false)
        let (block, body, last) = try h.headersAndTwoData()
        #expect(!block.endStream)
        #expect(body.data == .byteBuffer(ByteBuffer(string: "{\"id\":")))
        #expect(!body.endStream)
        #expect(last.data == .byteBuffer(ByteBuffer(string: "1}")))
        #expect(last.endStream)
        _ = try h.channel.finish()
    }

    @Test("an answer that ends before its request asks the app to stop sending with RST_STREAM(NO_ERROR)")
    func endsEarlyAnswer() throws {
        let h = try Harness()
        let app = try h.answering(status: .payloadTooLarge, requestEnds: false)
        app.writeEnd(closing: true)
        let frames = try h.sent().map(\.payload)
        guard frames.count == 2, case .data(let end) = frames[1] else {
            Issue.record("expected HEADERS and DATA, got \(frames)")
            return
        }
        #expect(end.endStream)
        // The reset follows once the answer's last frame has left (a reset would drop it before).
        h.socketTook(end.data.readableBytes, endStream: true)
        #expect(try h.sent().isEmpty)
        h.channel.embeddedEventLoop.run()
        guard case .rstStream(let code) = try h.sent().first?.payload else {
            Issue.record("no RST_STREAM")
            return
        }
        #expect(code == .noError)
        // Its window is not given back any more: the request is over.
        h.channel.pipeline.fireUserInboundEventTriggered(
            NIOHTTP2WindowUpdatedEvent(streamID: Self.one, inboundWindowSize: 0, outboundWindowSize: nil))
        #expect(try h.sent().isEmpty)
        _ = try h.channel.finish()
    }

    @Test("abort resets the stream with CANCEL and drops the held DATA; a reset by the app tells the server")
    func abortsAndResets() throws {
        let h = try Harness()
        let app = try h.answering()
        app.write(.body(.byteBuffer(ByteBuffer(string: "part"))))
        app.abort()
        let frames = try h.sent().map(\.payload)
        guard frames.count == 2, case .headers = frames[0], case .rstStream(let code) = frames[1] else {
            Issue.record("expected HEADERS and RST_STREAM, got \(frames)")
            return
        }
        #expect(code == .cancel)
        // The stream's own reset closing it is not news to its server.
        h.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: Self.one, reason: .cancel))
        #expect(h[Self.one].wentAway == 0)

        try h.send(.headers(.init(headers: Self.request)), on: HTTP2StreamID(3))
        h.channel.pipeline.fireUserInboundEventTriggered(StreamClosedEvent(streamID: HTTP2StreamID(3), reason: .cancel))
        #expect(h[HTTP2StreamID(3)].wentAway == 1)
        // Frames for a closed stream reach no one.
        try h.send(.data(.init(data: .byteBuffer(ByteBuffer(string: "{}")), endStream: true)), on: HTTP2StreamID(3))
        #expect(h[HTTP2StreamID(3)].parts.count == 1)
        _ = try h.channel.finish()
    }

    @Test("a closing connection tells every open stream's server, once")
    func connectionCloseTellsStreams() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        try h.send(.headers(.init(headers: Self.request)), on: HTTP2StreamID(3))
        _ = try h.channel.finish()
        #expect(h[Self.one].wentAway == 1)
        #expect(h[HTTP2StreamID(3)].wentAway == 1)
    }

    @Test("a request body's window is given back once half of it is used, for the stream and the connection")
    func givesWindowBack() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        for (stream, size, expected) in [
            (Self.one, 40_000, nil), (Self.one, 32_767, 32_768), (HTTP2StreamID.rootStream, 0, 65_535),
        ] as [(HTTP2StreamID, Int, Int?)] {
            h.channel.pipeline.fireUserInboundEventTriggered(
                NIOHTTP2WindowUpdatedEvent(streamID: stream, inboundWindowSize: size, outboundWindowSize: nil))
            let frames = try h.sent()
            guard let expected else {
                #expect(frames.isEmpty)
                continue
            }
            #expect(frames.count == 1)
            #expect(frames.first?.streamID == stream)
            guard case .windowUpdate(let increment) = frames.first?.payload else {
                Issue.record("no WINDOW_UPDATE: \(frames)")
                continue
            }
            #expect(increment == expected)
        }
        #expect(HTTP2AppConnection.windowIncrement(size: -100, target: 65_535) == 65_635)
        _ = try h.channel.finish()
    }

    @Test("a window is not given back again while its WINDOW_UPDATE waits to leave (NIO counts it only then)")
    func grantsOnceUntilSent() throws {
        let h = try Harness()
        try h.send(.headers(.init(headers: Self.request)))
        func lowWindow(_ size: Int, on stream: HTTP2StreamID = HTTP2AppConnectionTests.one) throws -> [HTTP2Frame] {
            h.channel.pipeline.fireUserInboundEventTriggered(
                NIOHTTP2WindowUpdatedEvent(streamID: stream, inboundWindowSize: size, outboundWindowSize: nil))
            return try h.sent()
        }
        #expect(try lowWindow(30_000).count == 1)
        // More DATA read before NIO sent the update: the window it reports is lower still, but the update
        // already written covers it.
        #expect(try lowWindow(20_000).isEmpty)
        // The connection's window is its own.
        #expect(try lowWindow(0, on: .rootStream).count == 1)
        // Once NIO tells the update has left, a window that is low again is given back again.
        let update = HTTP2Frame(streamID: Self.one, payload: .windowUpdate(windowSizeIncrement: 35_535))
        h.connection.wroteFrame(update)
        #expect(try lowWindow(20_000).count == 1)
        _ = try h.channel.finish()
    }

    @Test("a stream with 64 KiB unsent is not writable; its server is told when under 32 KiB remain")
    func backpressure() throws {
        let h = try Harness()
        let app = try h.answering()
        #expect(app.isWritable)
        app.write(.body(.byteBuffer(ByteBuffer(repeating: 0x61, count: 70_000))))
        app.flush()
        let frames = try h.sent()
        #expect(!app.isWritable)
        guard case .data(let data) = frames.last?.payload else {
            Issue.record("no DATA: \(frames)")
            return
        }
        // The socket took 20,000 of the 70,000 bytes: 50,000 still wait, above the low-water mark.
        h.socketTook(20_000)
        h.channel.embeddedEventLoop.run()
        #expect(h[Self.one].writable == 0)
        // 40,000 taken, 30,000 wait: the server may go on. It is told on the next loop turn, not while NIO's
        // handler is in the middle of writing the frame.
        h.socketTook(20_000)
        #expect(h[Self.one].writable == 0)
        h.channel.embeddedEventLoop.run()
        #expect(h[Self.one].writable == 1)
        #expect(app.isWritable)
        #expect(data.data.readableBytes == 70_000)
        _ = try h.channel.finish()
    }
}
