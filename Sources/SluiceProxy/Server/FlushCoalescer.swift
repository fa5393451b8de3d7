import NIOCore

/// Holds a connection's flushes until the event-loop turn's I/O events are all handled, then makes them,
/// once per connection, together with every other connection's on that loop (``LoopFlushes``).
///
/// Sits next to the socket on app connections (HTTP/1.1 and HTTP/2) and on HTTP/1.1 upstream connections.
/// - On an HTTP/2 connection, the streams answered in one turn leave in one `writev` rather than one each.
///   DESIGN.md ("The data path") measured 0.70× nginx against 0.55× with a flush per stream, for 16 streams
///   per connection.
/// - On every connection, the turn's socket writes run back to back after its reads and parsing, instead
///   of interleaved with them: measured with `bench/compare`, 0.86× CPU per HTTP/1.1 request (app side) and
///   0.96× more (upstream side), at 64 connections, with the same system calls per request. The provider
///   or app woken by each write also finds more of the turn's work waiting when it runs.
///
/// The wait is the rest of the turn, never longer: no timer is involved. A close flushes first, so a
/// GOAWAY or the end of an answer written just before it is not dropped with the unflushed writes.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = Any

    private let batch: LoopFlushes
    private var context: ChannelHandlerContext?
    /// A flush was asked for and waits in ``batch``.
    private var flushPending = false

    init(batch: LoopFlushes) {
        self.batch = batch
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.flushNow()
        self.context = nil
    }

    func flush(context: ChannelHandlerContext) {
        guard !self.flushPending else { return }
        self.flushPending = true
        self.batch.enqueue(self)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        self.flushNow()
        context.close(mode: mode, promise: promise)
    }

    /// Makes the pending flush, if one is pending (a close may have made it already).
    func flushNow() {
        guard self.flushPending else { return }
        self.flushPending = false
        self.context?.flush()
    }
}

/// The flushes that one event loop's connections asked for during the current turn.
///
/// One task per turn makes them all: tasks run after the turn's I/O events, so every answer completed in
/// the turn is in its connection's buffer by then. Touched only on its own loop, which is why it needs no
/// lock.
final class LoopFlushes: @unchecked Sendable {
    private let eventLoop: any EventLoop
    private var pending: [FlushCoalescer] = []
    /// The last turn's array, kept for its capacity.
    private var spare: [FlushCoalescer] = []
    /// Work that waits for the turn's flushes (``afterFlush(_:)``).
    private var deferred: [any FlushFollower] = []
    private var spareDeferred: [any FlushFollower] = []

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// The turn's task, made once rather than a closure per turn. Unowned: it is kept by the loop's flushes
    /// themselves, which live as long as the loop.
    private lazy var flushTask: () -> Void = { [unowned self] in self.flushAll() }

    func enqueue(_ coalescer: FlushCoalescer) {
        if self.pending.isEmpty {
            self.eventLoop.assumeIsolated().execute(self.flushTask)
        }
        self.pending.append(coalescer)
    }

    /// Tells `follower` once this turn's flushes are made, or now when none is waiting: bookkeeping that no
    /// byte of an answer depends on (the access line, metrics) then costs the app no latency. It still runs
    /// in this turn, before the loop reads anything more. An object rather than a closure: the work of every
    /// request waits here, and a closure would be one more allocation each.
    func afterFlush(_ follower: some FlushFollower) {
        if self.pending.isEmpty {
            follower.flushed()
        } else {
            self.deferred.append(follower)
        }
    }

    private func flushAll() {
        // A flush can complete a write whose callback flushes again (a close after the last answer): that
        // flush joins a fresh batch, with its own task.
        var batch = self.spare
        swap(&batch, &self.pending)
        for coalescer in batch { coalescer.flushNow() }
        batch.removeAll(keepingCapacity: true)
        self.spare = batch
        // The work deferred behind this turn's flushes (and any deferred from a write's callback just now,
        // which is only bookkeeping run a little early).
        guard !self.deferred.isEmpty else { return }
        var work = self.spareDeferred
        swap(&work, &self.deferred)
        for follower in work { follower.flushed() }
        work.removeAll(keepingCapacity: true)
        self.spareDeferred = work
    }
}

/// What waits for a loop turn's flushes (``LoopFlushes/afterFlush(_:)``).
protocol FlushFollower: AnyObject {
    /// The turn's flushes are made.
    func flushed()
}
