import Logging
import NIOCore
import NIOHPACK
import NIOHTTP1
import NIOHTTP2
import SluiceLLM

/// What serves the request of one HTTP/2 stream: a ``RequestHandler`` (a test's recorder in the tests).
protocol AppStreamServer: AnyObject {
    /// The next part of the request, in order: head, body parts, end.
    func process(_ part: HTTPServerRequestPart)
    /// The stream's request header block is malformed: answer with a 400 naming `error`, and log it with
    /// the method and path as far as they were read.
    func refuseUnreadable(_ error: SluiceError, method: String?, path: String?)
    /// The stream takes more bytes of the answer again.
    func appWritabilityChanged()
    /// The app reset the stream or the connection closed: nothing more is read or written on it.
    func appWentAway()
}

/// An app's HTTP/2 connection, served frame by frame, behind NIO's `NIOHTTP2Handler` (which keeps the
/// protocol's state, HPACK and flow control).
///
/// Each stream is an ``HTTP2AppStream`` served by its own ``AppStreamServer``: no child channel, no
/// stream pipeline and no HTTP/2-to-HTTP/1 codec per request, which NIO's stream multiplexer would
/// create and tear down for every request. What those did for a stream is done here:
/// - inbound flow control: a request body's frames are read at once, so their window is given back as
///   soon as less than half of it is left (NIO's own rule for its stream channels);
/// - outbound backpressure: a stream is writable while the connection is and less than
///   ``HTTP2AppStream/highWaterMark`` of its answer waits on the peer's flow-control window;
/// - a stream reset by the app, or a connection that closes, tells the stream's server, which logs the
///   exchange it was answering as cut short.
///
/// On shutdown it drains the connection (``HTTP2Drain``): GOAWAY, the streams in flight finish, then it
/// closes, or when `drainTimeout` has passed, whichever comes first.
final class HTTP2AppConnection: ChannelDuplexHandler, NIOHTTP2FrameDelegate {
    typealias InboundIn = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    /// The window a request body may fill before it is given back, per stream and for the connection:
    /// RFC 9113's initial window, which Sluice does not change.
    static let windowTarget = 65_535

    private let makeServer: (HTTP2AppStream) -> any AppStreamServer
    /// Places an answer's fields into its HEADERS frame past NIO's HPACK encoder; without one (a test's
    /// connection with no NIO handler under it), the fields go through the encoder.
    private let splicer: HTTP2HeaderSplicer?
    private var context: ChannelHandlerContext?
    private var streams = StreamTable()
    /// Streams (the root stream for the connection) whose WINDOW_UPDATE is written but has not left yet:
    /// NIO holds such a frame while the socket takes no more, and counts its increment only when it leaves,
    /// so its window events until then still show the old size, which must not be given back twice.
    private var grantsInFlight: Set<HTTP2StreamID> = []
    private var drain = HTTP2Drain()
    /// How long a draining connection may keep serving its streams before it is closed anyway.
    private let drainTimeout: TimeAmount
    private var drainDeadline: Scheduled<Void>?
    /// Where a failure of the connection itself (not of one exchange) is told.
    private let logger: Logger?

