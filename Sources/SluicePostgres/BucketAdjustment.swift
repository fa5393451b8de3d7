import PostgresNIO
import SluiceLimits

/// The one statement behind both ``PostgresLimitStore/draw(_:spec:units:)`` and
/// ``PostgresLimitStore/giveBack(_:spec:units:)``: refill, adopt the spec, take, put back.
///
/// One `INSERT … ON CONFLICT DO UPDATE` does it all, so the row lock taken by the upsert makes
/// concurrent draws from any number of sidecars serialise on the bucket, and no draw can see a
/// level another has already spent. In order:
///
/// 1. A new bucket starts full at the spec's capacity.
/// 2. An existing bucket refills at its *old* rate and up to its old capacity for the time since
///    its last change, measured by the database's `clock_timestamp()` (read after the row lock
///    is taken, so it never runs backwards between two draws; sidecar clocks play no part).
/// 3. A changed spec is adopted as ``TokenBucket/adopt(_:at:)`` does in one process: what was
///    used stays used (300 of 600 used leaves 700 of a new 1,000; a full bucket stays full),
///    and a limit lowered below what was used empties the bucket, never below zero.
/// 4. `take` units leave, at most the whole units present; `back` units return, capped again.
///
/// `RETURNING` sees only the new row, so the grant is kept in `last_granted` to be read back.
struct BucketAdjustment: PostgresPreparedStatement {
    static let name = "sluice_bucket_adjust_v2"

    static let sql = """
        INSERT INTO sluice_buckets AS b (id, level, capacity, refill_per_minute, updated, last_granted)
        VALUES ($1, LEAST($2::float8, ($2 - LEAST($4, $2) + $5)::float8), $2, $3, clock_timestamp(), LEAST($4, $2))
        ON CONFLICT (id) DO UPDATE SET (level, capacity, refill_per_minute, updated, last_granted) = (
            SELECT LEAST($2::float8, r.level - t.take + $5), $2, $3, r.now, t.take
            FROM (
                SELECT n.now, LEAST($2::float8, GREATEST(0, ($2 - b.capacity) + LEAST(b.capacity::float8, b.level
                    + GREATEST(0, extract(epoch FROM n.now - b.updated))::float8 * b.refill_per_minute / 60))) AS level
                FROM (SELECT clock_timestamp() AS now) AS n
            ) AS r,
            LATERAL (SELECT LEAST($4, floor(r.level)::bigint) AS take) AS t
        )
        RETURNING last_granted, floor(level)::bigint,
            CASE WHEN level >= capacity THEN 0
                 WHEN refill_per_minute <= 0 THEN 9223372036854775807
                 ELSE LEAST(ceil((capacity - level) * 60e9 / refill_per_minute), 9e18)::bigint END
        """

    typealias Row = (Int64, Int64, Int64)

    var bucket: String
    var capacity: Int64
    var refillPerMinute: Int64
    var take: Int64
    var back: Int64

    /// Negative numbers are read as 0: a spec or a count below zero means "nothing".
    init(bucket: String, spec: BucketSpec, take: Int64, back: Int64) {
        self.bucket = bucket
        self.capacity = max(0, spec.capacity)
        self.refillPerMinute = max(0, spec.refillPerMinute)
        self.take = max(0, take)
        self.back = max(0, back)
    }

    func makeBindings() -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(bucket)
        bindings.append(capacity)
        bindings.append(refillPerMinute)
        bindings.append(take)
        bindings.append(back)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
