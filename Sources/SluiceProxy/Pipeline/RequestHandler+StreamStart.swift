import NIOCore
import NIOHTTP1
import SluiceLLM

/// The start of a stream and the attempt's own clocks.
///
/// A stream's head and preamble (the role-only chunk, empty deltas, pings) are held back until
/// its first content: until then nothing has reached the app, so a cut, a stall past
/// `first_token` or a reset still falls back to the next target as if the provider had never
/// answered. Past ``StreamHold/maxBytes`` of preamble the stream is let go anyway.
extension RequestHandler {
    func holdStream(_ head: HTTPResponseHead) {
        guard let exchange = self.exchange, exchange.call != nil else { return }
        exchange.hold = StreamHold(head: head)
        // The first-token clock starts at the end of this read (``armFirstTokenClock()``), not here: most
        // streams bring their first content in the read that brought their head, and then need no clock.
    }

    /// Starts the first-token clock of a stream still held when a read from its provider ends.
    func armFirstTokenClock() {
        guard let exchange = self.exchange, exchange.hold != nil, exchange.hold!.firstTokenTimer == nil,
            let call = exchange.call
        else { return }
        exchange.hold!.firstTokenTimer = self.startAttemptClock(.firstToken, for: call)
    }

    /// Adds `buffer` to the held preamble, and lets the stream go once content arrives.
    func holdOrRelease(_ buffer: ByteBuffer) {
        guard let exchange = self.exchange, exchange.hold != nil else { return }
        let sawContent = buffer.withUnsafeReadableBytes { exchange.hold!.detector.feed($0) }
        exchange.hold!.bytes += buffer.readableBytes
        if sawContent || exchange.hold!.bytes > StreamHold.maxBytes {
            // Most streams bring their first content in their first read: that read goes out after the
            // head without a list of held reads being made for it.
            self.releaseStream(then: buffer)
        } else {
            exchange.hold!.buffered.append(buffer)
        }
    }

    /// Writes the held head and preamble, then `last` (a read that was never held); from here on the
    /// stream is relayed as it comes.
    func releaseStream(then last: ByteBuffer? = nil) {
        guard let app = self.app, let exchange = self.exchange, let hold = exchange.hold else { return }
        exchange.hold = nil
        // The first-token clock stops; the total clock keeps running.
        hold.firstTokenTimer?.cancel()
        exchange.headSent = true
        exchange.status = Int(hold.head.status.code)
        self.startTranscriptIfResumable()
        app.write(.head(self.relayedHead(hold.head)))
        for buffer in hold.buffered {
            self.writeReleased(buffer, of: exchange, to: app)
        }
        if let last { self.writeReleased(last, of: exchange, to: app) }
    }

    private func writeReleased(_ buffer: ByteBuffer, of exchange: Exchange, to app: any AppStream) {
        buffer.withUnsafeReadableBytes { exchange.transcript?.feed($0) }
        app.write(.body(.byteBuffer(buffer)))
    }

    /// Starts a clock on the attempt `call`: when it runs out first, the call is cut and fails
    /// with a timeout of its phase (before the answer: a fallback; during it: an error event).
    @discardableResult
    func startAttemptClock(_ clock: AttemptClock, for call: UpstreamCall) -> LoopTimers.Timer? {
        guard let exchange = self.exchange else { return nil }
        if clock == .total { self.endAttemptTimers() }
        // Held strongly, not weakly: a weak reference gives the handler a side table, and every retain and
        // release of it after that takes the runtime's slow path. The timer is cancelled when the attempt
        // or the handler ends (endAttemptTimers), which lets go of the handler; a new attempt starts only
        // after that, so the clock that runs out is always the current attempt's. Each closure holds `self`
        // alone, which needs no context allocated for it.
        let amount = clock.timeout(of: call.endpoint)
        switch clock {
        case .total:
            exchange.totalClock = self.loop.timers.arm(in: amount) { self.attemptClockRanOut(.total) }
            return exchange.totalClock
        case .firstToken:
            exchange.firstTokenClock = self.loop.timers.arm(in: amount) { self.attemptClockRanOut(.firstToken) }
            return exchange.firstTokenClock
        }
    }

    private func attemptClockRanOut(_ clock: AttemptClock) {
        guard let exchange = self.exchange, let call = exchange.call else { return }
        call.cancel()
        let timeout = clock.timeout(of: call.endpoint)
        self.upstreamFailed(.timeout(host: call.endpoint.authority, phase: clock.phase, after: timeout))
    }

    func endAttemptTimers() {
        guard let exchange = self.exchange else { return }
        exchange.totalClock?.cancel()
        exchange.totalClock = nil
        exchange.firstTokenClock?.cancel()
        exchange.firstTokenClock = nil
    }
}

/// A clock on one attempt at a provider.
enum AttemptClock {
    /// From the request sent to the answer's end.
    case total
    /// From a stream's head to its first content, while the stream is held.
    case firstToken

    /// Its name in a timeout error and the access log.
    var phase: String {
        switch self {
        case .total: "total"
        case .firstToken: "first_token"
        }
    }

    func timeout(of endpoint: UpstreamEndpoint) -> TimeAmount {
        switch self {
        case .total: endpoint.totalTimeout
        case .firstToken: endpoint.firstTokenTimeout
        }
    }
}
