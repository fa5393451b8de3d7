public import SluicePolicy

/// Turns a requested model name into the ordered list of targets to try, from one policy
/// snapshot and the current ``TargetBook``. Built once per policy; pure.
///
/// Duties, in order:
/// 1. find the route: the `models:` key matching the name, most specific first (``ModelMatcher``);
/// 2. leave out the targets that are resting or whose circuit is open (``RoutePlan/skipped``);
/// 3. order the rest by the route's strategy:
///    - `ordered`: as written; the later ones are the fallback chain;
///    - `weighted`: the first drawn at random in proportion to the weights of the available
///      targets (weight 0: only ever a fallback), the others following in written order;
///    - `least_latency`: by the time-to-first-byte average, fastest first; a target with no
///      recent measurement comes first, so it gets measured (ties keep written order);
///    - `least_inflight`: fewest attempts in flight first, ties broken at random;
/// 4. name the model each target is sent: its `model`, or the requested name.
public struct RoutePlanner: Sendable {
    /// The routes by `models:` key.
    public let routes: [String: ModelRoute]
    /// The providers by name, for target identities.
    public let providers: [String: ProviderConfig]
    private let matcher: ModelMatcher
    /// Each route with its target keys, in target order, by `models:` key: the keys are built once
    /// here, since a key's endpoint text is formatted from the provider's URL, and a request finds
    /// both with one lookup.
    private let entries: [String: (route: ModelRoute, keys: [TargetKey])]
    /// The entries of the keys without a `*`: a request for one of those names (the usual request) finds
    /// its route with this one lookup, rather than the matcher's and then `entries`'.
    private let exactEntries: [String: (route: ModelRoute, keys: [TargetKey])]

    /// Creates a planner for `routes`; `providers` gives targets their endpoint identity.
    public init(routes: [String: ModelRoute], providers: [String: ProviderConfig] = [:]) {
        self.routes = routes
        self.providers = providers
        self.matcher = ModelMatcher(keys: routes.keys)
        let entries = routes.mapValues { route in
            (route: route, keys: route.targets.map { TargetKey($0, provider: providers[$0.provider]) })
        }
        self.entries = entries
        self.exactEntries = entries.filter { GlobPattern($0.key).isLiteral }
    }

    /// The route entry serving `model`: the exact name's, else the most specific pattern's.
    private func entry(for model: String) -> (route: ModelRoute, keys: [TargetKey])? {
        if let exact = self.exactEntries[model] { return exact }
        return self.matcher.key(for: model).flatMap { self.entries[$0] }
    }

    /// Creates a planner for a policy's models and providers.
    public init(policy: Policy) {
        self.init(routes: policy.models, providers: policy.providers)
    }

    /// The route serving `model`, or nil when no key matches (a 404).
    public func route(for model: String) -> ModelRoute? {
        self.entry(for: model)?.route
    }

    /// The identity of `target` in the ``TargetBook``.
    public func key(for target: RouteTarget) -> TargetKey {
        TargetKey(target, provider: providers[target.provider])
    }

    /// Every target of every route: what ``TargetBook/retain(_:)`` keeps after a reload.
    public var allKeys: Set<TargetKey> {
        Set(routes.values.flatMap { $0.targets.map(key(for:)) })
    }

    /// The plan for a request for `model`; nil when no route serves it.
    public func plan(
        model: String, book: TargetBook, at now: MonotonicInstant, using random: inout some RandomNumberGenerator
    ) -> RoutePlan? {
        guard let entry = self.entry(for: model) else { return nil }
        return plan(route: entry.route, keys: entry.keys, requestedModel: model, book: book, at: now, using: &random)
    }

    /// The plan for a request for `requestedModel` served by `route`.
    public func plan(
        route: ModelRoute, requestedModel: String, book: TargetBook, at now: MonotonicInstant,
        using random: inout some RandomNumberGenerator
    ) -> RoutePlan {
        // The keys built for this route, unless `route` is not the planner's own (then built here).
        let keys = entries[route.name].flatMap { $0.route.targets == route.targets ? $0.keys : nil }
        return plan(route: route, keys: keys, requestedModel: requestedModel, book: book, at: now, using: &random)
    }

    private func plan(
        route: ModelRoute, keys: [TargetKey]?, requestedModel: String, book: TargetBook, at now: MonotonicInstant,
        using random: inout some RandomNumberGenerator
    ) -> RoutePlan {
        var available: [PlannedTarget] = []
        available.reserveCapacity(route.targets.count)
        var skipped: [PlannedTarget] = []
        for (position, target) in route.targets.enumerated() {
            let planned = PlannedTarget(
                target: target, key: keys?[position] ?? key(for: target), model: target.model ?? requestedModel,
                position: position)
            if book.isAvailable(planned.key, at: now) {
                available.append(planned)
            } else {
                skipped.append(planned)
            }
        }
        let ordered: [PlannedTarget]
        switch route.strategy {
        case .ordered:
            ordered = available
        case .weighted:
            ordered = Self.weighted(available, using: &random)
        case .leastLatency:
            // Unmeasured targets rank as zero, so they are tried (and measured) first.
            ordered = Self.sorted(available) { book.latency(of: $0.key, at: now)?.clampedNanoseconds ?? 0 }
        case .leastInflight:
            let shuffled = available.shuffled(using: &random)
            ordered = Self.sorted(shuffled) { Int64(book.inFlight($0.key)) }
        }
        return RoutePlan(
            routeName: route.name, requestedModel: requestedModel, strategy: route.strategy, targets: ordered,
            skipped: skipped)
    }

    /// One target drawn by weight (a missing weight counts as 1), then the rest in order.
    private static func weighted(
        _ targets: [PlannedTarget], using random: inout some RandomNumberGenerator
    ) -> [PlannedTarget] {
        let weights = targets.map { max(0, $0.target.weight ?? 1) }
        let total = weights.reduce(0, +)
        guard total > 0 else { return targets }
        var draw = Int.random(in: 0..<total, using: &random)
        for (index, weight) in weights.enumerated() {
            if draw < weight {
                var ordered = targets
                ordered.insert(ordered.remove(at: index), at: 0)
                return ordered
            }
            draw -= weight
        }
        return targets
    }

    /// `targets` sorted by `rank`, ties keeping their order.
    private static func sorted(_ targets: [PlannedTarget], by rank: (PlannedTarget) -> Int64) -> [PlannedTarget] {
        targets.enumerated().map { (rank: rank($0.element), index: $0.offset, target: $0.element) }
            .sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }
            .map(\.target)
    }
}
