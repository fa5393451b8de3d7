import CoreMetrics
import NIOCore

/// Everything the request path keeps per event loop: the upstream pool, its timers, metric handles and
/// request ids.
///
/// Touched only on its own loop, which is why it needs no lock; the gateway hands each channel the
/// context of the loop it lives on.
final class LoopContext: @unchecked Sendable {
    let eventLoop: any EventLoop
    let pool: UpstreamPool
    let timers: LoopTimers
    let metrics: LoopMetrics
    /// The header strings this loop's HTTP/1.1 connections repeat, shared by all of them (see
    /// ``HTTP1FieldStrings``).
    let fieldStrings: HTTP1FieldStrings
    /// The flushes this loop's connections ask for, made together at the end of each turn.
    let flushes: LoopFlushes
    private let idPrefix: String
    private var nextID: UInt64 = 0

    init(eventLoop: any EventLoop, metrics: GatewayMetrics, index: Int) {
        self.eventLoop = eventLoop
        self.timers = LoopTimers(eventLoop: eventLoop)
        self.fieldStrings = HTTP1FieldStrings()
        self.flushes = LoopFlushes(eventLoop: eventLoop)
        self.pool = UpstreamPool(
            eventLoop: eventLoop, timers: self.timers, fieldStrings: self.fieldStrings, flushes: self.flushes)
        self.metrics = LoopMetrics(metrics: metrics)
        let random = UInt32.random(in: 0...UInt32.max)
        self.idPrefix = "req_" + String(random, radix: 16) + String(index, radix: 16) + "_"
        self.pool.onConnectionOpened = { endpoint in
            metrics.upstreamConnectionsCounter(provider: endpoint.providerName).increment()
        }
    }

    /// A request id unique within this process run: a random prefix per loop and a counter.
    func makeRequestID() -> String {
        self.nextID &+= 1
        return self.idPrefix + String(self.nextID, radix: 16)
    }
}
