/// Parses a policy duration: a number and a unit, `ms`, `s`, `m` or `h`.
///
/// Accepts `250ms`, `2s`, `5m`, `1h`, fractions (`1.5s`) and Go-style compounds (`1m30s`),
/// since operators bring both habits from Envoy and Kubernetes. Rejects an empty text, a bare
/// number (`10`: seconds or milliseconds?), a sign, spaces and unknown units. The result is exact
/// to the nanosecond: the text is read as integers, never through `Double`.
///
/// - Returns: the duration, or nil when `text` is not one.
public func parseDuration(_ text: String) -> Duration? {
    var nanoseconds: Int64 = 0
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
        guard let (number, afterNumber) = DecimalText.prefix(of: rest) else { return nil }
        let unitText = afterNumber.prefix { $0.isLetter }
        guard let unit = DurationUnit(rawValue: String(unitText)) else { return nil }
        // Digits below a nanosecond are dropped: no timer is finer than that.
        guard let part = number.scaled(by: unit.nanoseconds) else { return nil }
        let (sum, overflow) = nanoseconds.addingReportingOverflow(part.whole)
        guard !overflow else { return nil }
        nanoseconds = sum
        rest = afterNumber.dropFirst(unitText.count)
    }
    return .nanoseconds(nanoseconds)
}

/// Writes a duration the way the policy would: the largest unit that divides it evenly
/// (`20s`, `5m`, `200ms`), falling back to fractional milliseconds (`0.25ms`) below that.
///
/// `parseDuration(formatDuration(d)) == d` for every non-negative duration `parseDuration` can
/// produce; sub-nanosecond parts are dropped.
public func formatDuration(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    // Beyond ~292 years nanoseconds overflow; whole seconds still say it exactly enough.
    guard !overflow else { return "\(seconds)s" }
    let nanoseconds = scaled + attoseconds / 1_000_000_000
    if nanoseconds == 0 { return "0s" }
    for unit in [DurationUnit.hours, .minutes, .seconds, .milliseconds] where nanoseconds % unit.nanoseconds == 0 {
        return "\(nanoseconds / unit.nanoseconds)\(unit.rawValue)"
    }
    let wholeMilliseconds = nanoseconds / 1_000_000
    var fraction = String(nanoseconds % 1_000_000)
    fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(wholeMilliseconds).\(fraction)ms"
}

/// The units a policy duration may use.
enum DurationUnit: String {
    case milliseconds = "ms"
    case seconds = "s"
    case minutes = "m"
    case hours = "h"

    var nanoseconds: Int64 {
        switch self {
        case .milliseconds: 1_000_000
        case .seconds: 1_000_000_000
        case .minutes: 60_000_000_000
        case .hours: 3_600_000_000_000
        }
    }
}
