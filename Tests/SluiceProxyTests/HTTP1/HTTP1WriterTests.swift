import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceProxy

@Suite("HTTP/1.1 writers: a message in as few writes as it allows, framed as NIO's encoders frame it")
struct HTTP1WriterTests {
    /// Everything written to the socket so far, one string per write. Empty writes (which only carry a
    /// promise in order, as NIO's encoders write them too) are left out.
    private static func written(_ channel: EmbeddedChannel) throws -> [String] {
        var writes: [String] = []
        while let data = try channel.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else {
                Issue.record("a file region was written")
                continue
            }
            if buffer.readableBytes > 0 { writes.append(String(buffer: buffer)) }
        }
        return writes
    }

    private static func response(
        _ headers: [(String, String)],
        status: HTTPResponseStatus = .ok,
        version: HTTPVersion = .http1_1
    ) -> HTTPServerResponsePart {
        .head(HTTPResponseHead(version: version, status: status, headers: HTTPHeaders(headers)))
    }

    private static func body(_ text: String) -> HTTPServerResponsePart {
        .body(.byteBuffer(ByteBuffer(string: text)))
    }

    @Test("an answer with a length: head, body and end leave as one write")
    func wholeAnswerIsOneWrite() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        channel.write(Self.response([("content-type", "application/json"), ("content-length", "2")]), promise: nil)
        channel.write(Self.body("{}"), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(
            try Self.written(channel) == [
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"
            ])
        #expect(try channel.finish().isClean)
    }

    @Test("a stream: chunked, the head goes at the first flush, each chunk with its framing in one write")
    func streamIsChunked() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        try channel.writeOutbound(Self.response([("content-type", "text/event-stream")]))
        #expect(
            try Self.written(channel) == [
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
            ])
        try channel.writeOutbound(Self.body("data: {}\n\n"))
        try channel.writeOutbound(Self.body("data: [DONE]\n\n"))
        #expect(try Self.written(channel) == ["a\r\ndata: {}\n\n\r\n", "e\r\ndata: [DONE]\n\n\r\n"])
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == ["0\r\n\r\n"])
    }

    /// One whole answer with a length, written and flushed.
    private static func writeAnswer(_ channel: EmbeddedChannel, extra: String) throws {
        channel.write(Self.response([("content-length", "2"), ("x-extra", extra)]), promise: nil)
        channel.write(Self.body("{}"), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    private static func readBuffer(_ channel: EmbeddedChannel) throws -> ByteBuffer {
        guard case .byteBuffer(let buffer) = try #require(try channel.readOutbound(as: IOData.self)) else {
            throw BufferWasAFile()
        }
        return buffer
    }

    private struct BufferWasAFile: Error {}

    @Test("the next message is written into the last one's storage once the socket has let go of it")
    func reusesWrittenBuffer() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        // A large first head makes a large buffer; the second, small, would get a small one of its own.
        try Self.writeAnswer(channel, extra: String(repeating: "x", count: 3000))
        let firstCapacity = try Self.readBuffer(channel).capacity
        try Self.writeAnswer(channel, extra: "y")
        let second = try Self.readBuffer(channel)
        #expect(second.capacity == firstCapacity)
        #expect(String(buffer: second) == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-extra: y\r\n\r\n{}")
    }

    @Test("a message still held by its write is never written over: the next one gets storage of its own")
    func keepsHeldBuffer() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        try Self.writeAnswer(channel, extra: "first")
        let first = try Self.readBuffer(channel)
        try Self.writeAnswer(channel, extra: "second")
        let second = try Self.readBuffer(channel)
        #expect(String(buffer: first) == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-extra: first\r\n\r\n{}")
        #expect(String(buffer: second) == "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-extra: second\r\n\r\n{}")
    }

    @Test("a buffer above the spare limit is not kept by an idle connection")
    func dropsLargeBuffer() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        try Self.writeAnswer(channel, extra: String(repeating: "x", count: HTTP1MessageWriter.spareLimit))
        let firstCapacity = try Self.readBuffer(channel).capacity
        try Self.writeAnswer(channel, extra: "y")
        #expect(try Self.readBuffer(channel).capacity < firstCapacity)
    }

    @Test("a chunk written before the flush joins the head; an empty chunk does not end the body")
    func chunksJoinTheHead() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        channel.write(Self.response([("x-request-id", "r1")]), promise: nil)
        channel.write(Self.body(""), promise: nil)
        channel.write(Self.body("hi"), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(HTTPHeaders([("x-trailer", "1")])))
        #expect(
            try Self.written(channel) == [
                "HTTP/1.1 200 OK\r\nx-request-id: r1\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nx-trailer: 1\r\n\r\n"
            ])
    }

    @Test(
        "framing headers made consistent",
        arguments: [
            // A length wins over transfer-encoding, whatever their case.
            (
                HTTPResponseStatus.ok, [("Transfer-Encoding", "chunked"), ("Content-Length", "0")],
                "Content-Length: 0\r\n"
            ),
            // No body belongs to a 204 or a 304: both go.
            (.noContent, [("content-length", "0"), ("transfer-encoding", "chunked"), ("a", "b")], "a: b\r\n"),
            (.notModified, [("content-length", "10")], ""),
        ])
    func framingHeaders(status: HTTPResponseStatus, headers: [(String, String)], expected: String) throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        try channel.writeOutbound(Self.response(headers, status: status))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == ["HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n\(expected)\r\n"])
    }

    @Test("HTTP/1.0 knows no chunks: a body without a length is written as it is")
    func http10IsNotChunked() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        channel.write(Self.response([("a", "b")], version: .http1_0), promise: nil)
        channel.write(Self.body("xyz"), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(try Self.written(channel) == ["HTTP/1.0 200 OK\r\na: b\r\n\r\nxyz"])
    }

    @Test("a body too large to copy follows the head as the same buffer, in its chunk framing when chunked")
    func largeBodyIsNotCopied() throws {
        let large = String(repeating: "x", count: HTTP1MessageWriter.coalesceLimit + 1)
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        channel.write(Self.response([("content-length", String(large.utf8.count))]), promise: nil)
        channel.write(Self.body(large), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        #expect(
            try Self.written(channel) == ["HTTP/1.1 200 OK\r\ncontent-length: \(large.utf8.count)\r\n\r\n", large])

        channel.write(Self.response([]), promise: nil)
        channel.write(Self.body(large), promise: nil)
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
        let hex = String(large.utf8.count, radix: 16)
        #expect(
            try Self.written(channel) == [
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", "\(hex)\r\n", large, "\r\n", "0\r\n\r\n",
            ])
    }

    @Test("every promise completes once its bytes are written, in order; none before")
    func promisesCompleteInOrder() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        var completed: [String] = []
        for (name, part) in [
            ("head", Self.response([("content-length", "2")])), ("body", Self.body("ok")),
            ("end", HTTPServerResponsePart.end(nil)),
        ] {
            channel.write(part).whenSuccess { completed.append(name) }
        }
        #expect(completed.isEmpty)
        channel.flush()
        #expect(completed == ["head", "body", "end"])
        #expect(try Self.written(channel) == ["HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"])
    }

    @Test("a message still held when the writer is removed: its promise fails")
    func removalFailsWhatIsHeld() throws {
        let writer = HTTP1ServerCodec()
        let channel = EmbeddedChannel(handler: writer)
        var result: Result<Void, any Error>?
        channel.write(Self.response([("content-length", "0")])).whenComplete { result = $0 }
        try channel.pipeline.syncOperations.removeHandler(writer).wait()
        guard case .failure(let error) = result, error as? ChannelError == .ioOnClosedChannel else {
            Issue.record("the held head's promise did not fail: \(String(describing: result))")
            return
        }
    }

    @Test("a request: one write, with the method's body rule")
    func requestIsOneWrite() throws {
        let channel = EmbeddedChannel(handler: HTTP1ClientCodec())
        var headers = HTTPHeaders([("host", "api.example"), ("content-length", "2")])
        channel.write(
            HTTPClientRequestPart.head(
                HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/chat/completions", headers: headers)),
            promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "{}"))), promise: nil)
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        #expect(
            try Self.written(channel) == [
                "POST /v1/chat/completions HTTP/1.1\r\nhost: api.example\r\ncontent-length: 2\r\n\r\n{}"
            ])

        // A GET without a length is not made chunked; a POST without one is.
        headers = HTTPHeaders([("host", "api.example")])
        try channel.writeOutbound(
            HTTPClientRequestPart.head(
                HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/models", headers: headers)))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        try channel.writeOutbound(
            HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/x", headers: headers)))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        #expect(
            try Self.written(channel) == [
                "GET /v1/models HTTP/1.1\r\nhost: api.example\r\n\r\n",
                "POST /x HTTP/1.1\r\nhost: api.example\r\ntransfer-encoding: chunked\r\n\r\n", "0\r\n\r\n",
            ])
    }

    @Test("what the writers write, NIO's decoders read back as it was sent")
    func roundTrip() throws {
        let writer = EmbeddedChannel(handler: HTTP1ServerCodec())
        writer.write(Self.response([("content-type", "text/event-stream"), ("x-a", "1")]), promise: nil)
        writer.write(Self.body("data: 1\n\n"), promise: nil)
        try writer.writeOutbound(Self.body("data: 2\n\n"))
        try writer.writeOutbound(HTTPServerResponsePart.end(nil))

        let reader = EmbeddedChannel(handler: ByteToMessageHandler(HTTPResponseDecoder()))
        // The decoder pairs each answer with a request it saw go out.
        try reader.writeOutbound(
            HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/")))
        while let data = try writer.readOutbound(as: IOData.self) {
            guard case .byteBuffer(let buffer) = data else { continue }
            try reader.writeInbound(buffer)
        }
        guard case .head(let head) = try reader.readInbound(as: HTTPClientResponsePart.self) else {
            Issue.record("no head read back")
            return
        }
        #expect(head.status == .ok)
        #expect(head.headers["x-a"] == ["1"])
        var body = ""
        while case .body(let buffer) = try reader.readInbound(as: HTTPClientResponsePart.self) {
            body += String(buffer: buffer)
        }
        #expect(body == "data: 1\n\ndata: 2\n\n")
    }
}
