/// An OpenAI chat request rewritten for Anthropic's Messages API, ready to send as
/// `POST {base_url}/v1/messages` with ``headers(apiKey:)``.
///
/// Made by ``AnthropicRequestTranslator``. Besides the body it carries what the proxy needs to
/// read the answer: whether it streams and whether the app asked for a final usage chunk.
public struct AnthropicRequest: Sendable, Hashable {
    /// The Messages API path, appended to the provider's base URL (which has no `/v1`).
    public static let path = "/v1/messages"
    /// The `anthropic-version` Sluice speaks.
    public static let version = "2023-06-01"

    /// The request body: compact JSON.
    public var body: [UInt8]
    /// The model named in the body.
    public var model: String
    /// Whether the body asks for a stream (`"stream": true`).
    public var isStream: Bool
    /// Whether the app asked for a usage chunk at the end of the stream
    /// (`stream_options.include_usage`); ``AnthropicStreamTranslator`` needs it.
    public var includeUsage: Bool

    /// Creates a translated request.
    public init(body: [UInt8], model: String, isStream: Bool, includeUsage: Bool) {
        self.body = body
        self.model = model
        self.isStream = isStream
        self.includeUsage = includeUsage
    }

    /// The request headers Anthropic requires, lower-case: `x-api-key` (when a key is given;
    /// never logged), `anthropic-version` and `content-type`. For a stream, `accept` asks for
    /// server-sent events.
    public func headers(apiKey: String?) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        if let apiKey { headers.append((name: "x-api-key", value: apiKey)) }
        headers.append((name: "anthropic-version", value: Self.version))
        headers.append((name: "content-type", value: "application/json"))
        if isStream { headers.append((name: "accept", value: "text/event-stream")) }
        return headers
    }
}
