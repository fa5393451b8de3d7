#if canImport(Glibc)
import Glibc
#endif
import CoreMetrics
import Logging
import SluiceLLM
import NIOConcurrencyHelpers
import NIOCore
public import SluiceLimits
public import SluicePolicy

/// The gateway's limits: the ``Limiter`` behind one lock, the clocks it is given, the price
/// table, and the background task that speaks to the shared store.
///
/// A request costs one lock acquisition to admit and one to settle; it never waits for the
/// store. The background task draws leases, writes spend in batches and reads the fleet's spend
/// every ``spendInterval``, and expires abandoned reservations.
public final class LimitGate: Sendable {
    private let limiter: NIOLockedValueBox<Limiter>
    private let prices: NIOLockedValueBox<PriceTable>
    /// The shared store, when the policy names one.
    let store: (any RunnableLimitStore)?
    private let logger: Logger
    private let metrics: GatewayMetrics
    /// Spend counters by workload, made once: building a metric handle takes the registry's
    /// lock, too dear for every request.
    private let spendCounters = NIOLockedValueBox<[String: CoreMetrics.Counter]>([:])
    /// The last store problem, for `/readyz` and `/status`; nil while it answers.
    private let outage = NIOLockedValueBox<String?>(nil)

    /// How often draws are made.
    static let drawInterval: TimeAmount = .milliseconds(20)
    /// How often spend is written and the fleet's spend read.
    static let spendInterval: TimeAmount = .milliseconds(500)
    /// How often unsettled reservations are expired.
    static let expiryInterval: TimeAmount = .seconds(1)

    /// How long the background task sleeps between rounds. Draws need a round every 20 ms; without a
    /// store there is only expiry, once a second, so an idle sidecar is not woken fifty times a second
    /// for nothing (each wake-up runs three threads: the timer, the task's executor and the event loop).
    var tickInterval: TimeAmount { self.store == nil ? Self.expiryInterval : Self.drawInterval }

    init(policy: Policy, store: (any RunnableLimitStore)?, instance: String, logger: Logger, metrics: GatewayMetrics) {
        var configuration = LimiterConfiguration(policy: policy)
        if store == nil { configuration.fleet = nil }
        self.limiter = NIOLockedValueBox(
            Limiter(configuration: configuration, instance: instance, now: Self.monotonic()))
        self.prices = NIOLockedValueBox(Self.priceTable(policy))
        self.store = store
        self.logger = logger
        self.metrics = metrics
    }

    /// Applies a reloaded policy: unchanged limits keep their counters, leases and spend.
    func reconfigure(_ policy: Policy) {
        let now = Self.monotonic()
        var configuration = LimiterConfiguration(policy: policy)
        if configuration.fleet != nil, self.store == nil {
            // The store is connected at start-up; a reload cannot add one. Limits stay per
            // process rather than waiting on leases no one draws.
            configuration.fleet = nil
            self.logger.warning(
                "limits_store added by a reload is not used until Sluice restarts; limits hold per process meanwhile")
        }
        self.limiter.withLockedValue { $0.reconfigure(configuration, now: now) }
        self.prices.withLockedValue { $0 = Self.priceTable(policy) }
    }

    private static func priceTable(_ policy: Policy) -> PriceTable {
        PriceTable(
            overrides: policy.prices.mapValues {
                ModelPrice(input: $0.input, cachedInput: $0.cachedInput, output: $0.output)
            })
    }

    // MARK: The request path

    func admit(workload: String?, model: String, estimatedTokens: Int64) -> Admission {
        let (now, unix) = (Self.monotonic(), Self.unixSeconds())
        let admission = self.limiter.withLockedValue {
            $0.admit(workload: workload, model: model, estimatedTokens: estimatedTokens, now: now, unixSeconds: unix)
        }
        if case .rejected(let rejection, _) = admission {
            self.metrics.limitRejectionCounter(workload: rejection.scope.workload, limit: rejection.kind.rawValue)
                .increment()
        }
        return admission
    }

