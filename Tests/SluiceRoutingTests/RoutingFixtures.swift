import SluicePolicy
import SluiceRouting

/// Routes, keys and instants the suites share.
enum RoutingFixtures {
    static let primary = RouteTarget(provider: "openai", model: "gpt-4o")
    static let fallback = RouteTarget(provider: "anthropic", model: "claude-sonnet-4-5")
    static let third = RouteTarget(provider: "demo")

    static let providers: [String: ProviderConfig] = [
        "openai": ProviderConfig(name: "openai", type: .openai),
        "anthropic": ProviderConfig(name: "anthropic", type: .anthropic),
        "demo": ProviderConfig(name: "demo", type: .mock),
    ]

    /// A route named `name` over `targets`.
    static func route(
        _ name: String = "gpt-4o", _ targets: [RouteTarget] = [primary, fallback], strategy: RouteStrategy = .ordered,
        retry: RetrySettings? = nil
    ) -> ModelRoute {
        ModelRoute(name: name, targets: targets, strategy: strategy, retry: retry)
    }

    /// A planner serving `routes`.
    static func planner(_ routes: ModelRoute...) -> RoutePlanner {
        RoutePlanner(routes: Dictionary(uniqueKeysWithValues: routes.map { ($0.name, $0) }), providers: providers)
    }

    /// The book key of `target`.
    static func key(_ target: RouteTarget) -> TargetKey {
        TargetKey(target, provider: providers[target.provider])
    }

    /// `seconds` after the clock's origin.
    static func at(_ seconds: Double) -> MonotonicInstant {
        .zero + .milliseconds(Int64(seconds * 1000))
    }
}
