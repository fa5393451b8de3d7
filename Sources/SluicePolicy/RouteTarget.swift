/// One place a model's requests may go (an entry under `targets:`).
public struct RouteTarget: Sendable, Hashable, Encodable {
    /// The name of a provider under `providers:`.
    public var provider: String
    /// The model name sent to the provider; nil passes on the name the app asked for.
    public var model: String?
    /// The target's share under the `weighted` strategy; given only there.
    public var weight: Int?

    /// Creates a target.
    public init(provider: String, model: String? = nil, weight: Int? = nil) {
        self.provider = provider
        self.model = model
        self.weight = weight
    }
}