    init(
        splicer: HTTP2HeaderSplicer? = nil,
        drainTimeout: TimeAmount = .seconds(20),
        logger: Logger? = nil,
        makeServer: @escaping (HTTP2AppStream) -> any AppStreamServer
    ) {
        self.splicer = splicer
        self.drainTimeout = drainTimeout
        self.logger = logger
        self.makeServer = makeServer
    }

    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.closeAll()
        self.context = nil
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = self.unwrapInboundIn(data)
        switch frame.payload {
        case .headers(let block):
            if let stream = self.streams[frame.streamID] {
                stream.received(block)
                return
            }
            // A new stream: NIO's state machine has checked the id and the concurrency limit already.
            let stream = HTTP2AppStream(id: frame.streamID, connection: self)
            stream.server = self.makeServer(stream)
            self.streams[frame.streamID] = stream
            self.drain.opened(frame.streamID)
            stream.received(block)
        case .data(let data):
            self.streams[frame.streamID]?.received(data)
        case .ping(let data, ack: true):
            self.act(on: self.drain.pingAcknowledged(data, openStreams: self.streams.count))
        default:
            // RST_STREAM arrives as a StreamClosedEvent; SETTINGS, PING, GOAWAY, WINDOW_UPDATE and PRIORITY
            // are NIO's handler's to act on.
            return
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // NIO tells of several events per stream (created, window updated, closed): the event's type is
        // compared first, since each cast that fails costs more than the rest of the handling.
        let kind = ObjectIdentifier(type(of: event))
        if kind == ObjectIdentifier(StreamClosedEvent.self) {
            let closed = event as! StreamClosedEvent
            // Also fired, re-entrantly, while a stream's own last frame is written: the stream knows
            // whether it ended itself.
            self.streams.removeValue(forKey: closed.streamID)?.closed()
            if !self.grantsInFlight.isEmpty { self.grantsInFlight.remove(closed.streamID) }
            self.act(on: self.drain.streamClosed(openStreams: self.streams.count))
        } else if kind == ObjectIdentifier(NIOHTTP2WindowUpdatedEvent.self) {
            let window = event as! NIOHTTP2WindowUpdatedEvent
            guard let size = window.inboundWindowSize else { return }
            if window.streamID != .rootStream {
                guard let stream = self.streams[window.streamID], stream.readsRequest else { return }
            }
            if let increment = Self.windowIncrement(size: size, target: Self.windowTarget),
                self.grantsInFlight.insert(window.streamID).inserted
            {
                self.write(HTTP2Frame(streamID: window.streamID, payload: .windowUpdate(windowSizeIncrement: increment)))
                context.flush()
            }
        } else if kind == ObjectIdentifier(ChannelShouldQuiesceEvent.self) {
            self.act(on: self.drain.quiesce())
        }
    }

