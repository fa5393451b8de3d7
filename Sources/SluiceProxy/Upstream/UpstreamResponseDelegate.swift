import NIOCore
import NIOHTTP1

/// Receives one upstream response as it is read, on the event loop of the app's channel.
///
/// The request handler implements this to relay the answer to the app part by part; the pool calls it for
/// exactly one outcome: a head, then body parts, then `upstreamEnd` — or `upstreamFailed` at any point.
protocol UpstreamResponseDelegate: AnyObject {
    func upstreamHead(_ head: HTTPResponseHead)
    func upstreamBody(_ buffer: ByteBuffer)
    func upstreamEnd()
    /// The upstream read loop finished a turn: a good moment to flush what was relayed.
    func upstreamReadComplete()
    func upstreamFailed(_ error: UpstreamError)
    /// Whether the app can take more bytes now; when false the upstream stops reading (back-pressure).
    var downstreamWritable: Bool { get }
}

/// Why an upstream exchange failed, in terms the request handler maps to an API error.
enum UpstreamError: Error, Sendable {
    /// The TCP connection could not be made (refused, unreachable, DNS).
    case connect(host: String, reason: String)
    /// The TLS handshake failed, typically an untrusted certificate.
    case tls(host: String, reason: String)
    /// No connection within the connect timeout, no response head within first_byte, or a stall past idle.
    case timeout(host: String, phase: String, after: TimeAmount)
    /// The connection closed or reset before the response was complete.
    case closed(host: String, afterHead: Bool)
    /// The provider answered something that is not HTTP.
    case malformed(host: String, reason: String)
    /// The app went away; nobody is listening.
    case cancelled
}
