public import SluicePolicy

/// The targets one request will try, in order: the planner's answer for one request.
public struct RoutePlan: Sendable, Hashable {
    /// The `models:` key that matched the requested name (a glob such as `gpt-4o*` perhaps).
    public var routeName: String
    /// The name the app asked for.
    public var requestedModel: String
    /// How the order was chosen.
    public var strategy: RouteStrategy
    /// The targets available when planned, in the order to try them.
    public var targets: [PlannedTarget]
    /// The targets left out because they were resting or their circuit was open.
    public var skipped: [PlannedTarget]

    /// Creates a plan.
    public init(
        routeName: String, requestedModel: String, strategy: RouteStrategy, targets: [PlannedTarget],
        skipped: [PlannedTarget] = []
    ) {
        self.routeName = routeName
        self.requestedModel = requestedModel
        self.strategy = strategy
        self.targets = targets
        self.skipped = skipped
    }

    /// Whether no target can be tried: the request gets a 503.
    public var isEmpty: Bool {
        targets.isEmpty
    }
}
