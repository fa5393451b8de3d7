public import SluicePolicy

/// What makes a route target the same target across policy reloads, so its breaker, latency
/// estimate and rest survive a reload that leaves it unchanged.
///
/// A target is its provider's name, the model it sends (nil: the requested name is passed on,
/// and every name shares the entry) and the provider's endpoint (dialect and base URL): pointing
/// a provider elsewhere makes its targets new ones, with fresh state.
public struct TargetKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The provider's name under `providers:`.
    public var provider: String
    /// The target's `model`, or nil when it passes the requested name on.
    public var model: String?
    /// Where the provider points: `"<type> <base_url>"`, or any text that changes when it does.
    public var endpoint: String
    /// The provider's breaker settings; nil: the book's own. Part of the key, so a changed
    /// `breaker:` starts the target afresh.
    public var breaker: BreakerSettings?

    /// Creates a key from its parts.
    public init(provider: String, model: String?, endpoint: String = "", breaker: BreakerSettings? = nil) {
        self.provider = provider
        self.model = model
        self.endpoint = endpoint
        self.breaker = breaker
    }

    /// The key of `target`, whose provider is configured as `config` (nil when unknown).
    public init(_ target: RouteTarget, provider config: ProviderConfig?) {
        let endpoint = config.map { "\($0.type.rawValue) \($0.baseURL?.description ?? "in-process")" } ?? ""
        let breaker = config.map {
            BreakerSettings(failureThreshold: $0.breaker.failures, cooldown: $0.breaker.cooldown)
        }
        self.init(provider: target.provider, model: target.model, endpoint: endpoint, breaker: breaker)
    }

    /// `provider/model`, or `provider/*` for a target that passes the requested name on.
    public var description: String {
        "\(provider)/\(model ?? "*")"
    }

    /// Hashes the names only: keys that differ in endpoint or breaker alone are rare (a reload that
    /// repoints a provider), and equality still tells them apart. Every request hashes its targets' keys.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.provider)
        hasher.combine(self.model)
    }

    /// Orders keys by provider, then model, then endpoint, for stable listings.
    public static func < (lhs: TargetKey, rhs: TargetKey) -> Bool {
        (lhs.provider, lhs.model ?? "", lhs.endpoint) < (rhs.provider, rhs.model ?? "", rhs.endpoint)
    }
}
