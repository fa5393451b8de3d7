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
        exchange.hold!.firstTokenTimer = self.startAttemptTimer(
            phase: "first_token", after: call.endpoint.firstTokenTimeout, for: call)
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
        app.write(.head(self.responseHead(status: hold.head.status, headers: self.relayedHeaders(hold.head))))
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
    /// with a timeout of `phase` (before the answer: a fallback; during it: an error event).
    @discardableResult
    func startAttemptTimer(phase: String, after amount: TimeAmount, for call: UpstreamCall) -> LoopTimers.Timer? {
        guard let exchange = self.exchange else { return nil }
        if phase == "total" { self.endAttemptTimers() }
        // Held strongly, not weakly: a weak reference gives the handler a side table, and every retain and
        // release of it after that takes the runtime's slow path. The timer is cancelled when the attempt
        // or the handler ends (endAttemptTimers), which lets go of the handler.
        let timer = self.loop.timers.arm(in: amount) {
            guard let exchange = self.exchange, exchange.call === call else { return }
            call.cancel()
            self.upstreamFailed(.timeout(host: call.endpoint.authority, phase: phase, after: amount))
        }
        // Room for an attempt's timers (first byte, first token, total) in one allocation, not one per append.
        if exchange.attemptTimers.capacity == 0 { exchange.attemptTimers.reserveCapacity(4) }
        exchange.attemptTimers.append(timer)
        return timer
    }

    func endAttemptTimers() {
        guard let exchange = self.exchange else { return }
        for timer in exchange.attemptTimers { timer.cancel() }
        exchange.attemptTimers.removeAll(keepingCapacity: true)
    }
}
