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
    enum Event: Equatable {
        case head(HTTPResponseHead)
        case body(ByteBuffer)
        case end(HTTPHeaders?)
    }

    /// What the end of the connection meant for the response being read.
    enum Ending: Equatable {
        /// Between responses: nothing was lost.
        case clean
        /// The body ran up to the end of the connection, which ends it.
        case end
        /// In the middle of a response: it was cut.
        case cut
    }

    private enum State: Equatable {
        case head
        case body(HTTP1BodyReader)
        case failed
    }

    private var state = State.head
    private var bytes = HTTP1PendingBytes()

    /// Adds bytes read from the connection.
    mutating func append(_ buffer: ByteBuffer) {
        guard self.state != .failed else { return }
        self.bytes.append(buffer)
    }

    /// The next event, or nil when more bytes are needed. `respondingToHEAD` says whether the response
    /// being read answers a `HEAD` request (its head carries no body).
    mutating func next(respondingToHEAD: Bool) throws(HTTP1ParseError) -> Event? {
        guard var buffer = self.bytes.take() else {
            // Only a body read whole (or none at all) ends without more bytes.
            guard case .body(let reader) = self.state, reader.isComplete else { return nil }
            self.state = .head
            return .end(nil)
        }
        defer { self.bytes.putBack(buffer) }
        do {
            return try self.step(&buffer, respondingToHEAD: respondingToHEAD)
        } catch {
            self.state = .failed
            buffer.clear()
            throw error
        }
    }

    /// What the end of the connection means for the response being read; nothing is read after it.
    mutating func finish() -> Ending {
        defer { self.state = .failed }
        switch self.state {
        case .head: return self.bytes.isEmpty ? .clean : .cut
        case .body(let reader): return reader.endsWithConnection ? .end : .cut
        case .failed: return .clean
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer, respondingToHEAD: Bool) throws(HTTP1ParseError) -> Event? {
        while true {
            switch self.state {
            case .failed:
                buffer.clear()
                return nil
            case .body(var reader):
                let output = try reader.next(&buffer)
                switch output {
                case .body(let slice):
                    self.state = .body(reader)
                    return .body(slice)
                case .end(let trailers):
                    self.state = .head
                    return .end(trailers)
                case nil:
                    self.state = .body(reader)
                    return nil
                }
            case .head:
                guard
                    var (section, lines) = try HTTP1Syntax.takeSection(
                        &buffer, limit: HTTP1Syntax.maxHeadBytes, what: "response head")
                else { return nil }
                var fields = HTTP1Syntax.FramingFields()
                let head = try Self.parseHead(&section, lines: lines, framing: &fields)
                let code = head.status.code
                if code >= 100 && code < 200 && code != 101 {
                    continue  // interim: the final head follows
                }
                let framing = try Self.framing(of: head, fields: fields, respondingToHEAD: respondingToHEAD)
                self.state = .body(HTTP1BodyReader(framing))
                return .head(head)
            }
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
        _ section: inout ByteBuffer, lines: Int, framing: inout HTTP1Syntax.FramingFields
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
            headers: try HTTP1Syntax.parseFields(&section, count: lines - 1, framing: &framing)
        )
    }
}

/// Bytes read and not yet consumed by a parser. The common read is consumed whole, so it is kept as it
/// came (its body slices share its storage); only a message split across reads is copied together.
struct HTTP1PendingBytes {
    private var buffer: ByteBuffer?

    var isEmpty: Bool { (self.buffer?.readableBytes ?? 0) == 0 }

    mutating func append(_ incoming: ByteBuffer) {
        if var buffer = self.buffer, buffer.readableBytes > 0 {
            self.buffer = nil  // one reference while appending: no copy on write
            var incoming = incoming
            buffer.writeBuffer(&incoming)
            self.buffer = buffer
        } else {
            self.buffer = incoming
        }
    }

    /// The bytes, handed over whole (so consuming them copies nothing), or nil when there are none; put
    /// back what is left.
    mutating func take() -> ByteBuffer? {
        defer { self.buffer = nil }
        return self.buffer
    }

    mutating func putBack(_ rest: ByteBuffer) {
        self.buffer = rest.readableBytes > 0 ? rest : nil
    }
}
