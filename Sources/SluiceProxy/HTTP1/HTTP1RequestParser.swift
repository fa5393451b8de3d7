import NIOCore
import NIOHTTP1

/// Reads HTTP/1.1 requests from an app's bytes: heads, body slices and ends, one event at a time.
///
/// A value with no I/O, like ``HTTP1ResponseParser``. A request's body is framed by `transfer-encoding:
/// chunked` or by `content-length`, and is empty with neither (RFC 9112 §6.3). A request that carries
/// both, or a transfer coding other than chunked, is refused: the two framings could be read
/// differently by the provider (request smuggling). Pipelined requests are read one after the other.
struct HTTP1RequestParser {
    typealias Event = HTTP1MessageReader<HTTPRequestHead>.Event

    private var reader: HTTP1MessageReader<HTTPRequestHead>

    /// `fieldStrings`: the event loop's cache of repeated header strings and request targets.
    init(fieldStrings: HTTP1FieldStrings = HTTP1FieldStrings()) {
        self.reader = HTTP1MessageReader(fieldStrings: fieldStrings)
    }

    /// Adds bytes read from the connection.
    mutating func append(_ buffer: ByteBuffer) {
        self.reader.append(buffer)
    }

    /// The next event, or nil when more bytes are needed.
    mutating func next() throws(HTTP1ParseError) -> Event? {
        try self.reader.next(readingHead: Self.readHead)
    }

    /// A head and its body's framing, once all of it has arrived.
    private static func readHead(
        _ buffer: inout ByteBuffer, strings: HTTP1FieldStrings
    ) throws(HTTP1ParseError) -> (HTTPRequestHead, HTTP1BodyReader.Framing)? {
        // Empty lines before a request line are ignored (RFC 9112 §2.2): some clients end a body with one.
        while let byte = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self), byte == 0x0D || byte == 0x0A {
            buffer.moveReaderIndex(forwardBy: 1)
        }
        guard
            let taken = try HTTP1Syntax.takeSection(
                &buffer, limit: HTTP1Syntax.maxHeadBytes, what: "request head")
        else { return nil }
        var section = taken.section
        var fields = HTTP1Syntax.FramingFields()
        let head = try Self.parseHead(&section, lines: taken.lines, framing: &fields, strings: strings)
        return (head, try Self.framing(fields))
    }

    private static func framing(_ fields: HTTP1Syntax.FramingFields) throws(HTTP1ParseError) -> HTTP1BodyReader.Framing
    {
        if let codings = fields.transferEncoding {
            guard HTTP1Syntax.endsInChunked(codings) else {
                throw HTTP1ParseError(
                    reason: "its transfer-encoding \(codings.debugDescription) does not end in chunked")
            }
            guard fields.contentLength == nil else {
                throw HTTP1ParseError(reason: "it has both content-length and transfer-encoding")
            }
            return .chunked
        }
        guard let length = fields.contentLength else { return .length(0) }
        guard !fields.contentLengthsDiffer else {
            throw HTTP1ParseError(reason: "it has two different content-lengths")
        }
        return .length(try HTTP1Syntax.contentLength(length))
    }

    /// `method SP request-target SP HTTP/1.x`, then the header fields.
    private static func parseHead(
        _ section: inout ByteBuffer, lines: Int, framing: inout HTTP1Syntax.FramingFields, strings: HTTP1FieldStrings
    ) throws(HTTP1ParseError) -> HTTPRequestHead {
        guard let requestLine = try HTTP1Syntax.takeLine(&section, limit: section.readableBytes, what: "request line"),
            requestLine.readableBytes > 0
        else { throw HTTP1ParseError(reason: "its request head is empty") }
        let parsed = requestLine.withUnsafeReadableBytes { bytes -> (method: String, target: String, minor: UInt8)? in
            guard let space = bytes.firstIndex(of: 0x20), space > 0,
                bytes[..<space].allSatisfy(HTTP1Syntax.isTokenByte),
                bytes.count >= space + 1 + 1 + 9
            else { return nil }
            let versionStart = bytes.count - 8
            guard bytes[versionStart - 1] == 0x20,
                UnsafeRawBufferPointer(rebasing: bytes[versionStart...]).starts(with: "HTTP/1.".utf8),
                bytes[bytes.count - 1] == 0x30 || bytes[bytes.count - 1] == 0x31
            else { return nil }
            let target = bytes[(space + 1)..<(versionStart - 1)]
            // A request target is visible ASCII, without spaces (RFC 9112 §3.2).
            guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            return (
                String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<space]), as: UTF8.self),
                strings.string(UnsafeRawBufferPointer(rebasing: target)),
                bytes[bytes.count - 1]
            )
        }
        guard let (method, target, minor) = parsed else {
            throw HTTP1ParseError(
                reason: "its request line is not 'METHOD target HTTP/1.x' (\(HTTP1Syntax.quoted(requestLine)))")
        }
        return HTTPRequestHead(
            version: minor == 0x31 ? .http1_1 : .http1_0,
            method: HTTPMethod(rawValue: method),
            uri: target,
            headers: try HTTP1Syntax.parseFields(&section, count: lines - 1, framing: &framing, strings: strings)
        )
    }
}
