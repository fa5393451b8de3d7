import NIOCore
import NIOHTTP2

/// Completes the HEADERS frame of an answer as NIO's `NIOHTTP2Handler` writes it to the socket: the block
/// NIO encoded holds `:status` and `content-length` (``HTTP2ResponseBlock/nioPart(status:contentLength:)``),
/// and the answer's other fields, already encoded by Sluice (``HTTP2ResponseBlock/writeFields(_:to:)``),
/// are appended to it.
///
/// Why: NIO's HPACK encoder Huffman-codes every name and value and looks each name up in its tables, which
/// measured about a tenth of Sluice's CPU per h2c request for an answer's twenty-odd relayed provider
/// fields. NIO does not let a caller switch Huffman coding off or hand it an encoded block, so the fields
/// go around its encoder: NIO still writes the frame, keeps the stream's state (checking the answer's DATA
/// against its `content-length`) and encodes its part (after any dynamic table size update the block must
/// begin with); the fields are literals that touch no dynamic table (RFC 7541 §6.2.2), so the two encoders
/// cannot disagree about the table.
///
/// Sits between NIO's handler and the socket. ``HTTP2AppConnection`` hands it the fields from NIO's
/// `wroteFrame` call, which NIO makes just before it writes that frame's bytes; the next write is then
/// that frame, whole (a HEADERS frame's block is never a separate write). Every other write passes as it
/// is.
final class HTTP2HeaderSplicer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// The largest block spliced fields may make: RFC 9113's smallest SETTINGS_MAX_FRAME_SIZE, which every
    /// peer accepts. An answer whose fields would not fit is given to NIO's encoder whole instead.
    static let maxBlock = 16_384
    /// Room left in ``maxBlock`` for what NIO encodes ahead of the fields: `:status` (at most 5 bytes),
    /// `content-length` (at most 16 for the 19 digits a length can have) and up to two dynamic table size
    /// updates (at most 6 each), with room to spare.
    static let nioPart = 64

    /// Room kept in front of an answer's encoded fields (``fieldsBuffer(allocator:capacity:)``) for the frame
    /// NIO writes, its 9-byte header and its part of the block, which the splice places there: the frame goes
    /// out as one buffer without NIO's frame being copied to make room behind it.
    static let headroom = 9 + HTTP2HeaderSplicer.nioPart

    /// An empty buffer for an answer's encoded fields, with ``headroom`` in front of them. It is the last
    /// spliced frame's storage when the socket has let go of that (the connection's next answer, mostly).
    func fieldsBuffer(allocator: ByteBufferAllocator, capacity: Int) -> ByteBuffer {
        var buffer: ByteBuffer
        if var spare = self.spare {
            self.spare = nil
            // Allocates a fresh storage (copying nothing) if the write still holds this one.
            spare.clear(minimumCapacity: Self.headroom + capacity)
            buffer = spare
        } else {
            buffer = allocator.buffer(capacity: Self.headroom + capacity)
        }
        buffer.moveWriterIndex(forwardBy: Self.headroom)
        buffer.moveReaderIndex(forwardBy: Self.headroom)
        return buffer
    }

    /// The last spliced frame, kept once written for ``fieldsBuffer(allocator:capacity:)``; never written to
    /// while the write shares it.
    private var spare: ByteBuffer?
    /// A larger frame is not kept: an idle connection should not hold a big head's memory.
    static let spareLimit = 4 * 1024

    /// Whether `fields` may be spliced into one HEADERS frame.
    static func fits(_ fields: ByteBuffer) -> Bool {
        fields.readableBytes <= Self.maxBlock - Self.nioPart
    }

    /// The encoded fields of the HEADERS frame that NIO's handler writes next, and that frame's stream.
    private var next: (fields: ByteBuffer, stream: HTTP2StreamID)?

    func spliceIntoNextWrite(_ fields: ByteBuffer, stream: HTTP2StreamID) {
        self.next = (fields, stream)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .some((var fields, let stream)) = self.next else {
            context.write(data, promise: promise)
            return
        }
        // Let go here, so that the fields' buffer is not shared when the frame is placed in it.
        self.next = nil
        guard case .byteBuffer(let frame) = self.unwrapOutboundIn(data),
            let spliced = Self.splice(&fields, into: frame, stream: stream)
        else {
            // Not a frame NIO writes for HEADERS: the fields cannot be placed, and the stream is broken.
            promise?.fail(HTTP2HeaderSpliceError())
            context.fireErrorCaught(HTTP2HeaderSpliceError())
            context.close(promise: nil)
            return
        }
        context.write(self.wrapOutboundOut(.byteBuffer(spliced)), promise: promise)
        if spliced.capacity <= Self.spareLimit { self.spare = spliced }
    }

    /// `frame` (a whole HEADERS frame: its 9-byte header, then the block) with `fields` appended to its block
    /// and its length raised to match; nil if `frame` is not a HEADERS frame of `stream` with END_HEADERS
    /// set. The frame is copied into the room in front of `fields` when there is enough (the usual case, from
    /// ``fieldsBuffer(allocator:capacity:)``), else the fields behind a copy of the frame. Pure.
    static func splice(_ fields: inout ByteBuffer, into frame: ByteBuffer, stream: HTTP2StreamID) -> ByteBuffer? {
        let start = frame.readerIndex
        guard frame.readableBytes >= 9,
            let high = frame.getInteger(at: start, as: UInt8.self),
            let low = frame.getInteger(at: start + 1, as: UInt16.self),
            frame.getInteger(at: start + 3, as: UInt8.self) == 0x1,
            let flags = frame.getInteger(at: start + 4, as: UInt8.self), flags & 0x4 != 0,
            let id = frame.getInteger(at: start + 5, as: UInt32.self), id & 0x7FFF_FFFF == UInt32(Int(stream))
        else { return nil }
        let length = Int(high) << 16 | Int(low)
        guard length == frame.readableBytes - 9 else { return nil }
        let newLength = length + fields.readableBytes
        guard newLength <= Self.maxBlock else { return nil }
        if fields.readerIndex >= frame.readableBytes {
            let front = fields.readerIndex - frame.readableBytes
            fields.setBuffer(frame, at: front)
            fields.moveReaderIndex(to: front)
            Self.setLength(newLength, of: &fields)
            return fields
        }
        var spliced = frame
        spliced.writeBuffer(&fields)
        Self.setLength(newLength, of: &spliced)
        return spliced
    }

    /// Sets the 24-bit length of the frame that starts at `frame`'s reader index.
    private static func setLength(_ length: Int, of frame: inout ByteBuffer) {
        frame.setInteger(UInt8(length >> 16), at: frame.readerIndex)
        frame.setInteger(UInt16(length & 0xFFFF), at: frame.readerIndex + 1)
    }
}

/// The write after NIO announced a HEADERS frame was not that frame: a frame written out of the expected
/// order.
struct HTTP2HeaderSpliceError: Error, CustomStringConvertible {
    var description: String { "an HTTP/2 answer's header fields could not be placed in its HEADERS frame" }
}
