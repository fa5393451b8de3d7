import NIOCore
import NIOHPACK
import NIOHTTP2

/// Marks the header fields of every HEADERS frame an app-facing HTTP/2 stream sends as not to be
/// indexed, so HPACK writes them as literals instead of searching and growing the connection's dynamic
/// table.
///
/// An answer relays twenty-odd provider headers (rate limits, request ids, timings), most of them
/// different on every answer: indexing them buys little compression on a loopback hop and costs a linear
/// search of the dynamic table per field, measured at about 5 % of Sluice's CPU per HTTP/2 request
/// (`bench/profile --protocol h2c`). Sits between the stream channel and the HTTP/1 codec.
final class UnindexedResponseHeaders: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .headers(var payload) = self.unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        payload.headers = Self.unindexed(payload.headers)
        context.write(self.wrapOutboundOut(.headers(payload)), promise: promise)
    }

    static func unindexed(_ headers: HPACKHeaders) -> HPACKHeaders {
        var unindexed = HPACKHeaders()
        unindexed.reserveCapacity(headers.count)
        for header in headers {
            // `never_indexed` (secrets a peer asked to protect) stays as it is.
            let indexing: HPACKIndexing = header.indexable == .neverIndexed ? .neverIndexed : .nonIndexable
            unindexed.add(name: header.name, value: header.value, indexing: indexing)
        }
        return unindexed
    }
}
