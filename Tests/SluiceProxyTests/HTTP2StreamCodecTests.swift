import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
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

    @Test("an answer head: :status first and indexable, names lowercased, hop-by-hop fields dropped, literals")
    func writesResponse() {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "x-ratelimit-remaining-requests", value: "59")
        headers.add(name: "Connection", value: "x-hop")
        headers.add(name: "x-hop", value: "1")
        headers.add(name: "Transfer-Encoding", value: "chunked")
        headers.add(name: "keep-alive", value: "timeout=5")
        let block = HTTP2ResponseBlock.response(
            HTTPResponseHead(version: .http1_1, status: .tooManyRequests, headers: headers))
        #expect(block.map(\.name) == [":status", "content-type", "x-ratelimit-remaining-requests"])
        #expect(block.map(\.value) == ["429", "application/json", "59"])
        #expect(block.map(\.indexable) == [.indexable, .nonIndexable, .nonIndexable])
    }
}

@Suite("HTTP/2 stream codec: frames to request parts and answer parts to frames")
struct HTTP2StreamCodecTests {
    private static let request = HPACKHeaders([
        (":method", "POST"), (":scheme", "http"), (":path", "/v1/chat/completions"), ("content-length", "2"),
    ])

    @Test("HEADERS, DATA and the end of the stream become head, body and end")
    func readsStream() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec())
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: Self.request)))
        try channel.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "{")))))
        try channel.writeInbound(
            HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "}")), endStream: true)))
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no head")
            return
        }
        #expect(head.uri == "/v1/chat/completions")
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .body(ByteBuffer(string: "{")))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .body(ByteBuffer(string: "}")))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .end(nil))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        _ = try channel.finish()
    }

    @Test("a HEADERS frame that ends the stream is head and end; an empty final DATA frame is end alone")
    func readsBodilessAndEmptyEnd() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec())
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: Self.request, endStream: true)))
        guard case .head = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no head")
            return
        }
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == .end(nil))

        let second = EmbeddedChannel(handler: HTTP2StreamCodec())
        try second.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: Self.request)))
        try second.writeInbound(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
        _ = try second.readInbound(as: HTTPServerRequestPart.self)
        #expect(try second.readInbound(as: HTTPServerRequestPart.self) == .end(nil))
        #expect(try second.readInbound(as: HTTPServerRequestPart.self) == nil)
        _ = try channel.finish()
        _ = try second.finish()
    }

    @Test("trailers end the request; a second block that does not end the stream resets it")
    func readsTrailers() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec())
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: Self.request)))
        try channel.writeInbound(
            HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders([("x-sum", "1")]), endStream: true)))
        _ = try channel.readInbound(as: HTTPServerRequestPart.self)
        guard case .end(let trailers?) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no trailers")
            return
        }
        #expect(trailers["x-sum"] == ["1"])

        let bad = EmbeddedChannel(handler: HTTP2StreamCodec())
        try bad.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: Self.request)))
        _ = try bad.readInbound(as: HTTPServerRequestPart.self)
        try bad.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: HPACKHeaders([("x-sum", "1")]))))
        #expect(try bad.readInbound(as: HTTPServerRequestPart.self) == nil)
        #expect(!bad.isActive)
        _ = try channel.finish()
    }

    /// Keeps the user events that reach the end of the pipeline.
    final class EventRecorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        var events: [Any] = []
        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) { self.events.append(event) }
    }

    @Test("a malformed request is handed to the handler as a refusal naming the fault; no request part is")
    func refusesMalformed() throws {
        let recorder = EventRecorder()
        let channel = EmbeddedChannel(handlers: [HTTP2StreamCodec(), recorder])
        let block = HPACKHeaders([
            (":method", "POST"), (":scheme", "http"), (":path", "/v1/chat/completions"), ("Bad", "1"),
        ])
        try channel.writeInbound(HTTP2Frame.FramePayload.headers(.init(headers: block)))
        try channel.writeInbound(
            HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(ByteBuffer(string: "{}")), endStream: true)))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
        #expect(try channel.readOutbound(as: HTTP2Frame.FramePayload.self) == nil)
        let refusals = recorder.events.compactMap { $0 as? HTTP2RequestRefusal }
        #expect(refusals.count == 1)
        #expect(refusals.first?.reason == "field name \"Bad\" is not a lowercase token")
        #expect(refusals.first?.method == "POST")
        #expect(refusals.first?.path == "/v1/chat/completions")
        _ = try channel.finish()
    }

    @Test("an answer flushed part by part is HEADERS, DATA and an empty DATA that ends the stream, or trailers")
    func writesAnswer() throws {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec())
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        try channel.writeOutbound(
            HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        try channel.writeOutbound(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "data: {}\n\n"))))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        guard case .headers(let head) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no HEADERS")
            return
        }
        #expect(head.headers.map(\.name) == [":status", "content-type"])
        #expect(!head.endStream)
        guard case .data(let body) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self),
            case .data(let end) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self)
        else {
            Issue.record("no DATA")
            return
        }
        #expect(body.data == .byteBuffer(ByteBuffer(string: "data: {}\n\n")))
        #expect(!body.endStream)
        #expect(end.endStream)
        #expect(end.data.readableBytes == 0)

        var trailers = HTTPHeaders()
        trailers.add(name: "X-Done", value: "1")
        try channel.writeOutbound(HTTPServerResponsePart.end(trailers))
        guard case .headers(let block) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no trailers")
            return
        }
        #expect(block.endStream)
        #expect(block.headers.map(\.name) == ["x-done"])
        _ = try channel.finish()
    }

    /// A stream codec with an answer's head written (not flushed) to it.
    private static func answering(contentType: String) -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: HTTP2StreamCodec())
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-type": contentType])
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        return channel
    }

    @Test("an answer written whole is two frames: the last DATA frame ends the stream; every promise completes")
    func foldsEndIntoLastData() throws {
        let channel = Self.answering(contentType: "application/json")
        let first = channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "{\"id\":"))))
        let second = channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "1}"))))
        let end = channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        var frames: [HTTP2Frame.FramePayload] = []
        while let frame = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) { frames.append(frame) }
        guard frames.count == 3, case .headers(let block) = frames[0], case .data(let body) = frames[1],
            case .data(let last) = frames[2]
        else {
            Issue.record("expected HEADERS and two DATA frames, got \(frames)")
            return
        }
        #expect(!block.endStream)
        #expect(body.data == .byteBuffer(ByteBuffer(string: "{\"id\":")))
        #expect(!body.endStream)
        #expect(last.data == .byteBuffer(ByteBuffer(string: "1}")))
        #expect(last.endStream)
        var completed = 0
        for future in [first, second, end] { future.whenSuccess { completed += 1 } }
        #expect(completed == 3)
        _ = try channel.finish()
    }

    @Test("a flush sends the held DATA frame at once: a streamed chunk is not held back")
    func flushReleasesHeldData() throws {
        let channel = Self.answering(contentType: "text/event-stream")
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: "data: 1\n\n"))), promise: nil)
        channel.flush()
        guard case .headers = try channel.readOutbound(as: HTTP2Frame.FramePayload.self),
            case .data(let chunk) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self)
        else {
            Issue.record("the chunk was not sent on flush")
            return
        }
        #expect(chunk.data == .byteBuffer(ByteBuffer(string: "data: 1\n\n")))
        #expect(!chunk.endStream)
        channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
        guard case .data(let end) = try channel.readOutbound(as: HTTP2Frame.FramePayload.self) else {
            Issue.record("no end of stream")
            return
        }
        #expect(end.endStream)
        #expect(end.data.readableBytes == 0)
        _ = try channel.finish()
    }
}
