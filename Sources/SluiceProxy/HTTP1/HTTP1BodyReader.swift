import NIOCore
import NIOHTTP1

/// Reads one message body as its framing says: slices of the bytes read (never a copy), then its end
/// with any trailers. Shared by the request and the response parser.
struct HTTP1BodyReader: Equatable {
    enum Framing: Equatable {
        /// `content-length` bytes (0: no body).
        case length(Int)
        case chunked
        /// Up to the end of the connection (a response with neither length nor chunks).
        case untilEnd
    }

    enum Output: Equatable {
        case body(ByteBuffer)
        case end(HTTPHeaders?)
    }

    private enum State: Equatable {
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilEnd
    }

    private var state: State

    init(_ framing: Framing) {
        switch framing {
        case .length(let length): self.state = .fixed(remaining: length)
        case .chunked: self.state = .chunkSize
        case .untilEnd: self.state = .untilEnd
        }
    }

    /// Whether the body runs to the end of the connection (so the connection's end ends it).
    var endsWithConnection: Bool { self.state == .untilEnd }

    /// Whether all of the body was read: its end needs no more bytes.
    var isComplete: Bool { self.state == .fixed(remaining: 0) }

    /// The next piece of the body from `buffer`, or nil when more bytes are needed.
    mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1ParseError) -> Output? {
        while true {
            switch self.state {
            case .fixed(let remaining):
                if remaining == 0 { return .end(nil) }
                let take = min(remaining, buffer.readableBytes)
                guard take > 0 else { return nil }
                self.state = .fixed(remaining: remaining - take)
                return .body(buffer.readSlice(length: take)!)
            case .untilEnd:
                guard buffer.readableBytes > 0 else { return nil }
                return .body(buffer.readSlice(length: buffer.readableBytes)!)
            case .chunkSize:
                guard
                    let line = try HTTP1Syntax.takeLine(
                        &buffer, limit: HTTP1Syntax.maxChunkLineBytes, what: "chunk size line")
                else { return nil }
                let size = try HTTP1Syntax.chunkSize(line)
                self.state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, buffer.readableBytes)
                guard take > 0 else { return nil }
                self.state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
                return .body(buffer.readSlice(length: take)!)
            case .chunkDataEnd:
                guard let line = try HTTP1Syntax.takeLine(&buffer, limit: 2, what: "chunk end") else { return nil }
                guard line.readableBytes == 0 else {
                    throw HTTP1ParseError(reason: "a chunk's data is longer than its size says")
                }
                self.state = .chunkSize
            case .trailers:
                guard
                    let taken = try HTTP1Syntax.takeSection(
                        &buffer, limit: HTTP1Syntax.maxHeadBytes, what: "trailer section")
                else { return nil }
                var section = taken.section
                var framing = HTTP1Syntax.FramingFields()
                let fields = try HTTP1Syntax.parseFields(&section, count: taken.lines, framing: &framing)
                self.state = .fixed(remaining: 0)
                return .end(fields.isEmpty ? nil : fields)
            }
        }
    }
}
