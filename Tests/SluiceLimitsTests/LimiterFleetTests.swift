import SluicePolicy
import Synchronization
import Testing

@testable import SluiceLimits

/// Three sidecars sharing one store through leases, driven by hand: the arithmetic of the
/// fleet without a network.
@Suite("Limiter: a fleet sharing a store through leases")
struct LimiterFleetTests {
    final class ManualTime: Sendable {
        let nanoseconds = Mutex<Int64>(1_000_000_000)
        var now: Int64 { nanoseconds.withLock { $0 } }
        func advance(_ by: Int64) { nanoseconds.withLock { $0 += by } }
    }

    static let unix: Int64 = 1_795_608_000
    static let workloads = ["checkout": LimitSettings(rates: RateLimits(requestsPerMinute: 300))]

    private func fleet(_ count: Int, time: ManualTime, failClosed: Bool = false) -> [Limiter] {
        (0..<count).map { index in
            Limiter(
                configuration: LimiterConfiguration(
                    workloads: Self.workloads, fleet: .init(leaseBasisPoints: 500, failClosed: failClosed)),
                instance: "pod-\(index)", now: time.now)
        }
    }

    /// What a sidecar's background task does on a tick: make the draws the limiter asks for.
    private func drawAll(_ limiter: inout Limiter, store: InMemoryLimitStore?, time: ManualTime) {
        for order in limiter.drawOrders(now: time.now) {
            if let store {
                limiter.drew(order, grant: store.drawNow(order.bucket, spec: order.spec, units: order.units), now: time.now)
            } else {
                limiter.drawFailed(order, now: time.now)
            }
        }
    }

