import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceProxy

@Suite("HTTP/1.1 responses read from a provider's bytes")
struct HTTP1ResponseParserTests {
    /// What a response reads as: heads (status, headers), the body joined, and the ends with any trailers.
    struct Reading: Equatable {
        var heads: [String] = []
        /// Bytes, not text: a cut may fall inside a character.
        var body: [UInt8] = []
        var ends: [String] = []
    }

    /// Reads `wire` fed in pieces cut at `cuts`, every event until more bytes are needed.
    static func read(_ wire: String, cuts: [Int] = [], head isHEAD: Bool = false) throws -> Reading {
        var parser = HTTP1ResponseParser()
        var reading = Reading()
        let bytes = Array(wire.utf8)
        var start = 0
        for end in cuts.filter({ $0 > 0 && $0 < bytes.count }).sorted() + [bytes.count] where end >= start {
            parser.append(ByteBuffer(bytes: bytes[start..<end]))
            start = end
            while let event = try parser.next(respondingToHEAD: isHEAD) {
                switch event {
                case .head(let head):
                    reading.heads.append(
                        "\(head.version) \(head.status.code) "
                            + head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
                case .body(let chunk): reading.body += Array(chunk.readableBytesView)
                case .end(let trailers):
                    reading.ends.append(trailers.map { "\($0.map { "\($0.name)=\($0.value)" })" } ?? "end")
                }
            }
        }
        return reading
    }

    /// A recorded answer as a provider sends it over HTTP/1.1, with a length or chunked.
    static func wire(_ recording: WireRecording, chunked: Bool) -> String {
        let body = recording.body
        var head = "HTTP/1.1 \(recording.status) X\r\ncontent-type: \(recording.contentType)\r\n"
        guard chunked else { return head + "content-length: \(body.utf8.count)\r\n\r\n" + body }
        head += "transfer-encoding: chunked\r\n\r\n"
        var text = ""
        var rest = Substring(body)
        while !rest.isEmpty {
            let piece = rest.prefix(100)
            rest = rest.dropFirst(piece.count)
            text += String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n"
        }
        return head + text + "0\r\n\r\n"
    }

    @Test(
        "recorded answers read back whole however the bytes are cut",
        arguments: ["openai-chat-basic-byte-exact", "openai-chat-streaming-usage", "openai-chat-error-unknown-model"],
        [false, true]
    )
    func recordings(name: String, chunked: Bool) throws {
        let recording = try WireRecording.load(name)
        let wire = Self.wire(recording, chunked: chunked)
        let whole = try Self.read(wire)
        #expect(whole.body == Array(recording.body.utf8))
        #expect(whole.ends == ["end"])
        #expect(whole.heads.count == 1)
        // Every single cut, and cuts every 7 bytes: the same reading.
        for cut in 1..<wire.utf8.count {
            #expect(try Self.read(wire, cuts: [cut]) == whole, "cut at \(cut)")
        }
        #expect(try Self.read(wire, cuts: Array(stride(from: 1, to: wire.utf8.count, by: 7))) == whole)
    }

    @Test("keep-alive: responses one after another on one connection, bodies framed each their way")
    func several() throws {
        let wire =
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
            + "HTTP/1.1 204 No Content\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nx-t: 1\r\n\r\n"
            + "HTTP/1.0 304 Not Modified\r\ncontent-length: 9\r\n\r\n"
        let reading = try Self.read(wire)
        #expect(
            reading.heads == [
                "HTTP/1.1 200 Content-Length=2", "HTTP/1.1 204 ", "HTTP/1.1 200 Transfer-Encoding=gzip, chunked",
                "HTTP/1.0 304 content-length=9",
            ])
        #expect(reading.body == Array("hiabc".utf8))
        #expect(reading.ends == ["end", "end", "[\"x-t=1\"]", "end"])
    }

