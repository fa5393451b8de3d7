/// Token counts as Anthropic reports them, gathered from `usage` objects (a message's, or a
/// stream's `message_start` and `message_delta`, where each count is cumulative: the last value
/// seen wins, nothing is added up).
struct AnthropicUsage: Sendable, Hashable {
    var input: Int?
    var output: Int?
    var cacheRead: Int?
    var cacheCreation: Int?

    /// Whether any count has been seen.
    var isEmpty: Bool { input == nil && output == nil && cacheRead == nil && cacheCreation == nil }

    /// Takes the counts present in `usage`, an Anthropic `usage` object.
    mutating func merge(_ usage: JSONNode?) {
        guard let usage else { return }
        input = usage["input_tokens"]?.integer ?? input
        output = usage["output_tokens"]?.integer ?? output
        cacheRead = usage["cache_read_input_tokens"]?.integer ?? cacheRead
        cacheCreation = usage["cache_creation_input_tokens"]?.integer ?? cacheCreation
    }

    /// In OpenAI's terms: prompt tokens are input plus cache reads plus cache writes (Anthropic
    /// counts cached tokens outside `input_tokens`); cached tokens are the cache reads.
    var usage: Usage {
        let read = cacheRead ?? 0
        let write = cacheCreation ?? 0
        return Usage(
            promptTokens: (input ?? 0) + read + write, completionTokens: output ?? 0,
            cachedTokens: read, cacheCreationTokens: write)
    }
}
