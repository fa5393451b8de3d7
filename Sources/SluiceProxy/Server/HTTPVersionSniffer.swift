import NIOCore

/// Puts HTTP/1.1 and HTTP/2 with prior knowledge (h2c) on one plaintext port.
///
/// Reads until the first bytes either match the 24-byte HTTP/2 connection preface or cannot, asks
/// `configure` to build the matching pipeline behind it, replays what it read, and removes itself.
final class HTTPVersionSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    enum Version { case http1, http2 }

    static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let configure: (any Channel, Version) throws -> Void
    private var buffered: ByteBuffer?

    init(configure: @escaping (any Channel, Version) throws -> Void) {
        self.configure = configure
    }

    /// Decides from the bytes so far: a version, or nil while they are still a prefix of the preface.
    static func decide(_ bytes: ByteBuffer) -> Version? {
        let count = min(bytes.readableBytes, Self.preface.count)
        let matches = bytes.withUnsafeReadableBytes { raw in
            raw.prefix(count).elementsEqual(Self.preface.prefix(count))
        }
        if !matches { return .http1 }
        return count == Self.preface.count ? .http2 : nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        if var buffered = self.buffered {
            buffered.writeBuffer(&incoming)
            self.buffered = buffered
        } else {
            self.buffered = incoming
        }
        guard let version = Self.decide(self.buffered!) else { return }
        do {
            try self.configure(context.channel, version)
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        let bytes = self.buffered!
        self.buffered = nil
        context.fireChannelRead(self.wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Told to quiesce before the client said anything: nothing is in flight, so just close.
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
