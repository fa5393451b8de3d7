import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import SluiceProxy

@Suite("HTTP/1.1 requests read from an app's bytes")
struct HTTP1RequestParserTests {
    /// What the bytes read as: heads (method, target, version, headers), the bodies joined, the ends.
    struct Reading: Equatable {
        var heads: [String] = []
        /// Bytes, not text: a cut may fall inside a character.
        var body: [UInt8] = []
        var ends: [String] = []
    }

    /// Reads `wire` fed in pieces cut at `cuts`, every event until more bytes are needed.
    static func read(_ wire: String, cuts: [Int] = []) throws -> Reading {
        var parser = HTTP1RequestParser()
        var reading = Reading()
        let bytes = Array(wire.utf8)
        var start = 0
        for end in cuts.filter({ $0 > 0 && $0 < bytes.count }).sorted() + [bytes.count] where end >= start {
            parser.append(ByteBuffer(bytes: bytes[start..<end]))
            start = end
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    reading.heads.append(
                        "\(head.method.rawValue) \(head.uri) \(head.version) "
                            + head.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
                case .body(let chunk): reading.body += Array(chunk.readableBytesView)
                case .end(let trailers):
                    reading.ends.append(trailers.map { "\($0.map { "\($0.name)=\($0.value)" })" } ?? "end")
                }
            }
        }
        return reading
    }

    /// A recorded request as an SDK sends it, with a length or chunked.
    static func wire(_ recording: WireRecording, chunked: Bool) -> String {
        let body = recording.requestBody
        let head =
            "POST \(recording.requestPath) HTTP/1.1\r\nHost: 127.0.0.1:4000\r\nContent-Type: application/json\r\n"
        guard chunked else { return head + "Content-Length: \(body.utf8.count)\r\n\r\n" + body }
        var text = ""
        var rest = Substring(body)
        while !rest.isEmpty {
            let piece = rest.prefix(64)
            rest = rest.dropFirst(piece.count)
            text += String(piece.utf8.count, radix: 16) + "\r\n" + piece + "\r\n"
        }
        return head + "Transfer-Encoding: chunked\r\n\r\n" + text + "0\r\n\r\n"
    }

    @Test(
        "recorded requests read back whole however the bytes are cut",
        arguments: ["openai-chat-tools", "openai-embeddings-batch-unicode", "openai-completions-basic"], [false, true]
    )
    func recordings(name: String, chunked: Bool) throws {
        let recording = try WireRecording.load(name)
        let wire = Self.wire(recording, chunked: chunked)
        let whole = try Self.read(wire)
        #expect(whole.body == Array(recording.requestBody.utf8))
        #expect(whole.ends == ["end"])
        #expect(whole.heads.first?.hasPrefix("POST \(recording.requestPath) HTTP/1.1 Host=127.0.0.1:4000") == true)
        for cut in 1..<wire.utf8.count {
            #expect(try Self.read(wire, cuts: [cut]) == whole, "cut at \(cut)")
        }
        #expect(try Self.read(wire, cuts: Array(stride(from: 1, to: wire.utf8.count, by: 5))) == whole)
    }

    @Test(
        "pipelined requests, one after the other (empty lines between them ignored); a request without length or chunks has no body"
    )
    func pipelined() throws {
        let wire =
            "\r\nGET /v1/models HTTP/1.1\r\nhost: x\r\n\r\n\r\n"
            + "POST /v1/embeddings HTTP/1.0\r\ncontent-length: 2\r\n\r\n{}"
            + "POST /v1/chat/completions HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n1\r\n{\r\n1;x=y\r\n}\r\n0\r\nx-t: 1\r\n\r\n"
        #expect(
            try Self.read(wire)
                == Reading(
                    heads: [
                        "GET /v1/models HTTP/1.1 host=x", "POST /v1/embeddings HTTP/1.0 content-length=2",
                        "POST /v1/chat/completions HTTP/1.1 transfer-encoding=chunked",
                    ],
                    body: Array("{}{}".utf8),
                    ends: ["end", "end", "[\"x-t=1\"]"]
                ))
    }

    @Test(
        "what is not HTTP/1.1 is refused, naming the cause",
        arguments: [
            // The four cases the e2e suite sends through a real socket.
            ("GARBAGE\r\n\r\n", "its request line is not 'METHOD target HTTP/1.x' (\"GARBAGE\")"),
            (
                "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nno colon here\r\n\r\n",
                "a header line is not 'name: value' (\"no colon here\")"
            ),
            (
                "POST / HTTP/1.1\r\ncontent-length: twelve\r\n\r\n",
                "its content-length is not one whole number (\"twelve\")"
            ),
            ("POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n", "a chunk size is not hexadecimal"),
            // Framing that a provider could read differently.
            (
                "POST / HTTP/1.1\r\ncontent-length: 2\r\ntransfer-encoding: chunked\r\n\r\n",
                "it has both content-length and transfer-encoding"
            ),
            (
                "POST / HTTP/1.1\r\ntransfer-encoding: gzip\r\n\r\n",
                "its transfer-encoding \"gzip\" does not end in chunked"
            ),
            (
                "POST / HTTP/1.1\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n",
                "it has two different content-lengths"
            ),
            ("GET /a b HTTP/1.1\r\n\r\n", "its request line is not 'METHOD target HTTP/1.x' (\"GET /a b HTTP/1.1\")"),
            ("GET / HTTP/2.0\r\n\r\n", "its request line is not 'METHOD target HTTP/1.x' (\"GET / HTTP/2.0\")"),
            ("G(T / HTTP/1.1\r\n\r\n", "its request line is not 'METHOD target HTTP/1.x' (\"G(T / HTTP/1.1\")"),
        ]
    )
    func refused(wire: String, reason: String) throws {
        #expect(throws: HTTP1ParseError(reason: reason)) { try Self.read(wire) }
    }

    @Test("a head larger than 80 KiB is refused before all of it arrives")
    func headTooLarge() throws {
        var parser = HTTP1RequestParser()
        parser.append(ByteBuffer(string: "POST / HTTP/1.1\r\nx: " + String(repeating: "a", count: 81 * 1024)))
        #expect(throws: HTTP1ParseError(reason: "its request head is larger than 80 KiB")) { try parser.next() }
    }

    @Test("the codec hands on request parts, and a refusal once as an error")
    func codec() throws {
        let channel = EmbeddedChannel(handler: HTTP1ServerCodec())
        try channel.writeInbound(ByteBuffer(string: "POST /v1/embeddings HTTP/1.1\r\ncontent-length: 2\r\n\r\n{}"))
        guard case .head(let head) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no head")
            return
        }
        #expect(head.uri == "/v1/embeddings" && head.isKeepAlive)
        guard case .body(let body) = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: body) == "{}")
        guard case .end = try channel.readInbound(as: HTTPServerRequestPart.self) else {
            Issue.record("no end")
            return
        }
        #expect(throws: HTTP1ParseError(reason: "its request line is not 'METHOD target HTTP/1.x' (\"nonsense\")")) {
            try channel.writeInbound(ByteBuffer(string: "nonsense\r\n\r\n"))
        }
        // Nothing more is read from a connection that spoke garbage.
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        #expect(try channel.readInbound(as: HTTPServerRequestPart.self) == nil)
    }
}
