/// The tokens one request used, counted the way OpenAI reports them: every token once.
///
/// OpenAI's `prompt_tokens` includes the cached ones (`prompt_tokens_details.cached_tokens`),
/// and `completion_tokens` includes the reasoning ones, so cached and reasoning tokens are
/// *subsets*, never added on top. Anthropic reports its parts separately; ``anthropic(input:cacheRead:cacheCreation:output:)``
/// folds them into this shape.
public struct TokenUsage: Hashable, Sendable {
    /// Every input token, cached and cache-written ones included.
    public var prompt: Int64
    /// The part of ``prompt`` read from the provider's prompt cache (billed at the cached rate).
    public var cachedPrompt: Int64
    /// Every output token, reasoning tokens included.
    public var completion: Int64
    /// The part of ``prompt`` written to the provider's prompt cache (Anthropic's
    /// `cache_creation_input_tokens`; billed at the cache-write rate). 0 for OpenAI, whose
    /// cache writes are free.
    public var cacheWrite: Int64

    public init(prompt: Int64, cachedPrompt: Int64 = 0, completion: Int64, cacheWrite: Int64 = 0) {
        self.prompt = prompt
        self.cachedPrompt = cachedPrompt
        self.completion = completion
        self.cacheWrite = cacheWrite
    }

    /// Anthropic's `usage`, whose `input_tokens` excludes the cache reads and writes.
    public static func anthropic(input: Int64, cacheRead: Int64 = 0, cacheCreation: Int64 = 0, output: Int64) -> TokenUsage {
        TokenUsage(
            prompt: input + cacheRead + cacheCreation,
            cachedPrompt: cacheRead,
            completion: output,
            cacheWrite: cacheCreation
        )
    }

    /// Prompt plus completion tokens: what `tokens_per_minute` counts.
    public var total: Int64 { prompt.addingReportingOverflow(completion).overflow ? .max : prompt + completion }
}
