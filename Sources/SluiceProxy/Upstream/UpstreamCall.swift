import NIOCore
import NIOHTTP1

/// One request on its way to a provider: the bytes to send, who to tell about the answer, and how far it got.
///
/// Loop-bound: created, driven and finished on the event loop of the app channel that made it.
final class UpstreamCall {
    let endpoint: UpstreamEndpoint
    let head: HTTPRequestHead
    let body: ByteBuffer
    /// Cleared once the outcome is delivered, so no channel or handler outlives the exchange through it.
    private(set) var delegate: (any UpstreamResponseDelegate)?
    /// Attempts made; a broken pooled connection earns exactly one more.
    var attempts = 0
    /// Whether any response byte arrived; after that a failure is never retried.
    var receivedHead = false
    var isFinished: Bool { self.delegate == nil }
    /// The handler carrying the call while it is on a connection or stream: the app leaving cuts it, and
    /// the app draining its backlog lets it read again. Cleared when the call ends (no cycle outlives it).
    var carrier: UpstreamResponseHandler?
    /// The waiting-for-a-connection timer.
    var queueTimeout: LoopTimers.Timer?

    init(endpoint: UpstreamEndpoint, head: HTTPRequestHead, body: ByteBuffer, delegate: any UpstreamResponseDelegate) {
        self.endpoint = endpoint
        self.head = head
        self.body = body
        self.delegate = delegate
    }

    func deliverHead(_ head: HTTPResponseHead) {
        self.receivedHead = true
        self.delegate?.upstreamHead(head)
    }

    func deliverBody(_ buffer: ByteBuffer) {
        self.delegate?.upstreamBody(buffer)
    }

    func deliverReadComplete() {
        self.delegate?.upstreamReadComplete()
    }

    func finish() {
        let delegate = self.delegate
        self.release()
        delegate?.upstreamEnd()
    }

    func fail(_ error: UpstreamError) {
        let delegate = self.delegate
        self.release()
        delegate?.upstreamFailed(error)
    }

    /// The app went away: drop the delegate and cut whatever carries the request.
    func cancel() {
        guard !self.isFinished else { return }
        let carrier = self.carrier
        self.release()
        carrier?.abort()
    }

    /// The app can take bytes again: let the carrier read.
    func resumeReading() {
        self.carrier?.resumeReading()
    }

    var downstreamWritable: Bool { self.delegate?.downstreamWritable ?? true }

    private func release() {
        self.delegate = nil
        self.carrier = nil
        self.queueTimeout?.cancel()
        self.queueTimeout = nil
    }
}