    @Test("interim 1xx heads are dropped; LF-only line ends and spaces around values are read")
    func interimAndLeniency() throws {
        let wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\nx-a:   spaced \t\ncontent-length: 1\n\nz"
        #expect(
            try Self.read(wire)
                == Reading(heads: ["HTTP/1.1 200 x-a=spaced,content-length=1"], body: Array("z".utf8), ends: ["end"]))
    }

    @Test("an answer to HEAD has no body, whatever its length says")
    func headRequest() throws {
        let wire = "HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n"
        #expect(try Self.read(wire, head: true) == Reading(heads: ["HTTP/1.1 200 content-length=50"], ends: ["end"]))
    }

    @Test("a body with neither length nor chunks runs to the end of the connection")
    func untilClose() throws {
        var parser = HTTP1ResponseParser()
        parser.append(ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\nabc"))
        guard case .head = try parser.next(respondingToHEAD: false) else {
            Issue.record("no head")
            return
        }
        #expect(try parser.next(respondingToHEAD: false) == .body(ByteBuffer(string: "abc")))
        #expect(try parser.next(respondingToHEAD: false) == nil)
        #expect(parser.finish() == .end)
    }

    @Test("the end of the connection: clean between answers, a cut inside one")
    func endings() throws {
        var idle = HTTP1ResponseParser()
        #expect(idle.finish() == .clean)
        for partial in [
            "HTTP/1.1 200", "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab",
        ] {
            var parser = HTTP1ResponseParser()
            parser.append(ByteBuffer(string: partial))
            while try parser.next(respondingToHEAD: false) != nil {}
            #expect(parser.finish() == .cut, "\(partial.debugDescription)")
        }
    }

    @Test(
        "what is not HTTP/1.x is refused, naming the cause",
        arguments: [
            ("SSH-2.0-OpenSSH\r\n\r\n", "its status line is not HTTP/1.x (\"SSH-2.0-OpenSSH\")"),
            ("HTTP/2 200\r\n\r\n", "its status line is not HTTP/1.x (\"HTTP/2 200\")"),
            ("HTTP/1.1 20x OK\r\n\r\n", "its status line is not HTTP/1.x (\"HTTP/1.1 20x OK\")"),
            ("HTTP/1.1 099 Low\r\n\r\n", "its status code 99 is out of range"),
            ("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "a header line is not 'name: value' (\"no colon\")"),
            ("HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n", "a header line is not 'name: value' (\"bad name: x\")"),
            ("HTTP/1.1 200 OK\r\n folded\r\n\r\n", "a header line is not 'name: value' (\" folded\")"),
            ("HTTP/1.1 200 OK\r\nx: a\u{01}b\r\n\r\n", "a header line is not 'name: value' (\"x: a\\u{01}b\")"),
            ("HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n", "its content-length is not one whole number (\"-1\")"),
            (
                "HTTP/1.1 200 OK\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n",
                "it has two different content-lengths"
            ),
            ("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", "a chunk size is not hexadecimal"),
            ("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n;x\r\n", "a chunk size is missing"),
            ("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1000000000000000\r\n", "a chunk size is too large"),
            (
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nabc\r\n",
                "a chunk's data is longer than its size says"
            ),
        ]
    )
    func refused(wire: String, reason: String) throws {
        #expect(throws: HTTP1ParseError(reason: reason)) { try Self.read(wire) }
    }

    @Test("a head larger than 80 KiB is refused before all of it arrives")
    func headTooLarge() throws {
        var parser = HTTP1ResponseParser()
        parser.append(ByteBuffer(string: "HTTP/1.1 200 OK\r\nx: " + String(repeating: "a", count: 81 * 1024)))
        #expect(throws: HTTP1ParseError(reason: "its response head is larger than 80 KiB")) {
            try parser.next(respondingToHEAD: false)
        }
        // Nothing more is read after a refusal.
        parser.append(ByteBuffer(string: "\r\n\r\n"))
        #expect(try parser.next(respondingToHEAD: false) == nil)
    }

    @Test("the codec pairs an answer to HEAD with its request, and ends a body at the close")
    func codec() throws {
        let channel = EmbeddedChannel(handler: HTTP1ClientCodec())
        try channel.writeOutbound(
            HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/")))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        try channel.writeOutbound(
            HTTPClientRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/")))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))
        try channel.writeInbound(
            ByteBuffer(string: "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nHTTP/1.1 200 OK\r\n\r\nab"))
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPClientResponsePart.self) {
            switch part {
            case .head(let head): parts.append("head \(head.status.code)")
            case .body(let body): parts.append("body \(String(buffer: body))")
            case .end: parts.append("end")
            }
        }
        #expect(parts == ["head 200", "end", "head 200", "body ab"])
        channel.pipeline.fireChannelInactive()
        guard case .end = try channel.readInbound(as: HTTPClientResponsePart.self) else {
            Issue.record("the body that ran to the close did not end")
            return
        }
    }

    @Test(
        "whether the connection stays open is read with the head, as isKeepAlive reads the fields",
        arguments: [
            ("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 0\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n", false),
            ("HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\ncontent-length: 0\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nconnection: keep-alive, close\r\ncontent-length: 0\r\n\r\n", false),
            ("HTTP/1.1 200 OK\r\nconnection: keep-alive\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n", false),
            ("HTTP/1.1 100 Continue\r\nconnection: close\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n", true),
        ])
    func keepAliveWithTheHead(wire: String, keeps: Bool) throws {
        var parser = HTTP1ResponseParser()
        parser.append(ByteBuffer(string: wire))
        guard case .head(let head) = try parser.next(respondingToHEAD: false) else {
            Issue.record("no head read")
            return
        }
        #expect(parser.headKeepsAlive == keeps)
        #expect(HTTP1Syntax.isKeepAlive(head.headers, version: head.version) == keeps)
    }
}
