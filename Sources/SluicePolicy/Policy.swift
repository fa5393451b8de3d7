/// A validated policy file (version 1): what Sluice listens on, which providers it knows and
/// where each model name goes.
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

    /// The only policy format version this build reads.
    public static let supportedVersion = 1

    /// Creates a policy; mostly for tests, since real ones come from ``PolicyLoader``.
    public init(
        version: Int = Policy.supportedVersion,
        listen: ListenSettings,
        server: ServerSettings = ServerSettings(),
        providers: [String: ProviderConfig] = [:],
        models: [String: ModelRoute] = [:]
    ) {
        self.version = version
        self.listen = listen
        self.server = server
        self.providers = providers
        self.models = models
    }
}
