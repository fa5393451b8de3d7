import SluicePolicy
import Testing

@testable import SluiceLimits

@Suite("Limiter: money budgets on UTC days and months")
struct LimiterBudgetTests {
    private static let dollar: Int64 = 1_000_000_000

    private func limiter(day: Int64? = nil, month: Int64? = nil, unix: Int64) -> Limiter {
        let budget = BudgetSettings(nanoUSDPerDay: day, nanoUSDPerMonth: month)
        return Limiter(
            configuration: LimiterConfiguration(workloads: ["app": LimitSettings(budget: budget)]),
            instance: "pod-a", now: 0)
    }

    private func spend(_ limits: inout Limiter, _ cost: Int64, unix: Int64) throws {
        let ticket = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: 0, unixSeconds: unix).ticket)
        limits.settle(ticket, tokens: 1, cost: cost, now: 0, unixSeconds: unix)
    }

    @Test("a spent day budget refuses until the next UTC midnight, without retry")
    func dayBudget() throws {
        // 2026-11-25T23:59:00Z
        let late = UTCCalendar.unixSeconds(startOf: CalendarDay(year: 2026, month: 11, day: 25)) + 86_340
        var limits = limiter(day: 5 * Self.dollar, unix: late)
        try spend(&limits, 3 * Self.dollar, unix: late)
        try spend(&limits, 2 * Self.dollar + 500_000_000, unix: late)
        let rejection = try #require(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: 0, unixSeconds: late).rejection)
        #expect(rejection.kind == .usdPerDay)
        #expect(!rejection.shouldRetry)
        #expect(rejection.retryAfterNanoseconds == 60_000_000_000)
        #expect(rejection.resetsAtUnixSeconds == late + 60)
        #expect(rejection.message == "Budget exhausted for workload 'app': spent $5.50 of usd_per_day $5.00 this UTC day; "
            + "it resets at 2026-11-26T00:00:00Z.")
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: 0, unixSeconds: late + 60).ticket != nil)
        #expect(limits.spend(of: "app", unixSeconds: late + 60) == SpendTotals(day: 0, month: 5_500_000_000))
    }

    @Test("a month budget spans days and resets on the 1st, leap February included")
    func monthBudget() throws {
        let feb28 = UTCCalendar.unixSeconds(startOf: CalendarDay(year: 2028, month: 2, day: 28)) + 3600
        var limits = limiter(month: 10 * Self.dollar, unix: feb28)
        try spend(&limits, 6 * Self.dollar, unix: feb28)
        try spend(&limits, 4 * Self.dollar, unix: feb28 + 86_400)  // 2028-02-29
        let rejection = try #require(
            limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: 0, unixSeconds: feb28 + 86_400).rejection)
        #expect(rejection.kind == .usdPerMonth)
        #expect(rejection.resetsAtUnixSeconds == UTCCalendar.unixSeconds(startOf: CalendarDay(year: 2028, month: 3, day: 1)))
        #expect(rejection.message.hasSuffix("it resets at 2028-03-01T00:00:00Z."))
        #expect(limits.admit(workload: "app", model: "m", estimatedTokens: 1, now: 0, unixSeconds: feb28 + 2 * 86_400).ticket != nil)
    }
}
