import NIOCore
import NIOEmbedded
import Testing

@testable import SluiceProxy

@Suite("LoopTimers: the request path's deadlines on one loop")
struct LoopTimersTests {
    /// Arms timers and records the order they fire in.
    final class Recorder {
        var fired: [String] = []
        func action(_ name: String) -> () -> Void { { [unowned self] in self.fired.append(name) } }
    }

    @Test("timers fire at their deadline, in deadline order across durations, and not before")
    func order() {
        let loop = EmbeddedEventLoop()
        let timers = LoopTimers(eventLoop: loop)
        let recorder = Recorder()
        _ = timers.arm(in: .milliseconds(300), recorder.action("a300"))
        _ = timers.arm(in: .milliseconds(100), recorder.action("b100"))
        loop.advanceTime(by: .milliseconds(50))
        _ = timers.arm(in: .milliseconds(100), recorder.action("c100"))  // due at 150
        _ = timers.arm(in: .milliseconds(20), recorder.action("d20"))  // due at 70
        loop.advanceTime(by: .milliseconds(19))
        #expect(recorder.fired.isEmpty)
        loop.advanceTime(by: .milliseconds(1))
        #expect(recorder.fired == ["d20"])
        loop.advanceTime(by: .milliseconds(29))
        #expect(recorder.fired == ["d20"])
        loop.advanceTime(by: .milliseconds(1))
        #expect(recorder.fired == ["d20", "b100"])
        loop.advanceTime(to: loop.now + .milliseconds(50))
        #expect(recorder.fired == ["d20", "b100", "c100"])
        loop.advanceTime(by: .seconds(1))
        #expect(recorder.fired == ["d20", "b100", "c100", "a300"])
        #expect(timers.queued == 0)
    }

    @Test("a cancelled timer never fires, also when cancelled by a timer due in the same turn")
    func cancel() {
        let loop = EmbeddedEventLoop()
        let timers = LoopTimers(eventLoop: loop)
        let recorder = Recorder()
        let first = timers.arm(in: .milliseconds(100), recorder.action("first"))
        let second = timers.arm(in: .milliseconds(100), recorder.action("second"))
        first.cancel()
        #expect(!first.isArmed)
        #expect(second.isArmed)
        loop.advanceTime(by: .milliseconds(100))
        #expect(recorder.fired == ["second"])
        #expect(!second.isArmed)
        second.cancel()  // after firing: nothing happens

        var victim: LoopTimers.Timer?
        _ = timers.arm(in: .milliseconds(10)) { victim?.cancel() }
        victim = timers.arm(in: .milliseconds(10), recorder.action("victim"))
        loop.advanceTime(by: .milliseconds(10))
        #expect(recorder.fired == ["second"])
    }

    @Test("a timer armed by a firing timer fires on time")
    func rearm() {
        let loop = EmbeddedEventLoop()
        let timers = LoopTimers(eventLoop: loop)
        let recorder = Recorder()
        _ = timers.arm(in: .milliseconds(10)) {
            recorder.fired.append("outer")
            _ = timers.arm(in: .milliseconds(5), recorder.action("inner"))
        }
        loop.advanceTime(by: .milliseconds(10))
        #expect(recorder.fired == ["outer"])
        loop.advanceTime(by: .milliseconds(5))
        #expect(recorder.fired == ["outer", "inner"])
    }

    @Test("cancelled timers do not pile up behind a long-lived one")
    func compaction() {
        let loop = EmbeddedEventLoop()
        let timers = LoopTimers(eventLoop: loop)
        let recorder = Recorder()
        let longLived = timers.arm(in: .seconds(600), recorder.action("long"))
        for _ in 0..<10_000 {
            timers.arm(in: .seconds(600), recorder.action("short")).cancel()
        }
        #expect(timers.queued < 600)
        // Cancelled in arming order: each drops off the head at once.
        longLived.cancel()
        #expect(timers.queued < 600)
        loop.advanceTime(by: .seconds(601))
        #expect(recorder.fired.isEmpty)
        #expect(timers.queued == 0)
    }
}
