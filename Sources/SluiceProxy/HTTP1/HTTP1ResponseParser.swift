import NIOCore
import NIOHTTP1

/// Reads HTTP/1.1 responses from a provider's bytes: heads, body slices and ends, one event at a time.
///
/// A value with no I/O: bytes go in with ``append(_:)``, events come out of ``next(respondingToHEAD:)``
/// until it needs more bytes. Bodies are handed on as slices of the buffers read (no copy). A body is
/// framed as RFC 9112 §6.3 says: none for a `HEAD` request or a 1xx, 204 or 304 status; chunked when
/// `transfer-encoding` ends in `chunked`; otherwise `content-length` bytes; otherwise up to the end of
/// the connection (``finish()``). An interim 1xx head (but 101) is read and dropped: the final head
/// follows. Anything else that is not HTTP/1.x is an ``HTTP1ParseError`` naming what is wrong, after
/// which nothing more is read.
struct HTTP1ResponseParser {
    typealias Event = HTTP1MessageReader<HTTPResponseHead>.Event
    typealias Ending = HTTP1MessageReader<HTTPResponseHead>.Ending

    private var reader: HTTP1MessageReader<HTTPResponseHead>
    /// Whether the connection stays open after the response whose head was read last (RFC 9112 §9.3),
    /// told by its fields as they were parsed: no second walk over them.
    private(set) var headKeepsAlive = true

    /// `fieldStrings`: the event loop's cache of repeated header strings.
    init(fieldStrings: HTTP1FieldStrings = HTTP1FieldStrings()) {
        self.reader = HTTP1MessageReader(fieldStrings: fieldStrings)
    }

    /// Adds bytes read from the connection.
    mutating func append(_ buffer: ByteBuffer) {
        self.reader.append(buffer)
    }

    /// The next event, or nil when more bytes are needed. `respondingToHEAD` says whether the response
    /// being read answers a `HEAD` request (its head carries no body).
    mutating func next(respondingToHEAD: Bool) throws(HTTP1ParseError) -> Event? {
        var keepsAlive: Bool?
        let event = try self.reader.next { buffer, strings throws(HTTP1ParseError) in
            guard let read = try Self.readHead(&buffer, respondingToHEAD: respondingToHEAD, strings: strings)
            else { return nil }
            keepsAlive = read.keepsAlive
            return (read.head, read.framing)
        }
        if let keepsAlive { self.headKeepsAlive = keepsAlive }
        return event
    }

    /// What the end of the connection means for the response being read; nothing is read after it.
    mutating func finish() -> Ending {
        self.reader.finish()
    }

    /// The final head and its body's framing, once all of it has arrived; interim 1xx heads are dropped.
    private static func readHead(
        _ buffer: inout ByteBuffer, respondingToHEAD: Bool, strings: HTTP1FieldStrings
    ) throws(HTTP1ParseError) -> (head: HTTPResponseHead, framing: HTTP1BodyReader.Framing, keepsAlive: Bool)? {
        while true {
            guard
                let taken = try HTTP1Syntax.takeSection(
                    &buffer, limit: HTTP1Syntax.maxHeadBytes, what: "response head")
            else { return nil }
            var section = taken.section
            var fields = HTTP1Syntax.FramingFields()
            let head = try Self.parseHead(&section, lines: taken.lines, framing: &fields, strings: strings)
            let code = head.status.code
            if code >= 100 && code < 200 && code != 101 {
                continue  // interim: the final head follows
            }
            return (
                head, try Self.framing(of: head, fields: fields, respondingToHEAD: respondingToHEAD),
                HTTP1Syntax.keepsAlive(fields.keepAlive, version: head.version)
            )
        }
    }

    /// How the body after `head` is framed (RFC 9112 §6.3).
    private static func framing(
        of head: HTTPResponseHead, fields: HTTP1Syntax.FramingFields, respondingToHEAD: Bool
    ) throws(HTTP1ParseError) -> HTTP1BodyReader.Framing {
        let code = head.status.code
        if respondingToHEAD || code == 101 || code == 204 || code == 304 { return .length(0) }
        // The last coding decides: chunked, or a body that runs to the end of the connection.
        if let codings = fields.transferEncoding { return HTTP1Syntax.endsInChunked(codings) ? .chunked : .untilEnd }
        guard let length = fields.contentLength else { return .untilEnd }
        guard !fields.contentLengthsDiffer else {
            throw HTTP1ParseError(reason: "it has two different content-lengths")
        }
        return .length(try HTTP1Syntax.contentLength(length))
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason]`, then the header fields.
    private static func parseHead(
        _ section: inout ByteBuffer, lines: Int, framing: inout HTTP1Syntax.FramingFields, strings: HTTP1FieldStrings
    ) throws(HTTP1ParseError) -> HTTPResponseHead {
        guard let statusLine = try HTTP1Syntax.takeLine(&section, limit: section.readableBytes, what: "response line"),
            statusLine.readableBytes > 0
        else { throw HTTP1ParseError(reason: "its response head is empty") }
        let parsed = statusLine.withUnsafeReadableBytes { bytes -> (minor: UInt8, code: Int)? in
            guard bytes.count >= 12, bytes.starts(with: "HTTP/1.".utf8), bytes[7] == 0x30 || bytes[7] == 0x31,
                bytes[8] == 0x20, bytes.count == 12 || bytes[12] == 0x20
            else { return nil }
            var code = 0
            for index in 9..<12 {
                guard bytes[index] >= 0x30 && bytes[index] <= 0x39 else { return nil }
                code = code * 10 + Int(bytes[index] - 0x30)
            }
            return (bytes[7], code)
        }
        guard let (minor, code) = parsed else {
            throw HTTP1ParseError(reason: "its status line is not HTTP/1.x (\(HTTP1Syntax.quoted(statusLine)))")
        }
        guard code >= 100 else { throw HTTP1ParseError(reason: "its status code \(code) is out of range") }
        return HTTPResponseHead(
            version: minor == 0x31 ? .http1_1 : .http1_0,
            status: HTTPResponseStatus(statusCode: code),
            headers: try HTTP1Syntax.parseFields(&section, count: lines - 1, framing: &framing, strings: strings)
        )
    }
}
