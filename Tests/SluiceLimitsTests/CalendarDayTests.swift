import Testing

@testable import SluiceLimits

@Suite("CalendarDay")
struct CalendarDayTests {
    @Test("prints as the store keys it: day and month")
    func keys() {
        let day = CalendarDay(year: 2026, month: 3, day: 7)
        #expect(day.description == "2026-03-07")
        #expect(day.monthKey == "2026-03")
        #expect(CalendarDay(year: 2026, month: 2, day: 28) < day)
    }
}