    /// Does what the drain decided.
    private func act(on action: HTTP2Drain.Action) {
        guard let context = self.context else { return }
        switch action {
        case .none:
            return
        case .announce:
            self.writeGoAway(lastStreamID: .maxID)
            self.write(HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2Drain.ping, ack: false)))
            self.flush()
            // A client that never acknowledges, or streams that never end, do not hold shutdown up.
            let loop = context.eventLoop.assumeIsolated()
            self.drainDeadline = loop.scheduleTask(in: self.drainTimeout) { [weak self] in
                self?.context?.close(promise: nil)
            }
        case .narrow(let lastStreamID, let close):
            self.writeGoAway(lastStreamID: lastStreamID)
            self.flush()
            if close { self.closeSoon() }
        case .close:
            self.closeSoon()
        }
    }

    private func writeGoAway(lastStreamID: HTTP2StreamID) {
        let goAway = HTTP2Frame.FramePayload.goAway(lastStreamID: lastStreamID, errorCode: .noError, opaqueData: nil)
        self.write(HTTP2Frame(streamID: .rootStream, payload: goAway))
    }

    /// Closes on the next loop turn: the stream whose end led here is told of while its last frame is being
    /// written, before that frame is flushed.
    private func closeSoon() {
        self.later { self.context?.close(promise: nil) }
    }

    /// The WINDOW_UPDATE increment that tops an inbound window of `size` back up to `target`, once no more
    /// than half of it is left; nil while more is. Pure.
    static func windowIncrement(size: Int, target: Int) -> Int? {
        guard size <= target / 2 else { return nil }
        return min(target - size, Int(Int32.max))
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            for stream in self.streams.values { stream.connectionWritable() }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.drainDeadline?.cancel()
        self.drainDeadline = nil
        self.closeAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let failure = error as? HTTP2HeaderSpliceError {
            // Never expected (NIO wrote something other than the HEADERS frame it had just announced), and the
            // splicer has closed the connection: said by name, or its streams' access lines, cut short, would
            // read as apps that went away.
            self.logger?.error(
                "HTTP/2 connection closed: \(failure)",
                metadata: ["problem": .string("h2_header_splice"), "streams": .stringConvertible(self.streams.count)]
            )
            return
        }
        // A protocol error in what the app sent comes after NIO answered it: RST_STREAM for a stream error,
        // GOAWAY for a connection error (the client then closes). A frame of an answer that NIO refused (a
        // DATA frame past the content-length the answer announced, say) comes as a StreamError, and NIO
        // sends nothing for it: that stream cannot be finished, so it is reset here.
        guard let refused = error as? NIOHTTP2Errors.StreamError else { return }
        self.streams[refused.streamID]?.answerRefused()
    }

    private func closeAll() {
        let streams = self.streams
        self.streams.removeAll()
        for stream in streams.values { stream.closed() }
    }

    // MARK: Outbound, for the streams

    func write(_ frame: HTTP2Frame) {
        self.context?.write(self.wrapOutboundOut(frame), promise: nil)
    }

    /// Writes the HEADERS frame of `stream`'s answer. Its fields are encoded here and spliced in as the
    /// frame leaves NIO's handler (``HTTP2HeaderSplicer``), unless they are too many for one frame.
    func writeHead(_ head: HTTPResponseHead, of stream: HTTP2AppStream) {
        if let splicer = self.splicer, let context = self.context {
            var fields = splicer.fieldsBuffer(allocator: context.channel.allocator, capacity: Self.fieldsCapacity)
            let contentLength = HTTP2ResponseBlock.writeFields(head.headers, to: &fields)
            if HTTP2HeaderSplicer.fits(fields) {
                // Handed over, not copied: NIO writes the frame within this call, and the splicer places it in
                // this buffer, which must not be shared then.
                stream.headFields = consume fields
                let nioPart = HTTP2ResponseBlock.nioPart(status: head.status, contentLength: contentLength)
                self.writeHeaders(nioPart, of: stream)
                return
            }
        }
        self.writeHeaders(HTTP2ResponseBlock.response(head), of: stream)
    }

    private func writeHeaders(_ block: HPACKHeaders, of stream: HTTP2AppStream) {
        self.write(HTTP2Frame(streamID: stream.id, payload: .headers(.init(headers: block))))
    }

    /// Room for the encoded fields of a typical provider answer (twenty-odd, under a kilobyte), so that
    /// most are written without the buffer growing.
    private static let fieldsCapacity = 1024

    func flush() {
        self.context?.flush()
    }

    /// Told by NIO's handler as each frame leaves for the socket, that is once the peer's flow-control
    /// window let it go.
    func wroteFrame(_ frame: HTTP2Frame) {
        switch frame.payload {
        case .data(let data):
            self.streams[frame.streamID]?.sent(bytes: data.data.readableBytes, endStream: data.endStream)
        case .headers:
            // The answer's head: NIO writes its bytes next.
            guard let fields = self.streams[frame.streamID]?.takeHeadFields() else { return }
            self.splicer?.spliceIntoNextWrite(fields, stream: frame.streamID)
        case .windowUpdate:
            // NIO counts the increment now: the window may be given back again.
            self.grantsInFlight.remove(frame.streamID)
        default:
            return
        }
    }

    /// Resets a stream whose answer has left but whose request is still arriving, on the next loop turn.
    func stopRequest(of id: HTTP2StreamID) {
        self.later {
            guard self.streams[id] != nil else { return }  // the request ended meanwhile
            self.write(HTTP2Frame(streamID: id, payload: .rstStream(.noError)))
            self.flush()
        }
    }

    /// Runs `work` on the next loop turn: for what follows a frame NIO's handler tells of in
    /// ``wroteFrame(_:)``, which it does in the middle of writing that frame.
    func later(_ work: @escaping () -> Void) {
        self.context?.eventLoop.assumeIsolated().execute(work)
    }
}

/// One stream of an ``HTTP2AppConnection``: its frames in, as the HTTP/1-style parts a
/// ``RequestHandler`` reads, and the handler's answer out, as frames.
///
/// It checks each request header block while it reads it (``HTTP2RequestBlock``, which replaces NIO's
/// header-block validation, switched off on the connection). A malformed request is answered with a
/// 400 in OpenAI's envelope that names the fault (RFC 9113 §8.1.1 lets a server answer a malformed
/// request before it ends the stream); no part of it reaches the handler. The last DATA frame of an
/// answer carries END_STREAM.
final class HTTP2AppStream: AppStream {
    /// Answer bytes waiting on the peer's flow-control window beyond which the stream is not writable.
    static let highWaterMark = 64 * 1024
    /// And below which it is writable again.
    static let lowWaterMark = 32 * 1024

    private enum RequestState {
        /// No header block yet.
        case head
        /// The head was passed on; DATA frames (and perhaps trailers) follow.
        case body
        /// The request was refused as malformed but is still arriving: its frames are dropped, and their
        /// window given back, until it ends.
        case dropping
        /// The request ended, or was refused: further frames are not read.
        case done
    }

