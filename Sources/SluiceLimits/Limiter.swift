import SluicePolicy

/// Decides whether a request may go ahead under its workload's limits, and books what it used
/// when it ends. Pure: every time is a parameter and the shared store is spoken to by whoever
/// owns the limiter (the proxy's driver), through the ``drawOrders(now:)`` and spend methods.
///
/// Rates are token buckets (a limit of N per minute holds N and refills N per minute, like
/// OpenAI's own), so a client is never made to wait for a window boundary. Tokens are admitted
/// on an estimate that is reserved and settled on the real usage. Concurrency is counted here,
/// per process: a slot is a resource of this sidecar, and counting it across a fleet would put a
/// round trip on every request. Money is checked against the UTC day and month spend.
///
/// Not thread-safe by itself: a value type the owner keeps behind one lock.
public struct Limiter: Sendable {
    public private(set) var configuration: LimiterConfiguration
    /// Rate buckets by store key.
    var buckets: [BucketID: BucketLedger] = [:]
    /// Requests in flight by scope.
    private var inFlight: [LimitScope: Int] = [:]
    /// Admitted requests not yet settled, by ticket id.
    private var reservations: [UInt64: Reservation] = [:]
    /// Spend by workload.
    var ledgers: [String: SpendLedger] = [:]
    private var lastTicket: UInt64 = 0
    var spendSequence: UInt64 = 0
    /// Names this process's spend entries so retried writes keep their ids.
    let instance: String
    /// Whether the last exchange with the shared store failed.
    public internal(set) var storeDown = false

    private struct Reservation: Sendable {
        var ticket: LimitTicket
        /// Scopes whose in-flight count this request holds.
        var scopes: [LimitScope]
        /// Token buckets that hold its estimate, and which of their sources was charged (a
        /// lease, or the per-sidecar bucket used during a store outage).
        var tokenBuckets: [(BucketID, BucketLedger.Charge)]
        var expiresAt: Int64
    }

    /// - Parameter instance: a name unique to this process in the fleet (host name and start
    ///   time), prefixed to spend entry ids.
    public init(configuration: LimiterConfiguration, instance: String, now: Int64) {
        self.configuration = LimiterConfiguration(workloads: [:])
        self.instance = instance
        reconfigure(configuration, now: now)
    }

    // MARK: Policy

    /// Applies a reloaded policy. Buckets whose limit did not change keep their level (and
    /// lease), changed ones keep what was used, spend and requests in flight are kept.
    public mutating func reconfigure(_ configuration: LimiterConfiguration, now: Int64) {
        let leaseBasisPoints = configuration.fleet?.leaseBasisPoints
        let sharingChanged = (self.configuration.fleet == nil) != (configuration.fleet == nil)
        var wanted: [BucketID: BucketSpec] = [:]
        for (workload, settings) in configuration.workloads {
            for (scope, rates) in Self.scopes(workload: workload, settings: settings) {
                if let rpm = rates.requestsPerMinute {
                    wanted[Self.bucketID(scope, .requestsPerMinute)] = .perMinute(Int64(rpm))
                }
                if let tpm = rates.tokensPerMinute {
                    wanted[Self.bucketID(scope, .tokensPerMinute)] = .perMinute(Int64(tpm))
                }
            }
        }
        var kept: [BucketID: BucketLedger] = [:]
        for (id, spec) in wanted {
            if var ledger = buckets[id], !sharingChanged {
                if ledger.spec != spec || configuration.fleet != self.configuration.fleet {
                    ledger.adopt(spec, leaseBasisPoints: leaseBasisPoints, now: now)
                }
                kept[id] = ledger
            } else {
                kept[id] = BucketLedger(id: id, spec: spec, leaseBasisPoints: leaseBasisPoints, now: now)
            }
        }
        buckets = kept
        self.configuration = configuration
    }

    /// The workload scope and every model scope of a workload's limits.
    private static func scopes(workload: String, settings: LimitSettings) -> [(LimitScope, RateLimits)] {
        [(.workload(workload), settings.rates)]
            + settings.models.sorted { $0.key < $1.key }.map { (.model(workload: workload, model: $0.key), $0.value) }
    }

