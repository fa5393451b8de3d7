import NIOCore

/// The request path's deadlines on one event loop (a request's total time, the first byte, the gap
/// between reads), cheaper than a NIO scheduled task each.
///
/// Every request arms two or three of them and nearly always cancels them within milliseconds. A NIO
/// `scheduleTask` costs a promise, a heap insertion and, to cancel, a search of the heap: measured at
/// about 6 % of Sluice's CPU per proxied request (`bench/profile`). Timers of one duration expire in the
/// order they were armed, so each duration gets a first-in-first-out lane; a single NIO task waits for
/// the earliest deadline at the head of any lane. Cancelling marks a timer dead and drops dead timers
/// from its lane's head, so a lane holds only what might still fire (and is compacted if a long-lived
/// timer at its head keeps dead ones queued behind it).
///
/// Loop-confined (hence `@unchecked Sendable`, like ``LoopContext``): arm, cancel and fire only on
/// `eventLoop`.
final class LoopTimers: @unchecked Sendable {
    /// One armed deadline; `cancel()` is safe to call at any time, also after it fired.
    final class Timer {
        fileprivate enum State {
            case armed(() -> Void)
            /// Taken off its lane to run in this batch of due timers.
            case due(() -> Void)
            case done
        }

        fileprivate let deadline: NIODeadline
        fileprivate var state: State
        fileprivate let lane: Lane

        fileprivate init(deadline: NIODeadline, action: @escaping () -> Void, lane: Lane) {
            self.deadline = deadline
            self.state = .armed(action)
            self.lane = lane
        }

        fileprivate var isDead: Bool {
            if case .done = self.state { return true }
            return false
        }

        /// Whether it is still waiting to fire.
        var isArmed: Bool {
            switch self.state {
            case .armed, .due: true
            case .done: false
            }
        }

        func cancel() {
            switch self.state {
            case .armed:
                self.state = .done
                self.lane.timerCancelled()
            case .due:
                self.state = .done  // off its lane already
            case .done:
                break
            }
        }
    }

    fileprivate final class Lane {
        var timers = CircularBuffer<Timer>()
        /// Dead timers still queued (behind a live one).
        var dead = 0

        func timerCancelled() {
            self.dead += 1
            self.dropDeadHead()
            // Amortised: a compaction costs one pass over at least `dead * 2` timers, half of them dead.
            if self.dead > 256 && self.dead * 2 > self.timers.count {
                var live = CircularBuffer<Timer>(initialCapacity: self.timers.count - self.dead)
                for timer in self.timers where !timer.isDead { live.append(timer) }
                self.timers = live
                self.dead = 0
            }
        }

        func dropDeadHead() {
            while let first = self.timers.first, first.isDead {
                self.timers.removeFirst()
                self.dead -= 1
            }
        }
    }

    private let eventLoop: any EventLoop
    private var lanes: [Int64: Lane] = [:]
    private var wakeup: Scheduled<Void>?
    private var wakeupAt: NIODeadline?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `action` on the loop once `amount` has passed, unless the returned timer is cancelled first.
    func arm(in amount: TimeAmount, _ action: @escaping () -> Void) -> Timer {
        self.eventLoop.assertInEventLoop()
        let lane: Lane
        if let existing = self.lanes[amount.nanoseconds] {
            lane = existing
        } else {
            lane = Lane()
            self.lanes[amount.nanoseconds] = lane
        }
        let timer = Timer(deadline: self.eventLoop.now + amount, action: action, lane: lane)
        lane.timers.append(timer)
        if let wakeupAt = self.wakeupAt, wakeupAt <= timer.deadline { return timer }
        self.scheduleWakeup(at: timer.deadline)
        return timer
    }

    /// How many timers are queued, live or dead (for tests).
    var queued: Int { self.lanes.values.reduce(0) { $0 + $1.timers.count } }

    private func scheduleWakeup(at deadline: NIODeadline) {
        self.wakeup?.cancel()
        self.wakeupAt = deadline
        self.wakeup = self.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [weak self] in
            self?.fire()
        }
    }

    private func fire() {
        self.wakeup = nil
        self.wakeupAt = nil
        let now = self.eventLoop.now
        var due: [Timer] = []
        for (duration, lane) in self.lanes {
            lane.dropDeadHead()
            while let first = lane.timers.first, first.deadline <= now {
                lane.timers.removeFirst()
                if case .armed(let action) = first.state {
                    first.state = .due(action)
                    due.append(first)
                }
                lane.dropDeadHead()
            }
            // Lanes of one-off durations (an idle check's remainder) go once empty.
            if lane.timers.isEmpty { self.lanes[duration] = nil }
        }
        // Across lanes in deadline order, as NIO would have run them (a late wake-up can find several due).
        due.sort { $0.deadline < $1.deadline }
        for timer in due {
            // A timer run earlier in this batch may have cancelled a later one.
            guard case .due(let action) = timer.state else { continue }
            timer.state = .done
            action()
        }
        let next = self.lanes.values.compactMap { $0.timers.first?.deadline }.min()
        if let next, self.wakeupAt.map({ next < $0 }) ?? true {
            self.scheduleWakeup(at: next)
        }
    }
}