    let id: HTTP2StreamID
    private unowned let connection: HTTP2AppConnection
    /// Serves this stream's request; let go once the stream closes.
    var server: (any AppStreamServer)?
    private var requestState = RequestState.head
    /// The answer ended (END_STREAM or RST_STREAM written): nothing more is written.
    private var answerEnded = false
    /// The answer's latest DATA, held until the next write, flush or end. When the end of the answer
    /// comes next, its frame carries END_STREAM itself: an answer is two frames (HEADERS, DATA) rather
    /// than three with an empty DATA frame to end the stream. Holding it costs no latency: the handler
    /// flushes after each part it relays, and a flush sends the frame.
    private var heldData: IOData?
    /// Bytes of DATA written but not yet sent: held back by the peer's flow-control window.
    private var unsentBytes = 0
    /// The encoded fields of the answer's head, until NIO's handler writes its HEADERS frame.
    fileprivate var headFields: ByteBuffer?
    /// The server found the stream not writable and waits to be told.
    private var writerWaits = false
    /// The answer ended before the request: once its last frame has left, the app is told to stop sending.
    private var stopsRequestAfterAnswer = false

    init(id: HTTP2StreamID, connection: HTTP2AppConnection) {
        self.id = id
        self.connection = connection
    }

    /// Whether the request's body is still arriving (its window is worth giving back).
    var readsRequest: Bool {
        if case .done = self.requestState { return false }
        return true
    }

    // MARK: The request

    func received(_ frame: HTTP2Frame.FramePayload.Headers) {
        do throws(HTTP2HeaderError) {
            switch self.requestState {
            case .head:
                let head = try HTTP2RequestBlock.requestHead(frame.headers, endStream: frame.endStream)
                self.requestState = frame.endStream ? .done : .body
                self.server?.process(.head(head))
                if frame.endStream { self.server?.process(.end(nil)) }
            case .body:
                guard frame.endStream else {
                    throw HTTP2HeaderError(reason: "a second header block that does not end the stream")
                }
                let trailers = try HTTP2RequestBlock.trailers(frame.headers)
                self.requestState = .done
                self.server?.process(.end(trailers))
            case .dropping:
                if frame.endStream { self.requestState = .done }
            case .done:
                return
            }
        } catch {
            self.refuse(error, block: frame.headers, endStream: frame.endStream)
        }
    }

    func received(_ frame: HTTP2Frame.FramePayload.Data) {
        if case .dropping = self.requestState {
            if frame.endStream { self.requestState = .done }
            return
        }
        guard case .body = self.requestState, case .byteBuffer(let buffer) = frame.data else { return }
        if !frame.endStream {
            self.server?.process(.body(buffer))
            return
        }
        self.requestState = .done
        if buffer.readableBytes > 0 { self.server?.process(.body(buffer)) }
        self.server?.process(.end(nil))
    }

    /// A malformed request: answered with a 400 if nothing of it reached the server yet, else the stream
    /// is reset (the server may be answering it already).
    private func refuse(_ error: HTTP2HeaderError, block: HPACKHeaders, endStream: Bool) {
        guard case .head = self.requestState else {
            self.requestState = .done
            // Told first: the reset closes the stream, which lets go of the server.
            self.server?.appWentAway()
            self.reset(.protocolError)
            return
        }
        self.requestState = endStream ? .done : .dropping
        self.server?.refuseUnreadable(
            SluiceError.invalidHTTP2(error.reason), method: block.first(name: ":method"), path: block.first(name: ":path"))
    }

    /// NIO refused a frame of the answer and sent nothing for it: the stream is reset, and its server told as
    /// if the app had gone, once.
    func answerRefused() {
        guard let server = self.server else { return }
        self.server = nil
        self.heldData = nil
        self.reset(.internalError)
        server.appWentAway()
    }

    /// The stream closed: ended by both sides, reset by the app, or its connection went.
    func closed() {
        let server = self.server
        self.server = nil
        self.heldData = nil
        guard !self.answerEnded else { return }
        self.answerEnded = true
        server?.appWentAway()
    }

    // MARK: The answer

    var isWritable: Bool {
        if self.answerEnded { return true }  // nothing more is written; the connection may be gone
        guard self.unsentBytes < Self.highWaterMark, self.connection.isWritable else {
            self.writerWaits = true
            return false
        }
        return true
    }

