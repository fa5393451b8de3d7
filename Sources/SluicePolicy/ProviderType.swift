/// The wire dialect a provider speaks, which picks the codec and the default base URL.
public enum ProviderType: String, Sendable, Hashable, Encodable, CaseIterable {
    /// OpenAI's API and the many servers compatible with it (vLLM, Ollama, LiteLLM).
    case openai
    /// Anthropic's Messages API.
    case anthropic
    /// Azure OpenAI; needs a `base_url`, since every resource has its own host.
    case azure
    /// Google's Gemini API.
    case gemini
    /// AWS Bedrock (Converse); needs a `base_url`, since the host names the region.
    case bedrock
    /// Answers in-process: demos, tests, and measuring Sluice alone.
    case mock

    /// The base URL used when the policy gives none, or nil when the type has no sensible default.
    ///
    /// Like OpenAI's SDKs, the OpenAI default carries the `/v1` prefix; like Anthropic's SDKs, the
    /// Anthropic default does not (its paths start with `/v1/`).
    public var defaultBaseURL: UpstreamURL? {
        switch self {
        case .openai: UpstreamURL(scheme: "https", host: "api.openai.com", port: 443, basePath: "/v1")
        case .anthropic: UpstreamURL(scheme: "https", host: "api.anthropic.com", port: 443, basePath: "")
        case .gemini:
            UpstreamURL(scheme: "https", host: "generativelanguage.googleapis.com", port: 443, basePath: "/v1beta")
        case .azure, .bedrock, .mock: nil
        }
    }

    /// Whether a provider of this type must name its `base_url`.
    var requiresBaseURL: Bool { self == .azure || self == .bedrock }
}
