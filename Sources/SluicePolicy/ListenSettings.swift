/// The addresses Sluice listens on (`listen:`).
public struct ListenSettings: Sendable, Hashable, Encodable {
    /// The application API: OpenAI- and Anthropic-compatible, HTTP/1.1 and h2c on one port. Required.
    public var app: HostPort
    /// The admin endpoints (`/healthz`, `/metrics`, ...). `127.0.0.1:9901` when the key is absent;
    /// nil, so no admin listener, when the policy says `admin: off` or `admin: null`.
    public var admin: HostPort?
    /// Transparent interception and `CONNECT`; nil unless the policy names it.
    public var egress: HostPort?

    /// Creates listen settings; the admin listener defaults to `127.0.0.1:9901`.
    public init(app: HostPort, admin: HostPort? = .defaultAdmin, egress: HostPort? = nil) {
        self.app = app
        self.admin = admin
        self.egress = egress
    }
}