    /// Books what a request used. `tokens` nil keeps its estimate charged.
    func settle(_ ticket: LimitTicket, tokens: Int64?, cost: NanoUSD) {
        guard ticket.id != 0 else { return }
        let (now, unix) = (Self.monotonic(), Self.unixSeconds())
        self.limiter.withLockedValue { $0.settle(ticket, tokens: tokens, cost: cost, now: now, unixSeconds: unix) }
        if cost > 0, let workload = ticket.workload {
            let counter = self.spendCounters.withLockedValue { counters in
                if let counter = counters[workload] { return counter }
                let counter = self.metrics.spendCounter(workload: workload)
                counters[workload] = counter
                return counter
            }
            counter.increment(by: Int(cost))
        }
    }

    /// What `usage` cost at `provider`'s price for `model`; 0 when the model has no price.
    func cost(of usage: Usage, provider: String, model: String) -> NanoUSD {
        let tokens = TokenUsage(
            prompt: Int64(usage.promptTokens), cachedPrompt: Int64(usage.cachedTokens),
            completion: Int64(usage.completionTokens), cacheWrite: Int64(usage.cacheCreationTokens))
        return self.prices.withLockedValue { $0.cost(of: tokens, provider: provider, model: model) } ?? 0
    }

    // MARK: Status

    /// One line for `/readyz`: the store's state.
    var storeDetail: String {
        guard self.store != nil else { return "limits: per process (no limits_store)" }
        if let outage = self.outage.withLockedValue({ $0 }) {
            let mode = self.limiter.withLockedValue { $0.configuration.fleet?.failClosed == true }
            return "limits_store: unreachable (\(outage)); " + (mode ? "fail_closed: limited workloads get 503" : "fail_open: limits hold per sidecar meanwhile")
        }
        return "limits_store: ok"
    }

    /// `/status`'s `limits` object: per workload, the buckets, requests in flight and spend.
    func statusJSON() -> String {
        let (now, unix) = (Self.monotonic(), Self.unixSeconds())
        return self.limiter.withLockedValue { limiter in
            var parts: [String] = []
            for (name, settings) in limiter.configuration.workloads.sorted(by: { $0.key < $1.key }) {
                var fields: [String] = []
                let scope = LimitScope.workload(name)
                fields.append("\"in_flight\":\(limiter.inFlight(scope))")
                for (key, kind) in [("requests", LimitKind.requestsPerMinute), ("tokens", .tokensPerMinute)] {
                    guard let part = limiter.bucketState(scope, kind, now: now) else { continue }
                    fields.append(
                        "\"\(key)\":{\"limit\":\(part.limit),\"remaining\":\(part.remaining),"
                            + "\"reset_ms\":\(part.resetNanoseconds / 1_000_000)}")
                }
                let spend = limiter.spend(of: name, unixSeconds: unix)
                var budget = "\"spend_usd\":{\"day\":\(Self.dollars(spend.day)),\"month\":\(Self.dollars(spend.month))}"
                if let limits = settings.budget {
                    budget +=
                        ",\"budget_usd\":{\"day\":\(limits.nanoUSDPerDay.map(Self.dollars) ?? "null"),"
                        + "\"month\":\(limits.nanoUSDPerMonth.map(Self.dollars) ?? "null")}"
                }
                fields.append(budget)
                parts.append("\"\(name)\":{\(fields.joined(separator: ","))}")
            }
            let store = self.store == nil ? "null" : "{\"healthy\":\(!limiter.storeDown)}"
            return "{\"store\":\(store),\"workloads\":{\(parts.joined(separator: ","))}}"
        }
    }