    /// `checkout/requests`, `checkout/model:gpt-4o/tokens`.
    static func bucketID(_ scope: LimitScope, _ kind: LimitKind) -> BucketID {
        BucketID("\(scope.storeKey)/\(kind == .requestsPerMinute ? "requests" : "tokens")")
    }

    // MARK: Admission

    /// Admits a request or says which limit it hit. A request of a workload without limits
    /// (or of no workload) is admitted with an empty ticket.
    ///
    /// - Parameters:
    ///   - estimatedTokens: prompt tokens counted from the text plus `max_tokens` or the
    ///     policy's default; reserved against token limits until ``settle(_:tokens:cost:now:unixSeconds:)``.
    ///   - now: monotonic nanoseconds.
    ///   - unixSeconds: wall-clock seconds, for the UTC day and month of budgets.
    public mutating func admit(
        workload: String?, model: String, estimatedTokens: Int64, now: Int64, unixSeconds: Int64
    ) -> Admission {
        let estimatedTokens = max(0, estimatedTokens)
        guard let workload, let settings = configuration.workloads[workload] else {
            return .admitted(.unlimited(model: model), RateLimitHeaders())
        }
        let scopes = Self.scopes(workload: workload, settings: settings).filter { scope, _ in
            if case .model(_, let limited) = scope { return limited == model }
            return true
        }
        if storeDown, configuration.fleet?.failClosed == true {
            return .storeUnavailable(
                "the shared limits store is unreachable and limits_store.on_store_error is fail_closed, "
                    + "so workload '\(workload)' is not served until it is back")
        }
        if let rejection = budgetRejection(workload: workload, settings: settings, unixSeconds: unixSeconds) {
            return .rejected(rejection, headers(scopes, now: now))
        }
        for (scope, rates) in scopes {
            if let maxConcurrent = rates.maxConcurrent, inFlight[scope, default: 0] >= maxConcurrent {
                let rejection = LimitRejection(
                    kind: .maxConcurrent, scope: scope, limit: Int64(maxConcurrent), requested: 1,
                    retryAfterNanoseconds: 1_000_000_000, shouldRetry: true)
                return .rejected(rejection, headers(scopes, now: now))
            }
        }
        var takes: [(id: BucketID, scope: LimitScope, kind: LimitKind, units: Int64)] = []
        for (scope, rates) in scopes {
            if rates.requestsPerMinute != nil {
                takes.append((Self.bucketID(scope, .requestsPerMinute), scope, .requestsPerMinute, 1))
            }
            if rates.tokensPerMinute != nil {
                takes.append((Self.bucketID(scope, .tokensPerMinute), scope, .tokensPerMinute, estimatedTokens))
            }
        }
        for take in takes {
            guard let ledger = buckets[take.id] else { continue }
            let wait = ledger.wait(for: take.units, now: now, storeDown: storeDown)
            guard wait != 0 else { continue }
            let rejection = LimitRejection(
                kind: take.kind, scope: take.scope, limit: ledger.spec.capacity, requested: take.units,
                retryAfterNanoseconds: wait, shouldRetry: wait != nil)
            return .rejected(rejection, headers(scopes, now: now))
        }
        var charged: [(BucketID, BucketLedger.Charge)] = []
        for take in takes {
            guard let charge = buckets[take.id]?.take(take.units, now: now, storeDown: storeDown) else { continue }
            if take.kind == .tokensPerMinute { charged.append((take.id, charge)) }
        }
        for (scope, _) in scopes { inFlight[scope, default: 0] += 1 }
        lastTicket += 1
        let ticket = LimitTicket(id: lastTicket, workload: workload, model: model, reservedTokens: estimatedTokens)
        reservations[ticket.id] = Reservation(
            ticket: ticket, scopes: scopes.map(\.0),
            tokenBuckets: charged,
            expiresAt: now + configuration.reservationLifetimeNanoseconds)
        return .admitted(ticket, headers(scopes, now: now))
    }

