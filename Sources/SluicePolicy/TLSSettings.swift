/// TLS towards a provider (`tls:`).
public struct TLSSettings: Sendable, Hashable, Encodable {
    /// PEM file of CA certificates to trust instead of the system's (`ca_file`), e.g. for a
    /// self-hosted model server with a private CA. Checked to be readable at load time; a
    /// relative path is resolved against the policy file's folder.
    public var caFile: String?

    /// Creates TLS settings.
    public init(caFile: String? = nil) {
        self.caFile = caFile
    }

    private enum CodingKeys: String, CodingKey {
        case caFile = "ca_file"
    }
}
