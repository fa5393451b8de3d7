import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2

/// One app-facing HTTP/2 stream: its frames in, as the HTTP/1-style parts ``RequestHandler`` reads, and
/// the handler's answer out, as frames.
///
/// It replaces NIO's `HTTP2FramePayloadToHTTP1ServerCodec`, NIO's header-block validation (switched off
/// on the connection: ``HTTP2RequestBlock`` checks the same rules while it reads the block) and the
/// handler that marked answer fields as not indexed: one handler and one pass over each header block
/// instead of three handlers and four passes. The last DATA frame of an answer carries END_STREAM.
///
/// A malformed request header block is refused here: the handler is told (``HTTP2RequestRefusal``) and
/// answers with a 400 in OpenAI's envelope that names the fault (RFC 9113 §8.1.1 lets a server answer a
/// malformed request before it ends the stream); no part of that stream's request reaches the handler.
final class HTTP2StreamCodec: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTP2Frame.FramePayload

    private enum State {
        /// No header block yet.
        case head
        /// The head was passed on; DATA frames (and perhaps trailers) follow.
        case body
        /// The app ended the stream, or its request was refused: further frames are not read.
        case done
    }

    private var state = State.head

    /// A DATA frame of the answer and its write's promise.
    private struct HeldData {
        var frame: HTTP2Frame.FramePayload.Data
        var promise: EventLoopPromise<Void>?
    }

    /// The answer's latest DATA frame, held until the next write, flush or close. When the end of the
    /// answer comes next, this frame carries END_STREAM itself: an answer is two frames (HEADERS, DATA)
    /// rather than three with an empty DATA frame to end the stream. Holding it costs no latency: the
    /// handler flushes after each part it relays, and a flush sends the frame.
    private var heldData: HeldData?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .headers(let block):
            self.received(block, context: context)
        case .data(let frame):
            guard case .body = self.state, case .byteBuffer(let buffer) = frame.data else { return }
            if !frame.endStream {
                context.fireChannelRead(self.wrapInboundOut(.body(buffer)))
                return
            }
            self.state = .done
            if buffer.readableBytes > 0 { context.fireChannelRead(self.wrapInboundOut(.body(buffer))) }
            context.fireChannelRead(self.wrapInboundOut(.end(nil)))
        default:
            // RST_STREAM, WINDOW_UPDATE, PRIORITY: the stream channel acts on them itself.
            return
        }
    }

    private func received(_ frame: HTTP2Frame.FramePayload.Headers, context: ChannelHandlerContext) {
        do throws(HTTP2HeaderError) {
            switch self.state {
            case .head:
                let head = try HTTP2RequestBlock.requestHead(frame.headers, endStream: frame.endStream)
                self.state = frame.endStream ? .done : .body
                context.fireChannelRead(self.wrapInboundOut(.head(head)))
                if frame.endStream { context.fireChannelRead(self.wrapInboundOut(.end(nil))) }
            case .body:
                guard frame.endStream else {
                    throw HTTP2HeaderError(reason: "a second header block that does not end the stream")
                }
                let trailers = try HTTP2RequestBlock.trailers(frame.headers)
                self.state = .done
                context.fireChannelRead(self.wrapInboundOut(.end(trailers)))
            case .done:
                return
            }
        } catch {
            self.refuse(error, block: frame.headers, context: context)
        }
    }

    /// Hands a malformed request to the handler, which answers it with a 400 naming the fault and logs it
    /// (``HTTP2RequestRefusal``); nothing else of that stream reaches the handler.
    private func refuse(_ error: HTTP2HeaderError, block: HPACKHeaders, context: ChannelHandlerContext) {
        guard case .head = self.state else {
            // The handler has the request already and may be answering it: the stream is reset instead.
            self.state = .done
            context.close(promise: nil)
            return
        }
        self.state = .done
        let refusal = HTTP2RequestRefusal(
            reason: error.reason, method: block.first(name: ":method"), path: block.first(name: ":path"))
        context.fireUserInboundEventTriggered(refusal)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(let head):
            self.releaseHeldData(context: context)
            context.write(self.wrapOutboundOut(.headers(.init(headers: HTTP2ResponseBlock.response(head)))), promise: promise)
        case .body(let body):
            self.releaseHeldData(context: context)
            self.heldData = HeldData(frame: .init(data: body), promise: promise)
        case .end(.none):
            guard var held = self.heldData else {
                let empty = context.channel.allocator.buffer(capacity: 0)
                context.write(self.wrapOutboundOut(.data(.init(data: .byteBuffer(empty), endStream: true))), promise: promise)
                return
            }
            self.heldData = nil
            held.frame.endStream = true
            if let promise {
                if let heldPromise = held.promise {
                    heldPromise.futureResult.cascade(to: promise)
                } else {
                    held.promise = promise
                }
            }
            context.write(self.wrapOutboundOut(.data(held.frame)), promise: held.promise)
        case .end(.some(let trailers)):
            self.releaseHeldData(context: context)
            let block = HTTP2ResponseBlock.trailers(trailers)
            context.write(self.wrapOutboundOut(.headers(.init(headers: block, endStream: true))), promise: promise)
        }
    }

    func flush(context: ChannelHandlerContext) {
        self.releaseHeldData(context: context)
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.releaseHeldData(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.releaseHeldData(context: context)
    }

    /// Writes the held DATA frame as it is: something other than the end of the answer came next.
    private func releaseHeldData(context: ChannelHandlerContext) {
        guard let held = self.heldData else { return }
        self.heldData = nil
        context.write(self.wrapOutboundOut(.data(held.frame)), promise: held.promise)
    }
}

/// A request header block refused as malformed: what the handler answers (a 400 naming `reason`) and logs.
/// `method` and `path` are the block's pseudo-headers as sent, if it had them.
struct HTTP2RequestRefusal {
    var reason: String
    var method: String?
    var path: String?
}
