/// The `limits_store:` section: where every sidecar of a fleet shares its limit counters and
/// spend. Without it, limits hold per process.
public struct LimitsStoreSettings: Sendable, Hashable, Encodable {
    /// What to do when the store cannot be reached.
    public enum OnError: String, Sendable, Hashable, CaseIterable, Encodable {
        /// Keep admitting on the local view (each sidecar alone); log and count the outage.
        case failOpen = "fail_open"
        /// Refuse what needs the store with 503 until it is back.
        case failClosed = "fail_closed"
    }

    /// The PostgreSQL connection URL (`postgres.url`), a secret since it may hold a password;
    /// its value is in ``LoadedPolicy/limitsStoreURL``.
    public var postgresURL: SecretRef
    /// The slice of each limit a sidecar draws at once, in basis points of the limit (`lease`,
    /// written `5%`). It bounds how far the fleet can run past a limit before the store hears
    /// of it: one lease per sidecar.
    public var leaseBasisPoints: Int
    /// What an outage does (`on_store_error`).
    public var onError: OnError

    /// `lease: 5%` when not given.
    public static let standardLeaseBasisPoints = 500

    public init(
        postgresURL: SecretRef, leaseBasisPoints: Int = LimitsStoreSettings.standardLeaseBasisPoints,
        onError: OnError = .failOpen
    ) {
        self.postgresURL = postgresURL
        self.leaseBasisPoints = leaseBasisPoints
        self.onError = onError
    }

    private enum CodingKeys: String, CodingKey {
        case postgresURL = "postgres_url"
        case leaseBasisPoints = "lease_basis_points"
        case onError = "on_store_error"
    }
}

/// One line of the `prices:` section: USD per million tokens of a provider's model, stored in
/// billionths of a dollar per million tokens ($2.50 is 2_500_000_000).
public struct PriceSettings: Sendable, Hashable, Encodable {
    /// Prompt tokens not read from a cache (`input`).
    public var input: Int64
    /// Prompt tokens read from the provider's cache (`cached_input`); nil: the input price.
    public var cachedInput: Int64?
    /// Completion tokens, reasoning included (`output`).
    public var output: Int64

    public init(input: Int64, cachedInput: Int64? = nil, output: Int64) {
        self.input = input
        self.cachedInput = cachedInput
        self.output = output
    }

    private enum CodingKeys: String, CodingKey {
        case input, output
        case cachedInput = "cached_input"
    }
}
