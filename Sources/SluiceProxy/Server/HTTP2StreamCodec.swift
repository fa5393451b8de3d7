import NIOCore
import NIOHTTP1
import NIOHTTP2
import SluiceLLM

/// One app-facing HTTP/2 stream: its frames in, as the HTTP/1-style parts ``RequestHandler`` reads, and
/// the handler's answer out, as frames.
///
/// It replaces NIO's `HTTP2FramePayloadToHTTP1ServerCodec`, NIO's header-block validation (switched off
/// on the connection: ``HTTP2RequestBlock`` checks the same rules while it reads the block) and the
/// handler that marked answer fields as not indexed: one handler and one pass over each header block
/// instead of three handlers and four passes.
///
/// A malformed request header block is answered here, with a 400 in OpenAI's envelope that names the
/// fault (RFC 9113 §8.1.1 lets a server answer a malformed request before it ends the stream); nothing
/// of that stream reaches the handler.
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
            self.refuse(error, context: context)
        }
    }

    /// Answers a malformed request with a 400 naming the fault and ends the stream.
    private func refuse(_ error: HTTP2HeaderError, context: ChannelHandlerContext) {
        guard case .head = self.state else {
            // The handler has the request already and may be answering it: the stream is reset instead.
            self.state = .done
            context.close(promise: nil)
            return
        }
        self.state = .done
        let body = SluiceError.invalidHTTP2(error.reason).openAIBody()
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.count))
        let head = HTTPResponseHead(version: HTTPVersion(major: 2, minor: 0), status: .badRequest, headers: headers)
        context.write(self.wrapOutboundOut(.headers(.init(headers: HTTP2ResponseBlock.response(head)))), promise: nil)
        let data = HTTP2Frame.FramePayload.Data(
            data: .byteBuffer(context.channel.allocator.buffer(bytes: body)), endStream: true)
        context.writeAndFlush(self.wrapOutboundOut(.data(data)), promise: nil)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload: HTTP2Frame.FramePayload
        switch self.unwrapOutboundIn(data) {
        case .head(let head):
            payload = .headers(.init(headers: HTTP2ResponseBlock.response(head)))
        case .body(let body):
            payload = .data(.init(data: body))
        case .end(.none):
            payload = .data(.init(data: .byteBuffer(context.channel.allocator.buffer(capacity: 0)), endStream: true))
        case .end(.some(let trailers)):
            payload = .headers(.init(headers: HTTP2ResponseBlock.trailers(trailers), endStream: true))
        }
        context.write(self.wrapOutboundOut(payload), promise: promise)
    }
}
