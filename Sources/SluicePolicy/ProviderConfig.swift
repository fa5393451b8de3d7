/// One upstream provider (an entry under `providers:`).
public struct ProviderConfig: Sendable, Hashable, Encodable {
    /// The provider's name: its key under `providers:`, and what model targets refer to.
    public var name: String
    /// The dialect it speaks.
    public var type: ProviderType
    /// Where requests go (`base_url`); the type's default when not given, nil for `mock`.
    public var baseURL: UpstreamURL?
    /// The provider key (`api_key`); nil for servers that need none (local vLLM, Ollama, mock).
    public var apiKey: SecretRef?
    /// Connect, first-byte and idle timeouts.
    public var timeouts: Timeouts
    /// TLS settings.
    public var tls: TLSSettings
    /// Connections kept per upstream host per event loop (`max_connections`), at least 1; 64 by default.
    public var maxConnections: Int
    /// When its targets' circuit breakers open and for how long (`breaker`).
    public var breaker: BreakerPolicy

    /// The default `max_connections`.
    public static let defaultMaxConnections = 64

    /// Creates a provider; a nil `baseURL` becomes the type's ``ProviderType/defaultBaseURL``,
    /// as it does when loading a policy.
    public init(
        name: String,
        type: ProviderType,
        baseURL: UpstreamURL? = nil,
        apiKey: SecretRef? = nil,
        timeouts: Timeouts = Timeouts(),
        tls: TLSSettings = TLSSettings(),
        maxConnections: Int = ProviderConfig.defaultMaxConnections,
        breaker: BreakerPolicy = BreakerPolicy()
    ) {
        self.breaker = breaker
        self.name = name
        self.type = type
        self.baseURL = baseURL ?? type.defaultBaseURL
        self.apiKey = apiKey
        self.timeouts = timeouts
        self.tls = tls
        self.maxConnections = maxConnections
    }

    private enum CodingKeys: String, CodingKey {
        case name, type, timeouts, tls, breaker
        case baseURL = "base_url"
        case apiKey = "api_key"
        case maxConnections = "max_connections"
    }
}

/// A provider's `breaker:` block: after `failures` consecutive failures a target at the provider
/// is skipped for `cooldown`, then one probe decides whether traffic returns.
public struct BreakerPolicy: Sendable, Hashable, Encodable {
    /// Consecutive failures that open the breaker (`failures`), at least 1; 5 by default.
    public var failures: Int
    /// How long an open breaker keeps the target out before a probe (`cooldown`); 10 s by default.
    public var cooldown: Duration

    public init(failures: Int = 5, cooldown: Duration = .seconds(10)) {
        self.failures = failures
        self.cooldown = cooldown
    }

    private enum CodingKeys: String, CodingKey { case failures, cooldown }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(failures, forKey: .failures)
        try container.encode(formatDuration(cooldown), forKey: .cooldown)
    }
}
