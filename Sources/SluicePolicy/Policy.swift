/// A validated policy file (version 1): what Sluice listens on, which providers it knows,
/// where each model name goes and which workloads may call it.
///
/// An immutable value: the proxy swaps the whole snapshot on reload. It holds secret
/// references, never secret values; those live in ``LoadedPolicy/secrets``.
public struct Policy: Sendable, Hashable, Encodable {
    /// The policy format version; always 1 here.
    public var version: Int
    /// The listeners' addresses.
    public var listen: ListenSettings
    /// Process-wide settings.
    public var server: ServerSettings
    /// The providers by name.
    public var providers: [String: ProviderConfig]
    /// The routes by the model name apps send.
    public var models: [String: ModelRoute]
    /// The workloads by name; empty when the policy has no `workloads:` section, in which case
    /// every caller is anonymous and may use every model.
    public var workloads: [String: WorkloadConfig]
    /// Where the fleet shares limit counters and spend (`limits_store`); nil: per process.
    public var limitsStore: LimitsStoreSettings?
    /// Price overrides by `provider/model` or `model` (`prices`); the shipped table covers the rest.
    public var prices: [String: PriceSettings]

    /// The only policy format version this build reads.
    public static let supportedVersion = 1

    /// Creates a policy; mostly for tests, since real ones come from ``PolicyLoader``.
    public init(
        version: Int = Policy.supportedVersion,
        listen: ListenSettings,
        server: ServerSettings = ServerSettings(),
        providers: [String: ProviderConfig] = [:],
        models: [String: ModelRoute] = [:],
        workloads: [String: WorkloadConfig] = [:],
        limitsStore: LimitsStoreSettings? = nil,
        prices: [String: PriceSettings] = [:]
    ) {
        self.limitsStore = limitsStore
        self.prices = prices
        self.version = version
        self.listen = listen
        self.server = server
        self.providers = providers
        self.models = models
        self.workloads = workloads
    }

    private enum CodingKeys: String, CodingKey {
        case version, listen, server, providers, models, workloads, prices
        case limitsStore = "limits_store"
    }

    /// Encodes every section; `workloads` only when there are some, so a policy without them
    /// reads in `/config` as it did before workloads existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(listen, forKey: .listen)
        try container.encode(server, forKey: .server)
        try container.encode(providers, forKey: .providers)
        try container.encode(models, forKey: .models)
        if !workloads.isEmpty { try container.encode(workloads, forKey: .workloads) }
        try container.encodeIfPresent(limitsStore, forKey: .limitsStore)
        if !prices.isEmpty { try container.encode(prices, forKey: .prices) }
    }
}
