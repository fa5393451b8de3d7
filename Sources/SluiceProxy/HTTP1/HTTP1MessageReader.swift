import NIOCore
import NIOHTTP1

/// What the request and response parsers share: the bytes not yet read, and where the message being read
/// stands (its head, its body, or past a refusal). Each parser brings its own head: how to read it and how
/// the body after it is framed.
///
/// A value with no I/O: bytes go in with ``append(_:)``, events come out of ``next(readingHead:)`` until it
/// needs more bytes. Bodies are handed on as slices of the buffers read (no copy). After an
/// ``HTTP1ParseError`` nothing more is read.
struct HTTP1MessageReader<Head: Equatable> {
    enum Event: Equatable {
        case head(Head)
        case body(ByteBuffer)
        case end(HTTPHeaders?)
    }

    /// What the end of the connection meant for the message being read.
    enum Ending: Equatable {
        /// Between messages: nothing was lost.
        case clean
        /// The body ran up to the end of the connection, which ends it.
        case end
        /// In the middle of a message: it was cut.
        case cut
    }

    private enum State: Equatable {
        case head
        case body(HTTP1BodyReader)
        case failed
    }

    private var state = State.head
    private var bytes = HTTP1PendingBytes()
    /// The repeated header strings, made once: the event loop's (see ``HTTP1FieldStrings``). Handed to
    /// the head reader.
    private let strings: HTTP1FieldStrings

    init(fieldStrings: HTTP1FieldStrings) {
        self.strings = fieldStrings
    }

    /// Adds bytes read from the connection.
    mutating func append(_ buffer: ByteBuffer) {
        guard self.state != .failed else { return }
        self.bytes.append(buffer)
    }

    /// The next event, or nil when more bytes are needed. `readingHead` reads a head from the bytes (nil
    /// when it has not all arrived), making its strings through the cache it is given, and says how its
    /// body is framed.
    mutating func next(
        readingHead: (inout ByteBuffer, HTTP1FieldStrings) throws(HTTP1ParseError) -> (Head, HTTP1BodyReader.Framing)?
    ) throws(HTTP1ParseError) -> Event? {
        guard var buffer = self.bytes.take() else {
            // Only a body read whole (or none at all) ends without more bytes.
            guard case .body(let reader) = self.state, reader.isComplete else { return nil }
            self.state = .head
            return .end(nil)
        }
        defer { self.bytes.putBack(buffer) }
        do {
            return try self.step(&buffer, readingHead: readingHead)
        } catch {
            self.state = .failed
            buffer.clear()
            throw error
        }
    }

    /// What the end of the connection means for the message being read; nothing is read after it.
    mutating func finish() -> Ending {
        defer { self.state = .failed }
        switch self.state {
        case .head: return self.bytes.isEmpty ? .clean : .cut
        case .body(let reader): return reader.endsWithConnection ? .end : .cut
        case .failed: return .clean
        }
    }

    private mutating func step(
        _ buffer: inout ByteBuffer,
        readingHead: (inout ByteBuffer, HTTP1FieldStrings) throws(HTTP1ParseError) -> (Head, HTTP1BodyReader.Framing)?
    ) throws(HTTP1ParseError) -> Event? {
        switch self.state {
        case .failed:
            buffer.clear()
            return nil
        case .head:
            guard let (head, framing) = try readingHead(&buffer, self.strings) else { return nil }
            self.state = .body(HTTP1BodyReader(framing))
            return .head(head)
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
        }
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
