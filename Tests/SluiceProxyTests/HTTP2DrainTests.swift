import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import Testing

@testable import SluiceProxy

@Suite("h2c shutdown: GOAWAY, a PING, GOAWAY naming the last stream, then close once the streams are done")
struct HTTP2DrainTests {
    @Test("the steps, without I/O")
    func steps() {
        var drain = HTTP2Drain()
        drain.opened(HTTP2StreamID(3))
        drain.opened(HTTP2StreamID(1))
        #expect(drain.lastStreamID == HTTP2StreamID(3))
        // Nothing to do while serving.
        #expect(drain.streamClosed(openStreams: 0) == .none)
        #expect(drain.pingAcknowledged(HTTP2Drain.ping, openStreams: 0) == .none)

        #expect(drain.quiesce() == .announce)
        #expect(drain.quiesce() == .none)  // once
        // Streams still opened before the acknowledgement count; a stream ending does not close yet (the
        // client may be opening one that is not read yet).
        drain.opened(HTTP2StreamID(5))
        #expect(drain.streamClosed(openStreams: 0) == .none)
        // Some other PING's acknowledgement is not the one.
        #expect(drain.pingAcknowledged(HTTP2PingData(withInteger: 7), openStreams: 1) == .none)
        let narrowed = drain.pingAcknowledged(HTTP2Drain.ping, openStreams: 1)
        #expect(narrowed == .narrow(lastStreamID: HTTP2StreamID(5), close: false))
        #expect(drain.pingAcknowledged(HTTP2Drain.ping, openStreams: 1) == .none)  // once
        #expect(drain.streamClosed(openStreams: 1) == .none)
        #expect(drain.streamClosed(openStreams: 0) == .close)
    }

    @Test("with no stream open, the connection closes as soon as the PING is acknowledged")
    func idleCloses() {
        var drain = HTTP2Drain()
        #expect(drain.quiesce() == .announce)
        #expect(
            drain.pingAcknowledged(HTTP2Drain.ping, openStreams: 0) == .narrow(lastStreamID: .rootStream, close: true))
    }

    /// The GOAWAY frames the client read, by the last stream id each named.
    private static func goAways(_ pair: H2CPair) -> [HTTP2StreamID] {
        pair.collector.frames.compactMap { frame in
            guard case .goAway(let last, .noError, _) = frame.payload else { return nil }
            return last
        }
    }

    private static let ok = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "2"])

    @Test("through NIO's handlers: the stream in flight is answered whole, then the connection closes")
    func drainsStreamInFlight() throws {
        let pair = try H2CPair()
        try pair.open(HTTP2StreamID(1))
        pair.server.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        // NIO's client acknowledges the PING by itself, and the second GOAWAY follows.
        try pair.exchange()
        #expect(Self.goAways(pair) == [.maxID, HTTP2StreamID(1)])
        #expect(pair.server.isActive)

        try pair.respond(Self.ok, on: HTTP2StreamID(1))
        let answer = pair.collector.frames.filter { $0.streamID == HTTP2StreamID(1) }
        guard case .data(let data) = answer.last?.payload else {
            Issue.record("no DATA frame ended the answer: \(answer)")
            return
        }
        #expect(data.endStream)
        #expect(!pair.server.isActive)
    }

    @Test("a stream the client opens before it reads the first GOAWAY is refused, retry-safe; the rest drain")
    func streamOpenedDuringTheAnnouncement() throws {
        let pair = try H2CPair()
        try pair.open(HTTP2StreamID(1))
        pair.server.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        // The client's next request is under way before the GOAWAY reaches it. NIO's state machine refuses
        // every stream opened after a GOAWAY was sent, whatever id it named: REFUSED_STREAM tells the client
        // that nothing of it was processed.
        let fields: HPACKHeaders = [":method": "GET", ":scheme": "http", ":path": "/v1/models"]
        let request = HTTP2Frame(streamID: HTTP2StreamID(3), payload: .headers(.init(headers: fields, endStream: true)))
        pair.client.writeAndFlush(request, promise: nil)
        try pair.exchange()
        #expect(pair.streams[HTTP2StreamID(3)] == nil)
        let refusal = pair.collector.frames.first { $0.streamID == HTTP2StreamID(3) }
        guard case .rstStream(.refusedStream) = refusal?.payload else {
            Issue.record("stream 3 was not refused: \(String(describing: refusal))")
            return
        }
        #expect(Self.goAways(pair) == [.maxID, HTTP2StreamID(1)])
        try pair.respond(Self.ok, on: HTTP2StreamID(1))
        #expect(!pair.server.isActive)
    }

    @Test("an idle connection closes once the client has read the first GOAWAY")
    func idleConnectionCloses() throws {
        let pair = try H2CPair()
        try pair.open(HTTP2StreamID(1))
        try pair.respond(Self.ok, on: HTTP2StreamID(1))
        pair.server.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try pair.exchange()
        #expect(Self.goAways(pair) == [.maxID, HTTP2StreamID(1)])
        #expect(!pair.server.isActive)
    }

    @Test("a stream that outlasts the drain timeout is cut: the connection closes when the time is up")
    func drainTimeout() throws {
        let pair = try H2CPair(drainTimeout: .seconds(5))
        try pair.open(HTTP2StreamID(1))
        pair.server.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try pair.exchange()
        pair.server.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(pair.server.isActive)
        pair.server.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!pair.server.isActive)
        #expect(pair.streams[HTTP2StreamID(1)]?.wentAway == 1)
    }
}
