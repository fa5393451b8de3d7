import NIOHTTP2

/// When an h2c connection that is shutting down says so and closes (RFC 9113 §6.8), decided without I/O.
///
/// A client may be opening a stream while the GOAWAY that refuses it is on its way. So the first GOAWAY
/// names the largest stream id there is, and a PING follows it; the PING's acknowledgement shows the
/// client has read that GOAWAY and opens no more streams. Only then does a second GOAWAY name the last
/// stream the server really took, and only after that may the connection close, once those streams are
/// done. (NIO's HTTP/2 state machine refuses every stream opened after the first GOAWAY with REFUSED_STREAM,
/// whatever id that named, so a client retries such a request elsewhere; the second GOAWAY still tells it
/// which streams were taken.)
///
/// The connection closes at the latest `drainTimeout` after the first GOAWAY, whatever the client does
/// (``HTTP2AppConnection``); NIO's handler started that clock only at the second one, so a client that
/// never acknowledged the PING kept its connection until the process ended.
///
/// The same steps as NIO's `NIOHTTP2ServerConnectionManagementHandler`, which Sluice used before: that
/// handler sat in every h2c pipeline for this alone (Sluice sets no idle, age or keep-alive limits), and
/// passing every frame, event, write and flush through it, and its own count of open streams, measured
/// 2.6 % of the CPU per h2c request. ``HTTP2AppConnection`` already knows its streams.
struct HTTP2Drain {
    /// The PING whose acknowledgement ends the first phase.
    static let ping = HTTP2PingData(withInteger: 0x736C_7569_6365_2121)

    private enum Phase {
        /// Not shutting down.
        case serving
        /// The first GOAWAY and the PING are sent; the acknowledgement has not come.
        case announced
        /// The second GOAWAY is sent: the connection closes once its last stream ends.
        case narrowed
    }

    /// What the connection does next.
    enum Action: Equatable {
        case none
        /// Send GOAWAY(the largest id, NO_ERROR) and ``HTTP2Drain/ping``.
        case announce
        /// Send GOAWAY(`lastStreamID`, NO_ERROR); with `close`, then close (no stream is open).
        case narrow(lastStreamID: HTTP2StreamID, close: Bool)
        /// Close: the last stream ended.
        case close
    }

    private var phase = Phase.serving
    /// The largest id of a stream the client opened.
    private(set) var lastStreamID = HTTP2StreamID.rootStream

    mutating func opened(_ id: HTTP2StreamID) {
        if id > self.lastStreamID { self.lastStreamID = id }
    }

    /// The server is shutting down.
    mutating func quiesce() -> Action {
        guard case .serving = self.phase else { return .none }
        self.phase = .announced
        return .announce
    }

    /// The client acknowledged a PING carrying `data`; `openStreams` are still being served.
    mutating func pingAcknowledged(_ data: HTTP2PingData, openStreams: Int) -> Action {
        guard case .announced = self.phase, data == Self.ping else { return .none }
        self.phase = .narrowed
        return .narrow(lastStreamID: self.lastStreamID, close: openStreams == 0)
    }

    /// A stream ended; `openStreams` are left.
    func streamClosed(openStreams: Int) -> Action {
        guard case .narrowed = self.phase, openStreams == 0 else { return .none }
        return .close
    }
}