    private func budgetRejection(workload: String, settings: LimitSettings, unixSeconds: Int64) -> LimitRejection? {
        guard let budget = settings.budget else { return nil }
        let today = UTCCalendar.day(ofUnixSeconds: unixSeconds)
        let totals = ledgers[workload]?.totals(today: today) ?? SpendTotals(day: 0, month: 0)
        let checks: [(LimitKind, Int64?, Int64, Int64)] = [
            (.usdPerDay, budget.nanoUSDPerDay, totals.day, UTCCalendar.startOfNextDay(after: unixSeconds)),
            (.usdPerMonth, budget.nanoUSDPerMonth, totals.month, UTCCalendar.startOfNextMonth(after: unixSeconds)),
        ]
        for (kind, limit, spent, resetsAt) in checks {
            guard let limit, spent >= limit else { continue }
            return LimitRejection(
                kind: kind, scope: .workload(workload), limit: limit, requested: spent,
                retryAfterNanoseconds: (resetsAt - unixSeconds) * 1_000_000_000, shouldRetry: false,
                resetsAtUnixSeconds: resetsAt)
        }
        return nil
    }

    /// The `x-ratelimit-*` values: for requests and for tokens, the bucket of these scopes with
    /// the least left.
    private func headers(_ scopes: [(LimitScope, RateLimits)], now: Int64) -> RateLimitHeaders {
        func tightest(_ kind: LimitKind) -> RateLimitHeaders.Part? {
            scopes.compactMap { buckets[Self.bucketID($0.0, kind)]?.headerPart(now: now) }
                .min { $0.remaining < $1.remaining }
        }
        return RateLimitHeaders(requests: tightest(.requestsPerMinute), tokens: tightest(.tokensPerMinute))
    }

    // MARK: Settling

    /// Books what an admitted request used and frees its slot. Settling twice, or after the
    /// reservation expired, changes nothing.
    ///
    /// - Parameters:
    ///   - tokens: prompt plus completion tokens really used (from `usage`, or what was
    ///     delivered of a cut stream); nil keeps the estimate charged.
    ///   - cost: what the request cost, from the price table.
    public mutating func settle(_ ticket: LimitTicket, tokens: Int64?, cost: NanoUSD, now: Int64, unixSeconds: Int64) {
        guard ticket.id != 0 else { return }
        // A reservation that expired already released its slot; what the request cost is
        // still spent, so it is booked either way.
        if let reservation = reservations.removeValue(forKey: ticket.id) {
            release(reservation)
            if let tokens {
                let (difference, overflow) = max(0, tokens).subtractingReportingOverflow(ticket.reservedTokens)
                for (id, source) in reservation.tokenBuckets where !overflow {
                    buckets[id]?.adjust(by: difference, source: source, now: now)
                }
            }
        }
        guard let workload = ticket.workload, cost > 0 else { return }
        let today = UTCCalendar.day(ofUnixSeconds: unixSeconds)
        ledgers[workload, default: SpendLedger(day: today)].add(cost, on: today, shared: configuration.fleet != nil)
    }

    /// Releases reservations older than their lifetime; their estimates stay charged. Returns
    /// how many expired.
    @discardableResult
    public mutating func expire(now: Int64) -> Int {
        let expired = reservations.filter { $0.value.expiresAt <= now }
        for (id, reservation) in expired {
            reservations[id] = nil
            release(reservation)
        }
        return expired.count
    }

    private mutating func release(_ reservation: Reservation) {
        for scope in reservation.scopes {
            let count = inFlight[scope, default: 0] - 1
            inFlight[scope] = count > 0 ? count : nil
        }
    }

    // MARK: Reading

    /// Requests in flight for a scope.
    public func inFlight(_ scope: LimitScope) -> Int { inFlight[scope, default: 0] }

    /// Reservations not yet settled.
    public var openReservations: Int { reservations.count }

    /// A workload's spend in the UTC day and month of `unixSeconds`, its own unconfirmed
    /// spend included.
    public func spend(of workload: String, unixSeconds: Int64) -> SpendTotals {
        ledgers[workload]?.totals(today: UTCCalendar.day(ofUnixSeconds: unixSeconds)) ?? SpendTotals(day: 0, month: 0)
    }

    /// The header values of a bucket, for status pages and tests.
    public func bucketState(_ scope: LimitScope, _ kind: LimitKind, now: Int64) -> RateLimitHeaders.Part? {
        buckets[Self.bucketID(scope, kind)]?.headerPart(now: now)
    }

    /// A bucket's lease balance in a fleet; nil alone.
    public func leaseBalance(_ scope: LimitScope, _ kind: LimitKind) -> Int64? {
        buckets[Self.bucketID(scope, kind)]?.leaseBalance
    }
}
