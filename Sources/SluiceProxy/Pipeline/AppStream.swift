import NIOCore
import NIOHTTP1

/// Where a ``RequestHandler`` writes its answer: an HTTP/1.1 connection (``HTTP1AppStream``), or one
/// stream of an HTTP/2 connection that is handled frame by frame (``HTTP2AppStream``).
///
/// The handler talks to this rather than to a `ChannelHandlerContext` so that an HTTP/2 stream needs no
/// channel and no pipeline of its own.
protocol AppStream: AnyObject {
    /// Whether the app takes more bytes now; when it becomes true again the handler is told
    /// (``RequestHandler/appWritabilityChanged()``).
    var isWritable: Bool { get }
    func write(_ part: HTTPServerResponsePart)
    func flush()
    /// Writes the end of the answer and flushes. With `closing`, nothing follows on this stream: an
    /// HTTP/1.1 connection closes (lingering), an HTTP/2 stream still sending its request is told to stop.
    func writeEnd(closing: Bool)
    /// Ends the exchange where it is, so a partial answer cannot pass for a whole one: an HTTP/1.1
    /// connection closes, an HTTP/2 stream is reset.
    func abort()
}

/// An HTTP/1.1 connection, through the request handler's own pipeline context.
final class HTTP1AppStream: AppStream {
    let context: ChannelHandlerContext

    init(context: ChannelHandlerContext) {
        self.context = context
    }

    var isWritable: Bool { self.context.channel.isWritable }

    func write(_ part: HTTPServerResponsePart) {
        self.context.write(NIOAny(part), promise: nil)
    }

    func flush() {
        self.context.flush()
    }

    func writeEnd(closing: Bool) {
        guard closing else {
            self.context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            return
        }
        let context = self.context
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).assumeIsolated().whenComplete { _ in
            Self.closeLingering(context)
        }
    }

    func abort() {
        self.context.close(promise: nil)
    }

    /// Closes our side only and drops what the client still sends for a moment: closing with unread
    /// bytes would reset the connection and could destroy the answer in flight.
    static func closeLingering(_ context: ChannelHandlerContext) {
        context.close(mode: .output, promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) {
            context.close(promise: nil)
        }
    }
}
