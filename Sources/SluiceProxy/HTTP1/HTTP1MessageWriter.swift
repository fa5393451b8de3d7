import NIOCore
import NIOHTTP1

/// The part of an HTTP/1.1 encoder both directions share: the framing of a message's body, and its head,
/// body and end gathered into one buffer so that a small message leaves in one write.
///
/// NIO's encoders write a message as separate pieces (the head, the body, and for a chunked body a size
/// line and a CRLF around every chunk), each its own trip through the pipeline and its own iovec, and
/// they make the framing headers right by removing from and adding to a copy of the headers. Here the
/// head is serialised once, skipping whatever framing header must not go out, and held until the body
/// and end join it, a flush, or a body too large to copy. The framing rules are NIO's
/// (`automaticallySetFramingHeaders`): a message that may have a body keeps its `content-length` and
/// loses `transfer-encoding`, or is chunked when it has neither; one that may not (1xx, 204, 304) loses
/// both.
///
/// Writes keep their order and every promise completes once the bytes it covers are written (or fail).
struct HTTP1MessageWriter {
    /// Body chunks up to this size are copied behind what is held; larger ones are written as they are.
    static let coalesceLimit = 16 * 1024

    /// Whether a message may carry a body, and what its framing headers say.
    enum BodyRule {
        /// A response to which no body belongs (1xx, 204, 304).
        case none
        /// A response, or a request whose method carries a body: chunked unless it has a length.
        case expected
        /// A request whose method rarely carries one (GET): chunked only if it says so.
        case unlikely
    }

    /// What is held back: the head serialised, and body bytes behind it.
    private var held: ByteBuffer?
    /// The last message's buffer, once written: the next message is serialised into its storage when the
    /// socket has let go of it (a keep-alive connection's next message, nearly always), instead of a new one.
    private var spare: ByteBuffer?
    /// A larger buffer is not kept: an idle connection should not hold a big answer's memory.
    static let spareLimit = 8 * 1024
    private var heldPromise: EventLoopPromise<Void>?
    private(set) var isChunked = false

    /// Writes a part of a request: its method says whether a body belongs to it.
    mutating func write(_ part: HTTPClientRequestPart, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?)
    {
        switch part {
        case .head(let head):
            let rule: BodyRule
            switch head.method {
            case .POST, .PUT, .PATCH: rule = .expected
            case .TRACE: rule = .none
            default: rule = .unlikely
            }
            self.head(head.headers, rule: rule, version: head.version, context: context, promise: promise) {
                buffer in
                buffer.writeString(head.method.rawValue)
                buffer.writeStaticString(" ")
                buffer.writeString(head.uri)
                buffer.writeStaticString(" ")
                Self.write(head.version, into: &buffer)
                buffer.writeStaticString("\r\n")
            }
        case .body(let data):
            self.body(data, context: context, promise: promise)
        case .end(let trailers):
            self.end(trailers, context: context, promise: promise)
        }
    }

    /// Writes a part of an answer: its status says whether a body belongs to it.
    mutating func write(
        _ part: HTTPServerResponsePart, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        switch part {
        case .head(let head):
            let rule: BodyRule = head.status.mayHaveResponseBody ? .expected : .none
            self.head(head.headers, rule: rule, version: head.version, context: context, promise: promise) {
                buffer in
                Self.write(head.version, into: &buffer)
                buffer.writeStaticString(" ")
                buffer.writeString(String(head.status.code))
                buffer.writeStaticString(" ")
                buffer.writeString(head.status.reasonPhrase)
                buffer.writeStaticString("\r\n")
            }
        case .body(let data):
            self.body(data, context: context, promise: promise)
        case .end(let trailers):
            self.end(trailers, context: context, promise: promise)
        }
    }

    private static func write(_ version: HTTPVersion, into buffer: inout ByteBuffer) {
        if version == .http1_1 {
            buffer.writeStaticString("HTTP/1.1")
        } else {
            buffer.writeString("HTTP/\(version.major).\(version.minor)")
        }
    }

