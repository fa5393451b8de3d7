import NIOCore
import NIOHTTP1

/// HTTP/1.1 with an app in one handler, in place of NIO's request decoder and response encoder.
///
/// Duties:
/// 1. Read requests with ``HTTP1RequestParser``: heads, bodies as slices of the bytes read (no copy),
///    ends; pipelined requests one after the other.
/// 2. Report bytes that are not HTTP/1.1 once, as an ``HTTP1ParseError`` (``RequestHandler`` answers it
///    with a 400 naming the cause and closes), and read no more.
/// 3. Write each answer in as few buffers as it allows (``HTTP1MessageWriter``): a small answer's head,
///    body and end as one, a stream's chunk with its framing as one.
///
/// It does not track request methods for framing: Sluice answers no `HEAD` or `CONNECT` with a body
/// (``RequestHandler`` writes none for them), so an answer is framed by its status alone.
///
/// Why not NIO's pair: it costs a trip through the pipeline for every part in both directions (two
/// handlers, and the decoder's byte-to-message machinery), llhttp's callbacks for every header, and it
/// writes an answer as separate buffers (a chunk as three).
final class HTTP1ServerCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    private var parser: HTTP1RequestParser
    private var writer = HTTP1MessageWriter()

    /// `fieldStrings`: the event loop's cache of repeated header strings.
    init(fieldStrings: HTTP1FieldStrings = HTTP1FieldStrings()) {
        self.parser = HTTP1RequestParser(fieldStrings: fieldStrings)
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.parser.append(self.unwrapInboundIn(data))
        while true {
            let event: HTTP1RequestParser.Event?
            do {
                event = try self.parser.next()
            } catch {
                context.fireErrorCaught(error)
                return
            }
            // Fired outside the parser's mutation: the next handler may answer (and write) from here.
            switch event {
            case .head(let head): context.fireChannelRead(self.wrapInboundOut(.head(head)))
            case .body(let bytes): context.fireChannelRead(self.wrapInboundOut(.body(bytes)))
            case .end(let trailers): context.fireChannelRead(self.wrapInboundOut(.end(trailers)))
            case nil: return
            }
        }
    }

    // MARK: Answers

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        self.writer.write(self.unwrapOutboundIn(data), context: context, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        self.writer.writeHeld(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Unflushed, it fails with the close like any unflushed write; half-closing, it goes first.
        self.writer.writeHeld(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.writer.drop(error: ChannelError.ioOnClosedChannel)
    }
}
