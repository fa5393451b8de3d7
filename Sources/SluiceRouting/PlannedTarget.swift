public import SluicePolicy

/// One target of a route, ready to be tried: where it is and what model name to send.
public struct PlannedTarget: Sendable, Hashable, CustomStringConvertible {
    /// The target as the policy wrote it.
    public var target: RouteTarget
    /// Its identity in the ``TargetBook``.
    public var key: TargetKey
    /// The model name to send: the target's `model`, or the name the app asked for.
    public var model: String
    /// Its place in the route's `targets:` list, from 0.
    public var position: Int

    /// Creates a planned target.
    public init(target: RouteTarget, key: TargetKey, model: String, position: Int) {
        self.target = target
        self.key = key
        self.model = model
        self.position = position
    }

    /// The provider's name under `providers:` (what `x-sluice-provider` reports).
    public var provider: String {
        target.provider
    }

    /// `provider/model`.
    public var description: String {
        "\(provider)/\(model)"
    }
}