    /// Serialises a head: `startLine` writes the first line (with its CRLF), then the headers, with the
    /// framing headers made consistent.
    private mutating func head(
        _ headers: HTTPHeaders,
        rule: BodyRule,
        version: HTTPVersion,
        context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?,
        startLine: (inout ByteBuffer) -> Void
    ) {
        // A held message (a 100-continue before its final head) goes first.
        self.writeHeld(context: context)
        // One pass finds the framing headers and the size of the fields; one copies them.
        var hasLength = false
        var hasTransferEncoding = false
        var saysChunked = false
        var size = 0
        for (name, value) in headers {
            switch name.utf8.count {
            case 14 where HTTP1Syntax.equalsLowercase(name, "content-length"):
                hasLength = true
            case 17 where HTTP1Syntax.equalsLowercase(name, "transfer-encoding"):
                hasTransferEncoding = true
                saysChunked = HTTP1Syntax.equalsLowercase(value, "chunked")
            default:
                break
            }
            size += name.utf8.count + value.utf8.count + 4
        }
        let dropLength: Bool
        let dropTransferEncoding: Bool
        let addChunked: Bool
        switch rule {
        case .none:
            (dropLength, dropTransferEncoding, addChunked, self.isChunked) = (true, true, false, false)
        case _ where hasLength:
            (dropLength, dropTransferEncoding, addChunked, self.isChunked) = (false, true, false, false)
        case _ where version.major != 1 || version.minor == 0:
            // HTTP/1.0 knows no chunks: such a body ends with the connection.
            (dropLength, dropTransferEncoding, addChunked, self.isChunked) = (false, false, false, false)
        case .expected:
            (dropLength, dropTransferEncoding, addChunked, self.isChunked) = (false, true, true, true)
        case .unlikely:
            (dropLength, dropTransferEncoding, addChunked, self.isChunked) = (false, false, false, saysChunked)
        }
        // Room for the start line and a small body behind the head (a chat answer, an embedding request),
        // so that the whole message is one buffer that never grows.
        var buffer = self.takeBuffer(capacity: size + 1024, allocator: context.channel.allocator)
        startLine(&buffer)
        // The common message has a length and nothing to drop.
        let drops = (dropLength && hasLength) || (dropTransferEncoding && hasTransferEncoding)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { out in
            var offset = 0
            for (name, value) in headers {
                if drops {
                    if dropLength && HTTP1Syntax.equalsLowercase(name, "content-length") { continue }
                    if dropTransferEncoding && HTTP1Syntax.equalsLowercase(name, "transfer-encoding") { continue }
                }
                offset = Self.copy(name, to: out, at: offset)
                out[offset] = UInt8(ascii: ":")
                out[offset + 1] = UInt8(ascii: " ")
                offset = Self.copy(value, to: out, at: offset + 2)
                out[offset] = UInt8(ascii: "\r")
                out[offset + 1] = UInt8(ascii: "\n")
                offset += 2
            }
            return offset
        }
        if addChunked { buffer.writeStaticString("transfer-encoding: chunked\r\n") }
        buffer.writeStaticString("\r\n")
        self.held = buffer
        self.heldPromise = promise
    }

