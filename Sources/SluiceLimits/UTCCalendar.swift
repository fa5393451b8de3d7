/// UTC calendar arithmetic for budget windows, without Foundation: the proleptic Gregorian
/// calendar, days since 1970-01-01, and the instants where a UTC day and month begin.
///
/// The conversions are Howard Hinnant's `days_from_civil` and `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), exact for every day in range.
/// Unix seconds have no leap seconds, so every day is 86,400 of them.
public enum UTCCalendar {
    public static let secondsPerDay: Int64 = 86_400

    /// Whether `year` has a 29 February: every fourth year, except centuries not divisible by
    /// 400 (2024 and 2000 do, 2100 does not).
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days in `month` (1–12) of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The UTC day that contains the instant `unixSeconds`.
    public static func day(ofUnixSeconds unixSeconds: Int64) -> CalendarDay {
        day(fromDaysSinceEpoch: floorDivide(unixSeconds, secondsPerDay))
    }

    /// The instant 00:00:00 UTC of `day`, in Unix seconds.
    public static func unixSeconds(startOf day: CalendarDay) -> Int64 {
        daysSinceEpoch(day) * secondsPerDay
    }

    /// The start of the UTC day after the one containing `unixSeconds`: when a daily budget
    /// resets.
    public static func startOfNextDay(after unixSeconds: Int64) -> Int64 {
        (floorDivide(unixSeconds, secondsPerDay) + 1) * secondsPerDay
    }

    /// The start of the first day of the UTC month after the one containing `unixSeconds`: when
    /// a monthly budget resets.
    public static func startOfNextMonth(after unixSeconds: Int64) -> Int64 {
        let today = day(ofUnixSeconds: unixSeconds)
        let first = today.month == 12
            ? CalendarDay(year: today.year + 1, month: 1, day: 1)
            : CalendarDay(year: today.year, month: today.month + 1, day: 1)
        return self.unixSeconds(startOf: first)
    }

    /// The day after `day`.
    public static func dayAfter(_ day: CalendarDay) -> CalendarDay {
        self.day(fromDaysSinceEpoch: daysSinceEpoch(day) + 1)
    }

    /// Days from 1970-01-01 to `day` (negative before it). Out-of-range months and days roll
    /// over as in `days_from_civil`; pass valid dates.
    public static func daysSinceEpoch(_ day: CalendarDay) -> Int64 {
        // The year is counted from March, so that the leap day is the last day of a year.
        let year = Int64(day.month <= 2 ? day.year - 1 : day.year)
        let month = Int64(day.month)
        let era = floorDivide(year, 400)
        let yearOfEra = year - era * 400                                         // [0, 399]
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day.day) - 1  // [0, 365]
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // [0, 146096]
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The day `days` after 1970-01-01.
    public static func day(fromDaysSinceEpoch days: Int64) -> CalendarDay {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097                                           // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)   // [0, 365]
        let monthFromMarch = (5 * dayOfYear + 2) / 153                                    // [0, 11]
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1                          // [1, 31]
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9         // [1, 12]
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return CalendarDay(year: Int(year), month: Int(month), day: Int(day))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
