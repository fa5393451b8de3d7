import PostgresNIO
import SluiceLimits

/// Writes a batch of spend entries and adds to the day and month totals only what was new,
/// in one statement and one round trip.
///
/// The entries travel as four parallel arrays (`unnest`), however many there are. The insert
/// skips ids already present (`ON CONFLICT DO NOTHING`, which also drops a repeat inside the
/// batch), and only the rows it really inserted reach the totals, so a retried or overlapping
/// batch never counts twice, even when two sidecars send it at once. The totals are upserted in
/// key order so that concurrent batches lock them in the same order and cannot deadlock.
struct SpendRecording: PostgresPreparedStatement {
    static let name = "sluice_spend_record_v1"

    static let sql = """
        WITH inserted AS (
            INSERT INTO sluice_spend (id, workload, day, cost_nano_usd, recorded)
            SELECT e.id, e.workload, e.day::date, e.cost, clock_timestamp()
            FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS e(id, workload, day, cost)
            ON CONFLICT (id) DO NOTHING
            RETURNING workload, day, cost_nano_usd
        ), periods AS (
            SELECT workload, to_char(day, 'YYYY-MM-DD') AS period, cost_nano_usd FROM inserted
            UNION ALL
            SELECT workload, to_char(day, 'YYYY-MM'), cost_nano_usd FROM inserted
        )
        INSERT INTO sluice_spend_totals AS s (workload, period, cost_nano_usd)
        SELECT workload, period, sum(cost_nano_usd) FROM periods
        GROUP BY workload, period
        ORDER BY workload, period
        ON CONFLICT (workload, period) DO UPDATE SET cost_nano_usd = s.cost_nano_usd + excluded.cost_nano_usd
        """

    typealias Row = Void

    var ids: [String] = []
    var workloads: [String] = []
    var days: [String] = []
    var costs: [Int64] = []

    init(_ entries: [SpendEntry]) {
        ids.reserveCapacity(entries.count)
        workloads.reserveCapacity(entries.count)
        days.reserveCapacity(entries.count)
        costs.reserveCapacity(entries.count)
        for entry in entries {
            ids.append(entry.id)
            workloads.append(entry.workload)
            days.append(entry.day.description)
            costs.append(entry.cost)
        }
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 4)
        bindings.append(ids)
        bindings.append(workloads)
        bindings.append(days)
        bindings.append(costs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