    /// Copies `text`'s UTF-8 to `out` at `offset`; returns the offset after it. One copy, not a write per
    /// string with its own capacity and uniqueness checks.
    @inline(__always)
    private static func copy(_ text: String, to out: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
            UnsafeMutableRawBufferPointer(rebasing: out[offset..<offset + bytes.count]).copyMemory(
                from: UnsafeRawBufferPointer(bytes))
            return offset + bytes.count
        }
        if let copied { return copied }
        var end = offset
        for byte in text.utf8 {
            out[end] = byte
            end += 1
        }
        return end
    }

    /// Adds body bytes: behind what is held when they are small, otherwise after it.
    private mutating func body(_ data: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard case .byteBuffer(var chunk) = data else {
            // A file region is never copied: what is held goes, then the region in its framing.
            self.writeHeld(context: context)
            self.writeFramed(data, context: context, promise: promise)
            return
        }
        let size = chunk.readableBytes
        if size == 0 {
            // An empty chunk would end a chunked body; only its promise is kept, in order.
            self.hold(nothing: promise, context: context)
            return
        }
        if size > Self.coalesceLimit || (self.held == nil && !self.isChunked) {
            // Too large to copy, or nothing to join: written as it is.
            self.writeHeld(context: context)
            self.writeFramed(data, context: context, promise: promise)
            return
        }
        var buffer = self.held ?? self.takeBuffer(capacity: size + 16, allocator: context.channel.allocator)
        self.held = nil
        if self.isChunked {
            buffer.writeString(String(size, radix: 16))
            buffer.writeStaticString("\r\n")
            buffer.writeBuffer(&chunk)
            buffer.writeStaticString("\r\n")
        } else {
            buffer.writeBuffer(&chunk)
        }
        self.held = buffer
        self.heldPromise = Self.merge(self.heldPromise, promise)
        if buffer.readableBytes > Self.coalesceLimit { self.writeHeld(context: context) }
    }

    /// Ends the message: the chunked terminator (with any trailers) joins what is held, and all of it goes.
    private mutating func end(
        _ trailers: HTTPHeaders?, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        if self.isChunked {
            var buffer = self.held ?? self.takeBuffer(capacity: 8, allocator: context.channel.allocator)
            self.held = nil
            buffer.writeStaticString("0\r\n")
            for (name, value) in trailers ?? [:] {
                buffer.writeString(name)
                buffer.writeStaticString(": ")
                buffer.writeString(value)
                buffer.writeStaticString("\r\n")
            }
            buffer.writeStaticString("\r\n")
            self.held = buffer
            self.isChunked = false
        }
        self.hold(nothing: promise, context: context)
        self.writeHeld(context: context)
    }

    /// Writes what is held (before a flush, a close, or the next message).
    mutating func writeHeld(context: ChannelHandlerContext) {
        guard let buffer = self.held else { return }
        let promise = self.heldPromise
        self.held = nil
        self.heldPromise = nil
        context.write(NIOAny(IOData.byteBuffer(buffer)), promise: promise)
        // Shared with the pending write until the socket has taken it; never written to while shared.
        if buffer.capacity <= Self.spareLimit { self.spare = buffer }
    }

    /// An empty buffer of at least `capacity`: the spare one when nothing else holds it any more, else new.
    private mutating func takeBuffer(capacity: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        guard var buffer = self.spare else { return allocator.buffer(capacity: capacity) }
        self.spare = nil
        // Reuses the storage if the write has let go of it, and allocates a fresh one (copying nothing) if not.
        buffer.clear(minimumCapacity: capacity)
        return buffer
    }

    /// Fails the promise of what is held and can no longer be written.
    mutating func drop(error: any Error) {
        self.held = nil
        let promise = self.heldPromise
        self.heldPromise = nil
        promise?.fail(error)
    }

    /// A write that adds no bytes: its promise completes with what is held, or at once behind earlier writes.
    private mutating func hold(nothing promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        guard let promise else { return }
        if self.held != nil {
            self.heldPromise = Self.merge(self.heldPromise, promise)
        } else {
            context.write(NIOAny(IOData.byteBuffer(context.channel.allocator.buffer(capacity: 0))), promise: promise)
        }
    }

    /// Writes a body part too large to copy, in its chunk framing when the body is chunked.
    private func writeFramed(_ data: IOData, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard self.isChunked, data.readableBytes > 0 else {
            context.write(NIOAny(data), promise: promise)
            return
        }
        var sizeLine = context.channel.allocator.buffer(capacity: 16)
        sizeLine.writeString(String(data.readableBytes, radix: 16))
        sizeLine.writeStaticString("\r\n")
        context.write(NIOAny(IOData.byteBuffer(sizeLine)), promise: nil)
        context.write(NIOAny(data), promise: nil)
        // Writes complete in order: the last one's promise stands for all three.
        context.write(
            NIOAny(IOData.byteBuffer(context.channel.allocator.buffer(staticString: "\r\n"))), promise: promise)
    }

    /// One promise for writes that complete together.
    private static func merge(
        _ first: EventLoopPromise<Void>?,
        _ second: EventLoopPromise<Void>?
    ) -> EventLoopPromise<Void>? {
        guard let first else { return second }
        guard let second else { return first }
        first.futureResult.cascade(to: second)
        return first
    }
}
