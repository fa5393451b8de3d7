import NIOCore
import NIOHTTP1

/// The last handler of an upstream pipeline (an HTTP/1.1 connection or one HTTP/2 stream).
///
/// Duties, in order:
/// 1. Write a call's request as head, body and end with a single flush, so the request leaves in one `writev`.
/// 2. Time the wait for the response head (`first_byte`) and the gaps between body reads (`idle`).
/// 3. Relay response parts to the call as they are read, and tell the owner when the response ended.
/// 4. Hold back reads while the app cannot take more bytes (back-pressure), and resume when it can.
/// 5. Turn resets, closes and parse errors into one failure for the call in flight.
/// 6. Close a pooled HTTP/1.1 connection left idle past the provider's `idle` timeout, rather than reuse a
///    socket the provider may be closing: the pool asks ``idleExpired(at:)`` before reusing it, and one
///    timer per connection (not per request) closes it when it has been idle that long.
final class UpstreamResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// Told when a response ended whole: whether the connection may carry another request.
    var onResponseComplete: ((_ reusable: Bool) -> Void)?
    /// Told when the channel may not be used again (closed, broken, timed out).
    var onUnusable: (() -> Void)?
    /// Offered a call whose request never reached the socket; true if the owner will retry it elsewhere.
    var onNotSent: ((UpstreamCall) -> Bool)?
    /// The HTTP/1.1 codec right before this handler, which takes a whole request in one call rather than as
    /// three parts through the pipeline; nil on an HTTP/2 stream, whose codec is NIO's.
    var requestWriter: HTTP1ClientCodec?

    private let host: String
    private let timers: LoopTimers
    /// Idle longer than this between calls, an HTTP/1.1 connection is closed; nil for HTTP/2 streams,
    /// which end with their one call.
    private let poolIdleTimeout: TimeAmount?
    /// When the last call ended; nil while a call is in progress.
    private var idleSince: NIODeadline?
    private var poolIdleCheck: LoopTimers.Timer?
    private var call: UpstreamCall?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    /// Whether the current request was handed to the socket whole.
    private var requestSent = false
    /// The call whose request is being written, and how many requests' writes have not ended yet.
    private var writing: UpstreamCall?
    private var writesPending = 0
    private var responseKeepAlive = true
    private var firstByteTimer: LoopTimers.Timer?
    private var idleCheck: LoopTimers.Timer?
    /// When the last read of the answer in progress ended: the idle check measures the quiet from there.
    private var lastReadAt = NIODeadline.now()
    /// A head arrived in this read turn: the idle check is armed at its end if the answer goes on.
    private var awaitsIdleCheck = false

    init(host: String, timers: LoopTimers, poolIdleTimeout: TimeAmount?) {
        self.host = host
        self.timers = timers
        self.poolIdleTimeout = poolIdleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.idleSince = context.eventLoop.now
        self.armPoolIdleCheck()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Keeping the context past removal leaks it (and its channel) once per stream; the codec holds this
        // handler as well as this handler the codec.
        self.context = nil
        self.requestWriter = nil
        self.cancelTimers()
        self.poolIdleCheck?.cancel()
        self.poolIdleCheck = nil
    }

    /// Whether the connection has waited in the pool for `idle` or longer: too stale to reuse.
    func idleExpired(at now: NIODeadline) -> Bool {
        guard let timeout = self.poolIdleTimeout, self.call == nil, let since = self.idleSince else { return false }
        return now - since >= timeout
    }

    /// Wakes when the connection will have been idle for `idle` (or, while busy, one `idle` from now) and
    /// closes it if it still is.
    private func armPoolIdleCheck(in delay: TimeAmount? = nil) {
        guard let timeout = self.poolIdleTimeout, self.poolIdleCheck?.isArmed != true else { return }
        // The timers and the write promise hold the handler strongly (a weak reference would put every
        // retain and release of this long-lived handler on the runtime's slow path); each is cancelled or
        // completes when the handler is removed, which lets go of it.
        self.poolIdleCheck = self.timers.arm(in: delay ?? timeout) {
            guard let context = self.context else { return }
            self.poolIdleCheck = nil
            let now = context.eventLoop.now
            if self.idleExpired(at: now) {
                self.onUnusable?()
                context.close(promise: nil)
            } else if self.call == nil, let since = self.idleSince {
                self.armPoolIdleCheck(in: timeout - (now - since))
            } else {
                self.armPoolIdleCheck()
            }
        }
    }

    /// Sends `call`'s request: head, body and end in one flush.
    func start(_ call: UpstreamCall) {
        guard let context = self.context else {
            self.failOrRetry(call, .closed(host: self.host, afterHead: false))
            return
        }
        self.call = call
        self.idleSince = nil
        self.requestSent = false
        self.responseKeepAlive = true
        call.carrier = self
        self.writing = call
        self.writesPending += 1
        let promise = context.eventLoop.makePromise(of: Void.self)
        // A closure of `self` alone, like the timers' below: the call is found in `writing`.
        promise.futureResult.assumeIsolated().whenComplete { result in self.requestWritten(result) }
        if let codec = self.requestWriter, codec.writeRequest(call.head, body: call.body, promise: promise) {
            context.flush()
        } else {
            context.write(self.wrapOutboundOut(.head(call.head)), promise: nil)
            if call.body.readableBytes > 0 {
                context.write(self.wrapOutboundOut(.body(.byteBuffer(call.body))), promise: nil)
            }
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: promise)
        }
        // A closure of `self` alone needs no context of its own: nothing is allocated for it.
        self.firstByteTimer = self.timers.arm(in: call.endpoint.firstByteTimeout) { self.firstByteTimedOut() }
    }

    /// The write of a request ended. Only the latest request's write speaks for the call in progress: an
    /// earlier one's (its answer came before all of it had left, and the connection was reused) does not.
    private func requestWritten(_ result: Result<Void, any Error>) {
        self.writesPending -= 1
        guard self.writesPending == 0, let call = self.writing else { return }
        self.writing = nil
        guard self.call === call else { return }
        switch result {
        case .success:
            self.requestSent = true
        case .failure:
            self.call = nil
            self.cancelTimers()
            self.onUnusable?()
            self.failOrRetry(call, .closed(host: self.host, afterHead: false))
            self.context?.close(promise: nil)
        }
    }

    /// A request that never reached the socket may go to another connection; anything else fails.
    private func failOrRetry(_ call: UpstreamCall, _ error: UpstreamError) {
        if !self.requestSent, !call.receivedHead, let retry = self.onNotSent, retry(call) { return }
        call.fail(error)
    }

    /// The call's app went away: drop the call and close the channel, which cannot be reused with half
    /// an answer unread (for HTTP/2, only this stream is reset).
    func abort() {
        self.call = nil
        self.cancelTimers()
        self.onUnusable?()
        self.context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.received(self.unwrapInboundIn(data), context: context)
    }

    /// A response part from the HTTP/1.1 codec right before this handler, which calls this directly
    /// (``HTTP1ClientCodec/responseReader``). False once this handler is out of its pipeline: the part then
    /// goes through the pipeline, as any other would.
    func read(_ part: HTTPClientResponsePart) -> Bool {
        guard let context = self.context else { return false }
        self.received(part, context: context)
        return true
    }

    private func received(_ part: HTTPClientResponsePart, context: ChannelHandlerContext) {
        guard let call = self.call else { return }
        switch part {
        case .head(let head):
            // 1xx interim responses are not the answer.
            if head.status.code >= 100 && head.status.code < 200 && head.status != .switchingProtocols { return }
            self.firstByteTimer?.cancel()
            self.firstByteTimer = nil
            // The HTTP/1.1 codec read it with the head's fields; an HTTP/2 stream's head is read here.
            self.responseKeepAlive =
                self.requestWriter?.headKeepsAlive ?? HTTP1Syntax.isKeepAlive(head.headers, version: head.version)
            // The idle check is armed when this read turn ends with the answer still open: most answers
            // end in the read that brought their head, and need no timer at all.
            self.awaitsIdleCheck = true
            call.deliverHead(head)
        case .body(let buffer):
            call.deliverBody(buffer)
        case .end:
            self.cancelTimers()
            self.call = nil
            self.idleSince = context.eventLoop.now
            let reusable = self.responseKeepAlive
            call.finish()
            self.onResponseComplete?(reusable)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Once per read rather than per part read, and not at all for an answer that ended in it (most).
        if self.call != nil { self.lastReadAt = .now() }
        if self.awaitsIdleCheck {
            self.awaitsIdleCheck = false
            if let call = self.call, self.idleCheck == nil {
                // The whole timeout, not what is left of it: timers of one duration share a lane, and the
                // check measures the quiet from the last read when it fires.
                self.scheduleIdleCheck(in: call.endpoint.idleTimeout)
            }
        }
        self.call?.deliverReadComplete()
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if let call = self.call, !call.downstreamWritable {
            self.pendingRead = true
        } else {
            context.read()
        }
    }

    func resumeReading() {
        guard self.pendingRead, let context = self.context else { return }
        self.pendingRead = false
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimers()
        self.onUnusable?()
        if let call = self.call {
            self.call = nil
            self.failOrRetry(call, .closed(host: self.host, afterHead: call.receivedHead))
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.cancelTimers()
        self.onUnusable?()
        if let call = self.call {
            self.call = nil
            // Bytes that are not HTTP/1.x (HTTP1ClientCodec) are a malformed answer; any other error is a cut.
            if error is HTTP1ParseError {
                call.fail(.malformed(host: self.host, reason: "the provider's response is not valid HTTP (\(error))"))
            } else {
                self.failOrRetry(call, .closed(host: self.host, afterHead: call.receivedHead))
            }
        }
        context.close(promise: nil)
    }

    private func scheduleIdleCheck(in delay: TimeAmount) {
        guard self.context != nil else { return }
        self.idleCheck = self.timers.arm(in: delay) {
            guard let call = self.call else { return }
            let idle = call.endpoint.idleTimeout
            let quiet = NIODeadline.now() - self.lastReadAt
            if quiet >= idle {
                self.timedOut(phase: "idle", after: idle)
            } else {
                self.scheduleIdleCheck(in: idle - quiet)
            }
        }
    }

    private func firstByteTimedOut() {
        guard let call = self.call else { return }
        self.timedOut(phase: "first_byte", after: call.endpoint.firstByteTimeout)
    }

    private func timedOut(phase: String, after: TimeAmount) {
        self.cancelTimers()
        self.onUnusable?()
        if let call = self.call {
            self.call = nil
            call.fail(.timeout(host: self.host, phase: phase, after: after))
        }
        self.context?.close(promise: nil)
    }

    private func cancelTimers() {
        self.awaitsIdleCheck = false
        self.firstByteTimer?.cancel()
        self.firstByteTimer = nil
        self.idleCheck?.cancel()
        self.idleCheck = nil
    }
}
