import NIOCore
import NIOHTTP1

/// HTTP/1.1 to a provider in one handler, in place of NIO's request encoder and response decoder.
///
/// Duties:
/// 1. Write each request as one buffer: head, body and end together (``HTTP1MessageWriter``).
/// 2. Read responses with ``HTTP1ResponseParser``: heads, bodies as slices of the bytes read (no copy),
///    ends; interim 1xx heads dropped; a response to a `HEAD` request read without a body.
/// 3. End a body that runs to the close of the connection when it closes; a response cut short is left
///    to the next handler's `channelInactive`, as a close.
/// 4. Report bytes that are not HTTP/1.x once, as an ``HTTP1ParseError``, and read no more.
///
/// Why not NIO's pair: it costs a trip through the pipeline for every part in both directions (two
/// handlers, and the decoder's byte-to-message machinery), llhttp's callbacks for every header, and it
/// writes a request as three buffers.
final class HTTP1ClientCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = IOData

    private var writer = HTTP1MessageWriter()
    private var parser: HTTP1ResponseParser
    private var context: ChannelHandlerContext?
    /// The handler right after this one (``UpstreamResponseHandler``), handed each response part directly
    /// rather than through the pipeline: wrapping a part and casting it back costs more than the handler's
    /// own work on it, three times per response. Nil on a pipeline without it; let go of when this codec
    /// leaves the pipeline (the handler holds the codec too).
    var responseReader: UpstreamResponseHandler?

    /// For each request sent and not yet answered: whether it was a `HEAD`.
    private var awaiting = CircularBuffer<Bool>(initialCapacity: 2)

    /// `fieldStrings`: the event loop's cache of repeated header strings.
    init(fieldStrings: HTTP1FieldStrings = HTTP1FieldStrings()) {
        self.parser = HTTP1ResponseParser(fieldStrings: fieldStrings)
    }

    /// Whether the connection stays open after the response whose head was handed on last.
    var headKeepsAlive: Bool { self.parser.headKeepsAlive }

    // MARK: Requests

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.write(self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    private func write(
        _ part: HTTPClientRequestPart, context: ChannelHandlerContext, promise: EventLoopPromise<Void>?
    ) {
        if case .head(let head) = part { self.awaiting.append(head.method == .HEAD) }
        self.writer.write(part, context: context, promise: promise)
    }

    /// Writes a whole request, as its head, body and end written through the pipeline would be, for the
    /// handler right after this one (``UpstreamResponseHandler``), which calls it directly: three trips
    /// through the pipeline, each wrapping and unwrapping its part, are saved on every request. False once
    /// the codec is out of its pipeline.
    func writeRequest(_ head: HTTPRequestHead, body: ByteBuffer, promise: EventLoopPromise<Void>?) -> Bool {
        guard let context = self.context else { return false }
        self.write(.head(head), context: context, promise: nil)
        if body.readableBytes > 0 { self.write(.body(.byteBuffer(body)), context: context, promise: nil) }
        self.write(.end(nil), context: context, promise: promise)
        return true
    }

    func flush(context: ChannelHandlerContext) {
        self.writer.writeHeld(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.writer.writeHeld(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.responseReader = nil
        self.writer.drop(error: ChannelError.ioOnClosedChannel)
    }

    // MARK: Responses

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.parser.append(self.unwrapInboundIn(data))
        while true {
            let event: HTTP1ResponseParser.Event?
            do {
                event = try self.parser.next(respondingToHEAD: self.awaiting.first ?? false)
            } catch {
                context.fireErrorCaught(error)
                return
            }
            // Fired outside the parser's mutation: the next handler may send the next request from here.
            switch event {
            case .head(let head):
                if !self.awaiting.isEmpty { self.awaiting.removeFirst() }
                self.deliver(.head(head), context: context)
            case .body(let bytes):
                self.deliver(.body(bytes), context: context)
            case .end(let trailers):
                self.deliver(.end(trailers), context: context)
            case nil:
                return
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if self.parser.finish() == .end {
            self.deliver(.end(nil), context: context)
        }
        context.fireChannelInactive()
    }

    /// Hands `part` to the next handler: directly when it is the ``responseReader``.
    private func deliver(_ part: HTTPClientResponsePart, context: ChannelHandlerContext) {
        if let reader = self.responseReader, reader.read(part) { return }
        context.fireChannelRead(self.wrapInboundOut(part))
    }
}