    func write(_ part: HTTPServerResponsePart) {
        guard !self.answerEnded else { return }
        switch part {
        case .head(let head):
            self.releaseHeldData()
            self.connection.writeHead(head, of: self)
        case .body(let body):
            self.releaseHeldData()
            self.heldData = body
        case .end(.none):
            self.answerEnded = true
            let data = self.heldData ?? .byteBuffer(ByteBuffer())
            self.heldData = nil
            self.writeData(data, endStream: true)
        case .end(.some(let trailers)):
            self.releaseHeldData()
            self.answerEnded = true
            let block = HTTP2ResponseBlock.trailers(trailers)
            self.connection.write(HTTP2Frame(streamID: self.id, payload: .headers(.init(headers: block, endStream: true))))
        }
    }

    func flush() {
        guard !self.answerEnded else { return }
        self.releaseHeldData()
        self.connection.flush()
    }

    func writeEnd(closing: Bool) {
        self.write(.end(nil))
        // RFC 9113 §8.1: a server that answers before the request is complete asks the client to stop
        // sending it with RST_STREAM(NO_ERROR), after the answer: a reset drops what is not sent yet.
        if closing, self.readsRequest {
            self.requestState = .done
            self.stopsRequestAfterAnswer = true
        }
        self.connection.flush()
    }

    func abort() {
        guard !self.answerEnded else { return }
        self.reset(.cancel)
    }

    /// Resets the stream: whatever of the answer was written stays incomplete for the app, and a request
    /// still arriving stops.
    private func reset(_ code: HTTP2ErrorCode) {
        self.answerEnded = true
        self.heldData = nil
        self.connection.write(HTTP2Frame(streamID: self.id, payload: .rstStream(code)))
        self.connection.flush()
    }

    private func releaseHeldData() {
        guard let held = self.heldData else { return }
        self.heldData = nil
        self.writeData(held, endStream: false)
    }

    private func writeData(_ data: IOData, endStream: Bool) {
        self.unsentBytes += data.readableBytes
        self.connection.write(HTTP2Frame(streamID: self.id, payload: .data(.init(data: data, endStream: endStream))))
    }

    /// The answer head's encoded fields, once: its HEADERS frame is leaving.
    fileprivate func takeHeadFields() -> ByteBuffer? {
        defer { self.headFields = nil }
        return self.headFields
    }

    /// `bytes` of this stream's DATA left for the socket; `endStream`, the answer's last frame.
    func sent(bytes: Int, endStream: Bool) {
        self.unsentBytes -= bytes
        if endStream, self.stopsRequestAfterAnswer {
            self.stopsRequestAfterAnswer = false
            self.connection.stopRequest(of: self.id)
        }
        if self.writerWaits, self.unsentBytes < Self.lowWaterMark, self.connection.isWritable {
            self.writerWaits = false
            // On the next loop turn: NIO's handler tells of the frame in the middle of writing it, and the
            // server may write (even reset the stream) when told.
            self.connection.later { [weak self] in self?.server?.appWritabilityChanged() }
        }
    }

    /// The connection's socket takes bytes again.
    func connectionWritable() {
        guard self.writerWaits, self.unsentBytes < Self.highWaterMark else { return }
        self.writerWaits = false
        self.server?.appWritabilityChanged()
    }
}

/// A connection's open streams by id, the one added last kept at hand: a stream's frames mostly come
/// together (its request's HEADERS and DATA, then its answer's frames as they are written), and looking
/// it up there costs no hashing. Six look-ups per request otherwise hash its id.
struct StreamTable {
    private var byID: [HTTP2StreamID: HTTP2AppStream] = [:]
    private var last: HTTP2AppStream?

    subscript(id: HTTP2StreamID) -> HTTP2AppStream? {
        get {
            if let last = self.last, last.id == id { return last }
            return self.byID[id]
        }
        set {
            if let last = self.last, last.id == id { self.last = nil }
            self.byID[id] = newValue
            if let newValue { self.last = newValue }
        }
    }

    @discardableResult
    mutating func removeValue(forKey id: HTTP2StreamID) -> HTTP2AppStream? {
        if let last = self.last, last.id == id { self.last = nil }
        return self.byID.removeValue(forKey: id)
    }

    mutating func removeAll() {
        self.last = nil
        self.byID.removeAll()
    }

    var count: Int { self.byID.count }
    var values: Dictionary<HTTP2StreamID, HTTP2AppStream>.Values { self.byID.values }
}
