import NIOCore
import NIOEmbedded
import Testing

@testable import SluiceProxy

@Suite("HTTPVersionSniffer on an EmbeddedChannel")
struct HTTPVersionSnifferTests {
    /// Records what reaches the end of the pipeline after the sniffer has stepped aside.
    final class Recorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var received = ByteBuffer()
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = self.unwrapInboundIn(data)
            self.received.writeBuffer(&buffer)
        }
    }

    func run(_ chunks: [String]) throws -> (HTTPVersionSniffer.Version?, String, Bool) {
        let channel = EmbeddedChannel()
        let recorder = Recorder()
        var chosen: HTTPVersionSniffer.Version?
        let sniffer = HTTPVersionSniffer { channel, version in
            chosen = version
            try channel.pipeline.syncOperations.addHandler(recorder)
        }
        try channel.pipeline.syncOperations.addHandler(sniffer)
        for chunk in chunks {
            try channel.writeInbound(ByteBuffer(string: chunk))
        }
        let stillThere = (try? channel.pipeline.syncOperations.handler(type: HTTPVersionSniffer.self)) != nil
        _ = try? channel.finish()
        return (chosen, String(buffer: recorder.received), stillThere)
    }

    @Test("the h2c preface split over three reads picks HTTP/2 and replays every byte")
    func preface() throws {
        let (version, replayed, stillThere) = try self.run(["PRI * HTTP/2.0\r", "\n\r\nSM\r\n", "\r\nrest"])
        #expect(version == .http2)
        #expect(replayed == "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\nrest")
        #expect(!stillThere)
    }

    @Test("an HTTP/1.1 request is recognised from its first byte and passed on whole")
    func http1() throws {
        let (version, replayed, stillThere) = try self.run(["POST /v1/chat/completions HTTP/1.1\r\n"])
        #expect(version == .http1)
        #expect(replayed == "POST /v1/chat/completions HTTP/1.1\r\n")
        #expect(!stillThere)
    }

    @Test("a prefix of the preface waits for more bytes")
    func waits() throws {
        let (version, replayed, stillThere) = try self.run(["PRI * HTTP/2"])
        #expect(version == nil)
        #expect(replayed.isEmpty)
        #expect(stillThere)
    }
}
