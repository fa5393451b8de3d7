import PostgresNIO
import SluiceLimits

/// Reads a workload's day and month totals in one statement; a period with no spend is 0.
struct SpendTotalsQuery: PostgresPreparedStatement {
    static let name = "sluice_spend_totals_v1"

    static let sql = """
        SELECT COALESCE(sum(cost_nano_usd) FILTER (WHERE period = $2), 0)::bigint,
               COALESCE(sum(cost_nano_usd) FILTER (WHERE period = $3), 0)::bigint
        FROM sluice_spend_totals
        WHERE workload = $1 AND period IN ($2, $3)
        """

    typealias Row = (Int64, Int64)

    var workload: String
    var day: CalendarDay

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(workload)
        bindings.append(day.description)
        bindings.append(day.monthKey)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
