/// Tokens one call used, in OpenAI's terms whatever the provider.
///
/// `promptTokens` counts every input token, cached ones included (Anthropic and Bedrock report
/// cache reads and writes outside their input count; they are added back). `completionTokens`
/// includes reasoning tokens (Gemini's `thoughtsTokenCount` is added to its candidates).
public struct Usage: Sendable, Hashable {
    /// Input tokens, cached ones included.
    public var promptTokens: Int
    /// Output tokens, reasoning included.
    public var completionTokens: Int
    /// What the provider reports as total, or prompt + completion when it reports none.
    public var totalTokens: Int
    /// Input tokens served from the provider's prompt cache (a subset of `promptTokens`).
    public var cachedTokens: Int
    /// Output tokens spent on hidden reasoning (a subset of `completionTokens`).
    public var reasoningTokens: Int
    /// Input tokens written to the prompt cache (Anthropic, Bedrock; a subset of `promptTokens`).
    public var cacheCreationTokens: Int

    /// Creates a usage record; `totalTokens` defaults to prompt + completion.
    public init(
        promptTokens: Int = 0,
        completionTokens: Int = 0,
        totalTokens: Int? = nil,
        cachedTokens: Int = 0,
        reasoningTokens: Int = 0,
        cacheCreationTokens: Int = 0
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
        self.cacheCreationTokens = cacheCreationTokens
    }
}
