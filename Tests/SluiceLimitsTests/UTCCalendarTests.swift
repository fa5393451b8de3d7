import SluiceLimits
import Testing

@Suite("UTC calendar")
struct UTCCalendarTests {
    static let day: Int64 = 86_400

    @Test("leap years", arguments: [
        (1970, false), (1972, true), (1900, false), (2000, true), (2023, false),
        (2024, true), (2025, false), (2028, true), (2100, false), (2400, true),
    ])
    func leapYears(year: Int, leap: Bool) {
        #expect(UTCCalendar.isLeapYear(year) == leap)
        #expect(UTCCalendar.daysInMonth(year: year, month: 2) == (leap ? 29 : 28))
    }

    @Test("days in each month")
    func daysInMonth() {
        let lengths = (1...12).map { UTCCalendar.daysInMonth(year: 2025, month: $0) }
        #expect(lengths == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect((1...12).map { UTCCalendar.daysInMonth(year: 2025, month: $0) }.reduce(0, +) == 365)
        #expect((1...12).map { UTCCalendar.daysInMonth(year: 2024, month: $0) }.reduce(0, +) == 366)
    }

    @Test("known instants", arguments: [
        (Int64(0), CalendarDay(year: 1970, month: 1, day: 1)),
        (86_399, CalendarDay(year: 1970, month: 1, day: 1)),
        (86_400, CalendarDay(year: 1970, month: 1, day: 2)),
        (951_782_400, CalendarDay(year: 2000, month: 2, day: 29)),
        (951_868_799, CalendarDay(year: 2000, month: 2, day: 29)),
        (951_868_800, CalendarDay(year: 2000, month: 3, day: 1)),
        (1_709_164_800, CalendarDay(year: 2024, month: 2, day: 29)),
        (1_709_251_200, CalendarDay(year: 2024, month: 3, day: 1)),
        (1_740_700_800, CalendarDay(year: 2025, month: 2, day: 28)),
        (1_740_787_200, CalendarDay(year: 2025, month: 3, day: 1)),
        (1_767_225_599, CalendarDay(year: 2025, month: 12, day: 31)),
        (1_767_225_600, CalendarDay(year: 2026, month: 1, day: 1)),
        (1_798_761_599, CalendarDay(year: 2026, month: 12, day: 31)),
        (4_107_542_400, CalendarDay(year: 2100, month: 3, day: 1)),
    ] as [(Int64, CalendarDay)])
    func knownInstants(seconds: Int64, expected: CalendarDay) {
        #expect(UTCCalendar.day(ofUnixSeconds: seconds) == expected)
        #expect(UTCCalendar.unixSeconds(startOf: expected) == seconds - seconds % Self.day)
    }

    @Test("the next day starts at midnight, across month and year ends and leap days")
    func nextDay() {
        func start(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
            UTCCalendar.unixSeconds(startOf: CalendarDay(year: y, month: m, day: d))
        }
        #expect(UTCCalendar.startOfNextDay(after: 0) == Self.day)
        #expect(UTCCalendar.startOfNextDay(after: Self.day - 1) == Self.day)
        #expect(UTCCalendar.startOfNextDay(after: Self.day) == 2 * Self.day)
        #expect(UTCCalendar.startOfNextDay(after: start(2024, 2, 28) + 3_600) == start(2024, 2, 29))
        #expect(UTCCalendar.startOfNextDay(after: start(2024, 2, 29) + 3_600) == start(2024, 3, 1))
        #expect(UTCCalendar.startOfNextDay(after: start(2025, 2, 28)) == start(2025, 3, 1))
        #expect(UTCCalendar.startOfNextDay(after: start(2025, 12, 31) + Self.day - 1) == start(2026, 1, 1))
        #expect(UTCCalendar.dayAfter(CalendarDay(year: 2100, month: 2, day: 28)) == CalendarDay(year: 2100, month: 3, day: 1))
        #expect(UTCCalendar.dayAfter(CalendarDay(year: 2000, month: 2, day: 28)) == CalendarDay(year: 2000, month: 2, day: 29))
        #expect(UTCCalendar.dayAfter(CalendarDay(year: 2025, month: 4, day: 30)) == CalendarDay(year: 2025, month: 5, day: 1))
    }

    @Test("the next month starts on the 1st at midnight")
    func nextMonth() {
        func start(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
            UTCCalendar.unixSeconds(startOf: CalendarDay(year: y, month: m, day: d))
        }
        #expect(UTCCalendar.startOfNextMonth(after: 0) == 31 * Self.day)
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 1, 31) + Self.day - 1) == start(2025, 2, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 2, 1)) == start(2025, 3, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2024, 2, 29) + 12 * 3_600) == start(2024, 3, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 2, 28) + 12 * 3_600) == start(2025, 3, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 4, 30)) == start(2025, 5, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 12, 1)) == start(2026, 1, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2025, 12, 31) + Self.day - 1) == start(2026, 1, 1))
        #expect(UTCCalendar.startOfNextMonth(after: start(2026, 1, 1)) == start(2026, 2, 1))
        #expect(start(2026, 1, 1) == 1_767_225_600)
        #expect(start(2024, 3, 1) - start(2024, 2, 1) == 29 * Self.day)
        #expect(start(2025, 3, 1) - start(2025, 2, 1) == 28 * Self.day)
    }

    @Test("every day from 1970 to 2400 against a naive day counter, both ways")
    func roundTrips() {
        var expected = CalendarDay(year: 1970, month: 1, day: 1)
        var days: Int64 = 0
        var mismatches = 0
        while expected.year <= 2400 {
            let seconds = days * Self.day
            if UTCCalendar.day(ofUnixSeconds: seconds) != expected
                || UTCCalendar.day(ofUnixSeconds: seconds + Self.day - 1) != expected
                || UTCCalendar.unixSeconds(startOf: expected) != seconds
                || UTCCalendar.daysSinceEpoch(expected) != days
                || UTCCalendar.startOfNextDay(after: seconds + 43_200) != seconds + Self.day {
                mismatches += 1
                if mismatches <= 5 { Issue.record("mismatch at \(expected) (day \(days))") }
            }
            // The naive counter: step the day, roll the month and year by hand.
            let length = switch expected.month {
            case 2: (expected.year % 4 == 0 && expected.year % 100 != 0) || expected.year % 400 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
            if expected.day < length {
                expected.day += 1
            } else if expected.month < 12 {
                expected = CalendarDay(year: expected.year, month: expected.month + 1, day: 1)
            } else {
                expected = CalendarDay(year: expected.year + 1, month: 1, day: 1)
            }
            days += 1
        }
        #expect(mismatches == 0)
        #expect(days == 157_420) // 431 years: 431 × 365 + 105 leap days (not 2100, 2200, 2300)
    }
}
