import NIOCore
import NIOEmbedded
import Testing

@testable import SluiceProxy

@Suite("FlushCoalescer on an EmbeddedChannel")
struct FlushCoalescerTests {
    /// Sits between the socket and the coalescer: counts the flushes that would reach the socket.
    final class FlushCounter: ChannelOutboundHandler, @unchecked Sendable {
        typealias OutboundIn = ByteBuffer
        var flushes = 0
        func flush(context: ChannelHandlerContext) {
            self.flushes += 1
            context.flush()
        }
    }

    func channel(
        loop: EmbeddedEventLoop = EmbeddedEventLoop(), batch: LoopFlushes? = nil
    ) throws -> (EmbeddedChannel, FlushCounter) {
        let channel = EmbeddedChannel(loop: loop)
        let counter = FlushCounter()
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer(batch: batch ?? LoopFlushes(eventLoop: loop)))
        return (channel, counter)
    }

    func drain(_ channel: EmbeddedChannel) throws -> [String] {
        var written: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { written.append(String(buffer: buffer)) }
        return written
    }

    @Test("flushes asked for in one turn reach the socket once, after the turn, carrying every write")
    func oneFlushPerTurn() throws {
        let (channel, counter) = try self.channel()
        channel.writeAndFlush(ByteBuffer(string: "stream 1"), promise: nil)
        channel.writeAndFlush(ByteBuffer(string: "stream 3"), promise: nil)
        channel.flush()
        #expect(counter.flushes == 0)
        #expect(try self.drain(channel).isEmpty)

        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
        #expect(try self.drain(channel) == ["stream 1", "stream 3"])

        channel.writeAndFlush(ByteBuffer(string: "stream 5"), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 2)
        #expect(try self.drain(channel) == ["stream 5"])
        _ = try? channel.finish()
    }

    @Test("a write's promise completes once the coalesced flush has written it")
    func promiseCompletes() throws {
        let (channel, _) = try self.channel()
        let done = channel.writeAndFlush(ByteBuffer(string: "answer"))
        var completed = false
        done.whenSuccess { completed = true }
        #expect(!completed)
        channel.embeddedEventLoop.run()
        #expect(completed)
        _ = try? channel.finish()
    }

    @Test("a close right after a flush writes what was flushed first (a GOAWAY is not dropped)")
    func closeFlushesFirst() throws {
        let (channel, counter) = try self.channel()
        channel.writeAndFlush(ByteBuffer(string: "GOAWAY"), promise: nil)
        channel.close(promise: nil)
        #expect(counter.flushes == 1)
        #expect(try self.drain(channel) == ["GOAWAY"])
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 1)
    }

    @Test("nothing flushed waits: no flush is asked for, none is made")
    func noFlushWithoutAsking() throws {
        let (channel, counter) = try self.channel()
        channel.write(ByteBuffer(string: "unflushed"), promise: nil)
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 0)
        #expect(try self.drain(channel).isEmpty)
        _ = try? channel.finish()
    }

    @Test("the connections of one loop are flushed together at the end of the turn")
    func oneBatchPerLoop() throws {
        let loop = EmbeddedEventLoop()
        let batch = LoopFlushes(eventLoop: loop)
        let (app, appFlushes) = try self.channel(loop: loop, batch: batch)
        let (upstream, upstreamFlushes) = try self.channel(loop: loop, batch: batch)
        app.writeAndFlush(ByteBuffer(string: "answer"), promise: nil)
        upstream.writeAndFlush(ByteBuffer(string: "request"), promise: nil)
        #expect(appFlushes.flushes == 0 && upstreamFlushes.flushes == 0)
        loop.run()
        #expect(appFlushes.flushes == 1 && upstreamFlushes.flushes == 1)
        #expect(try self.drain(app) == ["answer"])
        #expect(try self.drain(upstream) == ["request"])
        _ = try? app.finish()
        _ = try? upstream.finish()
    }

    /// Work for ``LoopFlushes/afterFlush(_:)``.
    final class Follower: FlushFollower {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
        func flushed() { self.work() }
    }

    @Test("work deferred behind a pending flush runs right after the socket got the turn's writes, in that turn")
    func afterFlushWaitsForTheFlush() throws {
        let loop = EmbeddedEventLoop()
        let batch = LoopFlushes(eventLoop: loop)
        let (channel, counter) = try self.channel(loop: loop, batch: batch)
        channel.writeAndFlush(ByteBuffer(string: "end of answer"), promise: nil)
        var flushesSeenByWork: [Int] = []
        batch.afterFlush(Follower { flushesSeenByWork.append(counter.flushes) })
        batch.afterFlush(Follower { flushesSeenByWork.append(counter.flushes) })
        #expect(flushesSeenByWork.isEmpty)
        loop.run()
        #expect(flushesSeenByWork == [1, 1])
        _ = try? channel.finish()
    }

    @Test("work deferred while no flush is pending runs at once")
    func afterFlushWithNothingPending() throws {
        let loop = EmbeddedEventLoop()
        let batch = LoopFlushes(eventLoop: loop)
        var ran = false
        batch.afterFlush(Follower { ran = true })
        #expect(ran)
    }

    @Test("a flush asked for while the batch is being flushed (from a write's callback) is made too")
    func flushFromCallback() throws {
        let (channel, counter) = try self.channel()
        channel.writeAndFlush(ByteBuffer(string: "end of answer")).whenSuccess {
            channel.writeAndFlush(ByteBuffer(string: "next"), promise: nil)
        }
        channel.embeddedEventLoop.run()
        #expect(counter.flushes == 2)
        #expect(try self.drain(channel) == ["end of answer", "next"])
        _ = try? channel.finish()
    }
}
