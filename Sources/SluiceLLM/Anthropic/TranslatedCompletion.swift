/// A provider's non-streamed answer rewritten as an OpenAI `chat.completion`, with what the
/// proxy needs to log, bill and route on without reading the body again.
public struct TranslatedCompletion: Sendable, Hashable {
    /// The `chat.completion` JSON to send to the app.
    public var body: [UInt8]
    /// The id the provider gave the answer (also the body's `id`).
    public var id: String
    /// The model that answered, as the provider names it (also the body's `model`).
    public var model: String
    /// The OpenAI `finish_reason`: `stop`, `length`, `tool_calls` or `content_filter`.
    public var finishReason: String
    /// The tokens used, cache writes included (the body's `usage` cannot say those).
    public var usage: Usage

    /// Creates a translated answer.
    public init(body: [UInt8], id: String, model: String, finishReason: String, usage: Usage) {
        self.body = body
        self.id = id
        self.model = model
        self.finishReason = finishReason
        self.usage = usage
    }
}
