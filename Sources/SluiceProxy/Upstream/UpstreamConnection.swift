import NIOCore
import NIOHTTP2

/// An established connection to a provider, as the pool keeps it.
///
/// HTTP/1.1 connections carry one request at a time through their ``UpstreamResponseHandler``; an HTTP/2
/// connection (negotiated through ALPN) carries many requests at once, each on a stream of its own.
///
/// `@unchecked Sendable` only so the connector's futures can carry it: it is created, used and dropped
/// on its channel's event loop and never touched from another thread.
final class UpstreamConnection: @unchecked Sendable {
    enum Mode {
        case http1(UpstreamResponseHandler)
        case http2(NIOHTTP2Handler.StreamMultiplexer)
    }

    let channel: any Channel
    let mode: Mode
    /// False once the connection must not take new requests (closed, reset, timed out, GOAWAY).
    var usable = true
    /// An HTTP/1.1 connection with a request in flight.
    var busy = false

    init(channel: any Channel, mode: Mode) {
        self.channel = channel
        self.mode = mode
    }

    var isHTTP2: Bool {
        if case .http2 = self.mode { return true }
        return false
    }

    var canTakeRequest: Bool {
        self.usable && self.channel.isActive && !self.busy
    }
}