    @Test("1,000 requests spread over three sidecars against 300 per minute: 300 to 300 + one lease each")
    func overshootBound() {
        let time = ManualTime()
        let store = InMemoryLimitStore(now: { time.now })
        var sidecars = fleet(3, time: time)
        var admitted = 0
        for request in 0..<1000 {
            let index = request % 3
            if case .admitted = sidecars[index].admit(
                workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
            {
                admitted += 1
            }
            // The background task runs between requests, as often as the event loop lets it.
            if request % 5 == 4 { drawAll(&sidecars[index], store: store, time: time) }
        }
        // The lease is 5% of 300: 15 requests. Each sidecar may be one lease in debt.
        #expect(admitted >= 300 - 3 * 15)
        #expect(admitted <= 300 + 3 * 15)
        #expect(store.bucket(BucketID("checkout/requests"))?.available(at: time.now) == 0)
    }

    @Test("a sidecar admits on credit before its first lease arrives, up to one lease")
    func creditBeforeFirstLease() {
        let time = ManualTime()
        var sidecar = fleet(1, time: time)[0]
        var admitted = 0
        for _ in 0..<40 {
            if case .admitted = sidecar.admit(
                workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
            {
                admitted += 1
            }
        }
        #expect(admitted == 15)
        #expect(sidecar.leaseBalance(.workload("checkout"), .requestsPerMinute) == -15)
        let orders = sidecar.drawOrders(now: time.now)
        #expect(orders.map(\.units) == [30])
    }

    @Test("store down: fail_open admits on this sidecar's own bucket; fail_closed refuses until it is back")
    func outage() {
        let time = ManualTime()
        var open = fleet(1, time: time)[0]
        drawAll(&open, store: nil, time: time)
        #expect(open.storeDown)
        var admitted = 0
        for _ in 0..<400 {
            if case .admitted = open.admit(
                workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
            {
                admitted += 1
            }
        }
        #expect(admitted == 300)

        var closed = fleet(1, time: time, failClosed: true)[0]
        drawAll(&closed, store: nil, time: time)
        guard case .storeUnavailable(let message) = closed.admit(
            workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
        else {
            Issue.record("fail_closed admitted while the store was down")
            return
        }
        #expect(message.contains("fail_closed"))
        time.advance(2_000_000_000)
        let store = InMemoryLimitStore(now: { time.now })
        drawAll(&closed, store: store, time: time)
        #expect(!closed.storeDown)
        if case .admitted = closed.admit(
            workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
        {
        } else {
            Issue.record("not admitted after the store came back")
        }
    }

    @Test("spend: batched under stable ids, a failed batch resent as is, counted once by the store")
    func spendOnce() throws {
        let time = ManualTime()
        let store = InMemoryLimitStore(now: { time.now })
        let budget = ["checkout": LimitSettings(budget: BudgetSettings(nanoUSDPerDay: 10_000_000_000))]
        var sidecar = Limiter(
            configuration: LimiterConfiguration(workloads: budget, fleet: .init(leaseBasisPoints: 500, failClosed: false)),
            instance: "pod-a", now: time.now)
        let day = UTCCalendar.day(ofUnixSeconds: Self.unix)
        for cost in [1_000_000_000, 2_000_000_000] as [Int64] {
            guard case .admitted(let ticket, _) = sidecar.admit(
                workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
            else { throw LimiterTestFailure.notAdmitted }
            sidecar.settle(ticket, tokens: 1, cost: cost, now: time.now, unixSeconds: Self.unix)
        }
        let first = sidecar.spendBatch()
        #expect(first.map(\.id) == ["pod-a-1"])
        #expect(first.map(\.cost) == [3_000_000_000])
        // The write reached the store but its answer was lost: the batch is sent again.
        _ = store.recordNow(first)
        sidecar.spendFailed()
        #expect(sidecar.spend(of: "checkout", unixSeconds: Self.unix).day == 3_000_000_000)
        let second = sidecar.spendBatch()
        #expect(second == first)
        #expect(store.recordNow(second) == 0)
        sidecar.spendRecorded(second, totals: ["checkout": store.spendNow(of: "checkout", on: day)], on: day)
        #expect(store.spendNow(of: "checkout", on: day) == SpendTotals(day: 3_000_000_000, month: 3_000_000_000))
        #expect(sidecar.spend(of: "checkout", unixSeconds: Self.unix).day == 3_000_000_000)
        #expect(sidecar.spendBatch().isEmpty)
        // Another sidecar's spend arrives with the next read.
        _ = store.recordNow([SpendEntry(id: "pod-b-1", workload: "checkout", day: day, cost: 7_000_000_000)])
        sidecar.spendRead(store.spendNow(of: "checkout", on: day), of: "checkout", on: day)
        #expect(
            sidecar.admit(workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
                .rejection?.kind == .usdPerDay)
    }
}

extension LimiterFleetTests {
    @Test("tokens admitted during an outage settle on the outage's bucket, never inflating the lease")
    func outageSettlesOnFallback() throws {
        let time = ManualTime()
        let settings = ["checkout": LimitSettings(rates: RateLimits(tokensPerMinute: 100_000))]
        var sidecar = Limiter(
            configuration: LimiterConfiguration(workloads: settings, fleet: .init(leaseBasisPoints: 500, failClosed: false)),
            instance: "pod-a", now: time.now)
        for order in sidecar.drawOrders(now: time.now) { sidecar.drawFailed(order, now: time.now) }
        var tickets: [LimitTicket] = []
        for _ in 0..<100 {
            guard case .admitted(let ticket, _) = sidecar.admit(
                workload: "checkout", model: "m", estimatedTokens: 900, now: time.now, unixSeconds: Self.unix)
            else { throw LimiterTestFailure.notAdmitted }
            tickets.append(ticket)
        }
        // The store answers again before the requests end.
        let store = InMemoryLimitStore(now: { time.now })
        time.advance(2_000_000_000)
        for order in sidecar.drawOrders(now: time.now) {
            sidecar.drew(order, grant: store.drawNow(order.bucket, spec: order.spec, units: order.units), now: time.now)
        }
        let balance = sidecar.leaseBalance(.workload("checkout"), .tokensPerMinute)
        for ticket in tickets { sidecar.settle(ticket, tokens: 100, cost: 0, now: time.now, unixSeconds: Self.unix) }
        #expect(sidecar.leaseBalance(.workload("checkout"), .tokensPerMinute) == balance)
    }

    @Test("a negative estimate counts as nothing and cannot inflate a bucket")
    func negativeEstimate() throws {
        let time = ManualTime()
        var limiter = Limiter(
            configuration: LimiterConfiguration(workloads: ["w": LimitSettings(rates: RateLimits(tokensPerMinute: 10))]),
            instance: "p", now: time.now)
        guard case .admitted(let ticket, _) = limiter.admit(
            workload: "w", model: "m", estimatedTokens: Int64.min, now: time.now, unixSeconds: Self.unix)
        else { throw LimiterTestFailure.notAdmitted }
        #expect(ticket.reservedTokens == 0)
        limiter.settle(ticket, tokens: 0, cost: 0, now: time.now, unixSeconds: Self.unix)
        #expect(limiter.bucketState(.workload("w"), .tokensPerMinute, now: time.now)?.remaining == 10)
    }
}

enum LimiterTestFailure: Error { case notAdmitted }

extension LimiterFleetTests {
    @Test("a stopping sidecar gives back what it holds of its leases, and only that")
    func unusedLeases() {
        let time = ManualTime()
        let store = InMemoryLimitStore(now: { time.now })
        var sidecar = fleet(1, time: time)[0]
        drawAll(&sidecar, store: store, time: time)
        #expect(sidecar.leaseBalance(.workload("checkout"), .requestsPerMinute) == 15)
        _ = sidecar.admit(workload: "checkout", model: "m", estimatedTokens: 1, now: time.now, unixSeconds: Self.unix)
        let returns = sidecar.unusedLeases()
        #expect(returns.map(\.units) == [14])
        #expect(sidecar.leaseBalance(.workload("checkout"), .requestsPerMinute) == 0)
        for order in returns { store.giveBackNow(order.bucket, spec: order.spec, units: order.units) }
        #expect(store.bucket(BucketID("checkout/requests"))?.available(at: time.now) == 299)
    }
}