    /// Nano-dollars as a JSON number of dollars with nine decimals.
    static func dollars(_ nano: NanoUSD) -> String {
        let fraction = String(nano % 1_000_000_000)
        return "\(nano / 1_000_000_000).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }

    // MARK: The background task

    /// Draws leases, writes and reads spend, and expires reservations until cancelled.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            if let store = self.store {
                group.addTask { await store.run() }
            }
            group.addTask { await self.tend() }
            await group.next()
            group.cancelAll()
        }
    }

    private func tend() async {
        var lastSpend = NIODeadline.distantPast
        var lastExpiry = NIODeadline.now()
        while !Task.isCancelled {
            if let store = self.store {
                await self.draw(from: store)
                if NIODeadline.now() - lastSpend >= Self.spendInterval {
                    lastSpend = .now()
                    await self.syncSpend(with: store)
                }
            }
            if NIODeadline.now() - lastExpiry >= Self.expiryInterval {
                lastExpiry = .now()
                let now = Self.monotonic()
                let expired = self.limiter.withLockedValue { $0.expire(now: now) }
                if expired > 0 {
                    self.logger.warning("limit reservations expired unsettled", metadata: ["count": "\(expired)"])
                }
            }
            try? await Task.sleep(nanoseconds: UInt64(self.tickInterval.nanoseconds))
        }
        await self.flushSpend()
    }

    /// Makes the draws the limiter asks for, all at once: a slow store costs one round trip
    /// per tick, not one per bucket.
    private func draw(from store: any RunnableLimitStore) async {
        let orders = self.limiter.withLockedValue { $0.drawOrders(now: Self.monotonic()) }
        await withTaskGroup(of: Void.self) { group in
            for order in orders {
                group.addTask {
                    do {
                        let grant = try await store.draw(order.bucket, spec: order.spec, units: order.units)
                        self.limiter.withLockedValue { $0.drew(order, grant: grant, now: Self.monotonic()) }
                        self.storeAnswered()
                    } catch {
                        self.limiter.withLockedValue { $0.drawFailed(order, now: Self.monotonic()) }
                        self.storeFailed(error, operation: "draw")
                    }
                }
            }
        }
    }

    private func syncSpend(with store: any RunnableLimitStore) async {
        let today = UTCCalendar.day(ofUnixSeconds: Self.unixSeconds())
        let (entries, budgeted) = self.limiter.withLockedValue { ($0.spendBatch(), $0.budgetedWorkloads) }
        do {
            if !entries.isEmpty {
                try await store.record(entries)
            }
            var totals: [String: SpendTotals] = [:]
            for workload in Set(entries.map(\.workload)).union(budgeted) {
                totals[workload] = try await store.spend(of: workload, on: today)
            }
            self.limiter.withLockedValue { limiter in
                limiter.spendRecorded(entries, totals: totals, on: today)
                for workload in budgeted where !entries.contains(where: { $0.workload == workload }) {
                    if let read = totals[workload] { limiter.spendRead(read, of: workload, on: today) }
                }
            }
            self.storeAnswered()
        } catch {
            self.limiter.withLockedValue { $0.spendFailed() }
            self.storeFailed(error, operation: entries.isEmpty ? "read_spend" : "record_spend")
        }
    }

    /// On shutdown: one last attempt to hand over what this sidecar spent, and to give the
    /// fleet back the leases it will not use.
    private func flushSpend() async {
        guard let store = self.store else { return }
        let unused = self.limiter.withLockedValue { $0.unusedLeases() }
        for order in unused {
            try? await store.giveBack(order.bucket, spec: order.spec, units: order.units)
        }
        let entries = self.limiter.withLockedValue { $0.spendBatch() }
        guard !entries.isEmpty else { return }
        do {
            try await store.record(entries)
        } catch {
            self.logger.error(
                "spend not written to the limits store at shutdown",
                metadata: ["entries": "\(entries.count)", "problem": "\(error)"])
        }
    }

    private func storeAnswered() {
        let recovered = self.outage.withLockedValue { outage -> Bool in
            defer { outage = nil }
            return outage != nil
        }
        if recovered { self.logger.info("limits store reachable again") }
    }

    private func storeFailed(_ error: any Error, operation: String) {
        self.metrics.limitsStoreErrorCounter(operation: operation).increment()
        let text = "\(error)"
        let first = self.outage.withLockedValue { outage -> Bool in
            defer { outage = text }
            return outage == nil
        }
        if first {
            self.logger.error("limits store unreachable", metadata: ["operation": .string(operation), "problem": .string(text)])
        }
    }

    // MARK: Clocks

    /// Monotonic nanoseconds.
    static func monotonic() -> Int64 {
        Int64(NIODeadline.now().uptimeNanoseconds)
    }

    /// Wall-clock seconds since 1970, for UTC days and months.
    static func unixSeconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
